/**
 * Every command: the CLI's registry, beside the commands themselves, for oclif's `explicit`
 * strategy. The CLI runs from one bundle (scripts/bundle.mjs) instead of ~300 modules, which was
 * most of a command's start-up (docs/performance.md).
 */
import BrokerConfig from './broker/config.js'
import ConfigGet from './config/get.js'
import ConfigList from './config/list.js'
import ConfigSet from './config/set.js'
import ConfigUnset from './config/unset.js'
import Down from './down.js'
import Events from './events.js'
import GatewayRun from './gateway/run.js'
import ItemCalendar from './item/calendar.js'
import ItemDelete from './item/delete.js'
import ItemList from './item/list.js'
import ItemRegister from './item/register.js'
import ItemShow from './item/show.js'
import Lend from './lend.js'
import Load from './load.js'
import Logs from './logs.js'
import Pay from './pay.js'
import PaymentCancel from './payment/cancel.js'
import PaymentList from './payment/list.js'
import ReservationCancel from './reservation/cancel.js'
import ReservationList from './reservation/list.js'
import ReservationShow from './reservation/show.js'
import Reserve from './reserve.js'
import Return from './return.js'
import ScenarioRun from './scenario/run.js'
import ServiceCheck from './service/check.js'
import ServiceRestart from './service/restart.js'
import ServiceRun from './service/run.js'
import ServiceScale from './service/scale.js'
import ServiceStart from './service/start.js'
import ServiceStop from './service/stop.js'
import Stacks from './stacks.js'
import Status from './status.js'
import StoreMigrate from './store/migrate.js'
import StoreRecover from './store/recover.js'
import Token from './token.js'
import Trace from './trace.js'
import Up from './up.js'
import Version from './version.js'
import View from './view.js'
import Wizard from './wizard.js'

export const COMMANDS = {
  'broker:config': BrokerConfig,
  'config:get': ConfigGet,
  'config:list': ConfigList,
  'config:set': ConfigSet,
  'config:unset': ConfigUnset,
  'down': Down,
  'events': Events,
  'gateway:run': GatewayRun,
  'item:calendar': ItemCalendar,
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
  'service:check': ServiceCheck,
  'service:restart': ServiceRestart,
  'service:run': ServiceRun,
  'service:scale': ServiceScale,
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
