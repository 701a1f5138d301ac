import type {Market} from '../cli/market.js'
import type {WizardContext} from './context.js'
import {deleteItem, lendItem, registerItem, takeBackItem} from './owner.js'
import {rentAnItem} from './rent.js'
import {myReservations} from './renter.js'
import {isPromptExit, type Terminal} from './terminal.js'

/** The shell's code for "ended by Ctrl-C" (128 + SIGINT), which scripts and shells expect. */
export const INTERRUPTED = 130

interface Action {
  name: string
  run: (ctx: WizardContext) => Promise<void>
}

const renterActions: Action[] = [
  {name: 'Rent an item', run: rentAnItem},
  {name: 'My reservations (pay, cancel the payment, cancel)', run: myReservations},
]

const ownerActions: Action[] = [
  {name: 'Register an item', run: registerItem},
  {name: 'Hand an item over (lend)', run: lendItem},
  {name: 'Take an item back (return)', run: takeBackItem},
  {name: 'Delete an item', run: deleteItem},
]

/**
 * The whole wizard: who are you → that role's menu, until Quit. Returns the exit code: 0 after
 * Quit, 130 after Ctrl-C at any question. Requests are sent only after a confirmation or a menu
 * choice, so leaving at a question never leaves a step half-done.
 */
export async function runWizard(terminal: Terminal, market: Market): Promise<0 | typeof INTERRUPTED> {
  const ctx: WizardContext = {terminal, market, session: {}}
  terminal.say('gdmarket wizard: nothing changes until you confirm; Ctrl-C leaves at any question.')
  try {
    for (;;) {
      const role = await terminal.prompts.select<'renter' | 'owner' | 'quit'>({
        message: 'Who are you?',
        choices: [
          {name: 'A renter: rent an item, see my reservations', value: 'renter'},
          {name: 'An owner: register, lend, take back, delete items', value: 'owner'},
          {name: 'Quit', value: 'quit'},
        ],
      })
      if (role === 'quit') break
      const next =
        role === 'renter'
          ? await menu(ctx, 'Renter: what would you like to do?', renterActions)
          : await menu(ctx, 'Owner: what would you like to do?', ownerActions)
      if (next === 'quit') break
    }
  } catch (error) {
    if (isPromptExit(error)) return INTERRUPTED
    throw error
  }
  terminal.say('Bye.')
  return 0
}

/** One role's menu, again after each action, until Back (to "who are you?") or Quit. */
async function menu(ctx: WizardContext, message: string, actions: Action[]): Promise<'back' | 'quit'> {
  for (;;) {
    const choice = await ctx.terminal.prompts.select<Action | 'back' | 'quit'>({
      message,
      choices: [
        ...actions.map((action) => ({name: action.name, value: action})),
        {name: '← Back (who are you?)', value: 'back'},
        {name: 'Quit', value: 'quit'},
      ],
    })
    if (choice === 'back' || choice === 'quit') return choice
    await choice.run(ctx)
  }
}
