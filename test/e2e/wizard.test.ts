import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {addDays, dayIn} from '../../src/calendar.js'
import {periodText} from '../../src/wizard/labels.js'
import {runCli, startStack, stateHome, type Stack} from './stack.js'
import {exitLine, hasTmux, needTmux, TmuxTerminal} from './tmux.js'

const runJs = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const tmux = await hasTmux()

describe('gdmarket wizard without a person at a terminal', () => {
  const refusal = /^gdmarket: the wizard cannot ask questions here \((.+)\); use the plain commands instead: `gdmarket view`, `gdmarket reserve ITEMNO --customer NAME`, .*`gdmarket lend ITEMNO`.*\n$/

  it('refuses when stdin and stdout are not a terminal (exit 2), naming the plain commands in one line', async () => {
    const result = await runCli(['wizard'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(refusal)
    expect(result.stderr.match(refusal)?.[1]).toBe('stdin is not a terminal')
  })

  it('refuses when CI is set, and with --no-input (exit 2)', async () => {
    expect(await runCli(['wizard'], {env: {CI: 'true'}})).toMatchObject({code: 2, stderr: expect.stringMatching(refusal)})
    expect((await runCli(['wizard'], {env: {CI: 'true'}})).stderr).toContain('(CI is set)')
    expect((await runCli(['wizard', '--no-input'])).stderr).toContain('(--no-input)')
  })
})

/** The wizard in a real pseudo-terminal, driven by keys and read off the screen, as a person would. */
describe('gdmarket wizard in a real terminal (tmux)', () => {
  let stack: Stack | undefined
  let term: TmuxTerminal | undefined

  beforeAll(async () => {
    if (tmux) stack = await startStack()
    else console.warn('wizard e2e: tmux is not installed: the real-terminal tests are skipped, or fail in CI') // visible with the default reporter too
  })
  afterEach(async () => {
    await term?.kill()
    term = undefined
  })
  afterAll(async () => {
    await stack?.stop()
  })

  const startWizard = async (dataDir: string) => {
    // exactly this environment: no CI (set on CI machines) and no NODE_ENV from vitest
    const env = {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_STATE_HOME: stateHome, TERM: 'xterm-256color', LANG: 'C.UTF-8'}
    term = await TmuxTerminal.start([process.execPath, runJs, 'wizard', '--data-dir', dataDir], env)
    return term
  }

  /** The wizard as a person uses it: wait for the question, answer it, wait until it shows as answered. */
  const person = (t: TmuxTerminal) => {
    const answeredCount = async (question: string) => (await t.history()).split('\n').filter((l) => l.startsWith(`✔ ${question}`)).length
    const cursorLine = (screen: string) => screen.split('\n').find((line) => line.startsWith('❯')) ?? ''
    const answer = async (question: string, act: () => Promise<void>) => {
      await t.waitFor(`? ${question}`)
      const before = await answeredCount(question)
      await act()
      // the question turns into "✔ question answer": only then is the next screen the next question
      const deadline = Date.now() + 10_000
      while ((await answeredCount(question)) === before) {
        if (Date.now() > deadline) throw new Error(`"${question}" was never answered:\n${await t.screen()}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    return {
      /** moves the cursor down to the choice containing `label`, then Enter */
      choose: (question: string, label: string) =>
        answer(question, async () => {
          for (let moves = 0; !cursorLine(await t.screen()).includes(label); moves++) {
            if (moves > 15) throw new Error(`no choice "${label}" under "${question}":\n${await t.screen()}`)
            const at = cursorLine(await t.screen())
            await t.keys('Down')
            await t.waitFor((screen) => cursorLine(screen) !== at)
          }
          await t.keys('Enter')
        }),
      /** types `text` (nothing: take the default) and Enter */
      reply: (question: string, text: string) =>
        answer(question, async () => {
          if (text) await t.type(text)
          await t.keys('Enter')
        }),
      confirm: (question: string, yes = true) =>
        answer(question, async () => {
          await t.type(yes ? 'y' : 'n')
          await t.keys('Enter')
        }),
      said: (text: string) => t.waitFor((screen) => screen.split('\n').some((line) => line.startsWith(text))),
    }
  }

  it('a whole rental: register (a price refused first), a refusal when someone else reserves first, reserve, pay, lend, take back, quit (exit 0)', async (ctx) => {
    needTmux(ctx, tmux)
    const s = stack!
    const t = await startWizard(s.dataDir)
    const p = person(t)

    await p.choose('Who are you?', 'An owner')
    for (const [name, price] of [['Camera', '100'], ['Tent', '40']]) {
      await p.choose('Owner: what would you like to do?', 'Register an item')
      await p.reply('What do you offer for rent?', name)
      if (name === 'Camera') {
        // a price of 0 is refused in the wizard's words (not inquirer's "Value must be between 1 and Infinity")
        await t.waitFor('? Price per day')
        await t.type('0')
        await t.keys('Enter')
        const refused = await t.waitFor('0 is too small: the price is a whole number above 0, e.g. 12.')
        expect(refused).not.toMatch(/Value must be|multiple of|valid numeric value/)
        await t.keys('BSpace')
      }
      await p.reply('Price per day', price)
      await p.confirm(`Register ${name} at ${price}?`)
      await p.said(`→ Registered ${name} as item`)
    }

    await p.choose('Owner: what would you like to do?', '← Back')
    await p.choose('Who are you?', 'A renter')
    await p.choose('Renter: what would you like to do?', 'Rent an item')
    await p.reply('First day (YYYY-MM-DD', '') // no dates: from today until returned
    await p.choose('Which item would you like to rent?', 'Camera — 100 (item 1)')
    await p.reply('Your name?', 'Young')
    await p.reply('Your customer id?', 'young01')
    await t.waitFor('? Reserve Camera (item 1, 100) for Young (young01)?')
    // another renter, with the plain command, while this one still reads the question
    expect((await s.cli('reserve', '1', '--customer', 'Kim')).code).toBe(0)
    await p.confirm('Reserve Camera (item 1, 100) for Young (young01)?')
    await p.said('✖ Refused: item 1 is already reserved (reservation 1)')
    // the reason, and the next step as a question: no command line to type in the wizard
    expect(await t.history()).not.toContain('`gdmarket view`')

    // the list again at once, and the renter is not asked who they are a second time
    await p.choose('Which item would you like to rent instead?', 'Tent — 40 (item 2)')
    await p.confirm('Reserve Tent (item 2, 40) for Young (young01)?')
    expect((await t.history()).split('\n').filter((line) => line.startsWith('✔ Your name?'))).toHaveLength(1)
    await p.said('→ Reserved Tent for Young: reservation 2, 40 to pay.')
    await p.confirm('Pay 40 now?')
    await p.said('→ Paid 40: payment 1.')
    await p.said('To cancel: Renter → My reservations → reservation 2')
    expect((await s.json(['view'])).find((row: {itemNo: number}) => row.itemNo === 2)).toMatchObject({
      itemStatus: 'NotRentable',
      customerId: 'young01',
      paymentStatus: 'Paid',
    })

    // paying under My reservations asks first, as every change does: Kim's Camera stays unpaid
    await p.choose('Renter: what would you like to do?', 'My reservations')
    await p.reply('Your customer id?', 'Kim')
    await p.choose('Which reservation?', 'reservation 1: Camera')
    await p.choose('Reservation 1 (Camera): what now?', 'Pay 100')
    await p.confirm('Pay 100 for reservation 1 (Camera)?', false)
    await p.said('Nothing changed.')
    expect(await s.json(['reservation', 'show', '1'])).toMatchObject({paymentStatus: 'NotPaid'})

    await p.choose('Renter: what would you like to do?', '← Back')
    await p.choose('Who are you?', 'An owner')
    await p.choose('Owner: what would you like to do?', 'Hand an item over')
    await t.waitFor('not paid yet') // Kim's Camera is listed, but cannot be handed over
    await p.choose('Which item do you hand over?', 'Tent — 40 (item 2) for Young (young01)')
    await p.confirm('Hand Tent over to Young (young01)?')
    await p.said('→ Tent is lent to Young (young01).')
    await p.choose('Owner: what would you like to do?', 'Take an item back')
    await p.choose('Which item do you take back?', 'Tent')
    await p.confirm('Take Tent back from Young (young01)?')
    await p.said('→ Tent is back: the rental is completed and it is rentable again.')
    await p.choose('Owner: what would you like to do?', 'Quit')
    await t.waitFor(exitLine(0))

    expect(await s.json(['reservation', 'show', '2'])).toMatchObject({reservationStatus: 'Completed', paymentStatus: 'Paid', rentalStatus: 'Returned'})
    expect((await s.json(['view'])).find((row: {itemNo: number}) => row.itemNo === 2)).toMatchObject({itemStatus: 'Rentable', rentalStatus: 'Returned'})
    // how the transcript in docs/wizard.md was captured: WIZARD_TRANSCRIPT=file npx vitest run test/e2e/wizard.test.ts
    if (process.env.WIZARD_TRANSCRIPT) writeFileSync(process.env.WIZARD_TRANSCRIPT, `${await t.history()}\n`)
  })

  it('Ctrl-C at a question: exit 130, and the rental being prepared is not sent', async (ctx) => {
    needTmux(ctx, tmux)
    const s = stack!
    const reservationsBefore = (await s.json(['reservation', 'list'])).length
    const t = await startWizard(s.dataDir)
    const p = person(t)
    await p.choose('Who are you?', 'A renter')
    await p.choose('Renter: what would you like to do?', 'Rent an item')
    await p.reply('First day (YYYY-MM-DD', '')
    await p.choose('Which item would you like to rent?', 'Tent')
    await t.waitFor('? Your name?')
    await t.keys('C-c')
    await t.waitFor(exitLine(130))
    expect(await t.screen()).toContain('gdmarket: wizard left with Ctrl-C; the question you left was not acted on')
    expect(await s.json(['reservation', 'list'])).toHaveLength(reservationsBefore)
  })

  it('a rental for dates: the days asked, the item free then, price × days as the reservation answers; `item calendar` shows the period', async (ctx) => {
    needTmux(ctx, tmux)
    const s = stack!
    // a month ahead: the first day is from today on in any time zone the stack may have
    const from = addDays(dayIn('UTC'), 30)
    const to = addDays(from, 2)
    const itemNo = (await s.json(['item', 'register', '--name', 'Kayak', '--price', '70'])).itemNo as number
    const t = await startWizard(s.dataDir)
    const p = person(t)
    await p.choose('Who are you?', 'A renter')
    await p.choose('Renter: what would you like to do?', 'Rent an item')
    await p.reply('First day (YYYY-MM-DD', from)
    await p.reply('Last day, included', to)
    const days = periodText({from, to})
    await p.choose(`Which item would you like to rent, free ${days}?`, `Kayak — 70 (item ${itemNo})`)
    await p.reply('Your name?', 'Ana')
    await p.reply('Your customer id?', '')
    await p.confirm(`Reserve Kayak (item ${itemNo}) ${days}, 3 days × 70, for Ana?`)
    await p.said(`→ Reserved Kayak ${days} for Ana: reservation`)
    const reservationNo = Number(/→ Reserved Kayak .* for Ana: reservation (\d+), /.exec(await t.history())![1])
    // the amount shown is the reservation's own
    const reservation = await s.json(['reservation', 'show', String(reservationNo)])
    expect(reservation).toMatchObject({rentFrom: from, rentTo: to, amount: 210})
    await p.said(`→ Reserved Kayak ${days} for Ana: reservation ${reservationNo}, 210 to pay.`)
    await p.confirm('Pay 210 now?', false)
    await p.choose('Renter: what would you like to do?', 'Quit')
    await t.waitFor(exitLine(0))

    const calendar = await s.json(['item', 'calendar', String(itemNo)])
    expect(calendar.bookings).toEqual([{reservationNo, from, to}])
  })

  it('fails before the first question when the stack is not running (exit 5)', async (ctx) => {
    needTmux(ctx, tmux)
    const s = stack!
    const empty = mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
    try {
      const t = await startWizard(empty)
      await t.waitFor(exitLine(5))
      // the stack of this file runs, and was the last `up`: the line says where, instead of how to start a second market
      expect(await t.screen()).toContain(`gdmarket: no stack in ${empty}; one runs in ${s.dataDir} (use --data-dir ${s.dataDir})`)
    } finally {
      rmSync(empty, {recursive: true, force: true})
    }
  })
})
