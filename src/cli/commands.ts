/**
 * Every command, for oclif's `explicit` strategy: the CLI runs from one bundle (scripts/bundle.mjs)
 * instead of ~300 modules, which was most of a command's start-up (docs/performance.md).
 */
import ConfigGet from '../commands/config/get.js'
import ConfigList from '../commands/config/list.js'
import ConfigSet from '../commands/config/set.js'
import ConfigUnset from '../commands/config/unset.js'
import Down from '../commands/down.js'
import Events from '../commands/events.js'
import ItemDelete from '../commands/item/delete.js'
import ItemList from '../commands/item/list.js'
import ItemRegister from '../commands/item/register.js'
import ItemShow from '../commands/item/show.js'
import Lend from '../commands/lend.js'
import Load from '../commands/load.js'
import Logs from '../commands/logs.js'
import Pay from '../commands/pay.js'
import PaymentCancel from '../commands/payment/cancel.js'
import PaymentList from '../commands/payment/list.js'
import ReservationCancel from '../commands/reservation/cancel.js'
import ReservationList from '../commands/reservation/list.js'
import ReservationShow from '../commands/reservation/show.js'
import Reserve from '../commands/reserve.js'
import Return from '../commands/return.js'
import ScenarioRun from '../commands/scenario/run.js'
import ServiceRestart from '../commands/service/restart.js'
import ServiceStart from '../commands/service/start.js'
import ServiceStop from '../commands/service/stop.js'
import Stacks from '../commands/stacks.js'
import Status from '../commands/status.js'
import StoreMigrate from '../commands/store/migrate.js'
import StoreRecover from '../commands/store/recover.js'
import Token from '../commands/token.js'
import Trace from '../commands/trace.js'
import Up from '../commands/up.js'
import Version from '../commands/version.js'
import View from '../commands/view.js'
import Wizard from '../commands/wizard.js'

export const COMMANDS = {
  'config:get': ConfigGet,
  'config:list': ConfigList,
  'config:set': ConfigSet,
  'config:unset': ConfigUnset,
  'down': Down,
  'events': Events,
  'item:delete': ItemDelete,
  'item:list': ItemList,
  'item:register': ItemRegister,
  'item:show': ItemShow,
  'lend': Lend,
  'load': Load,
  'logs': Logs,
  'pay': Pay,
  'payment:cancel': PaymentCancel,
  'payment:list': PaymentList,
  'reservation:cancel': ReservationCancel,
  'reservation:list': ReservationList,
  'reservation:show': ReservationShow,
  'reserve': Reserve,
  'return': Return,
  'scenario:run': ScenarioRun,
  'service:restart': ServiceRestart,
  'service:start': ServiceStart,
  'service:stop': ServiceStop,
  'stacks': Stacks,
  'status': Status,
  'store:migrate': StoreMigrate,
  'store:recover': StoreRecover,
  'token': Token,
  'trace': Trace,
  'up': Up,
  'version': Version,
  'view': View,
  'wizard': Wizard,
}
