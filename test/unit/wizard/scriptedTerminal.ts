import {setTimeout as sleep} from 'node:timers/promises'

import {confirm, input, search, select} from '@inquirer/prompts'
import {render} from '@inquirer/testing'

import type {Prompts, Terminal} from '../../../src/wizard/terminal.js'

/** One question on the screen: the real inquirer prompt, rendered by @inquirer/testing. */
export interface Question {
  config: any
  events: Awaited<ReturnType<typeof render>>['events']
  getScreen: () => string
}

/** What the person does at one question: read the screen, press keys. */
export type Step = (question: Question) => void | Promise<void>

/**
 * A terminal whose every question is a real inquirer prompt (@inquirer/testing's render, on
 * in-memory streams) answered by the next step of the script. `transcript` is what a person
 * would have seen: each answered question and each line the wizard said, in order.
 */
export function scriptedTerminal(script: Step[]): Terminal & {transcript: string[]; unused: () => number} {
  const steps = [...script]
  const transcript: string[] = []
  const ask =
    (prompt: any) =>
    async (config: any): Promise<any> => {
      const abort = new AbortController()
      const {answer, events, getScreen} = await render(prompt, config, {signal: abort.signal})
      const step = steps.shift()
      if (!step) {
        abort.abort()
        await answer.catch(() => undefined)
        throw new Error(`the script has no step left for this question:\n${getScreen()}`)
      }
      try {
        await step({config, events, getScreen})
        return await answer
      } catch (error) {
        abort.abort() // a step that failed leaves its question open: close it, then fail the test
        await answer.catch(() => undefined)
        throw error
      } finally {
        transcript.push(getScreen()) // the answered question, as it stays on screen ("✔ Who are you? …")
      }
    }
  const prompts: Prompts = {select: ask(select), search: ask(search), input: ask(input), confirm: ask(confirm)}
  return {prompts, say: (text) => transcript.push(text), transcript, unused: () => steps.length}
}

/** Waits (bounded) until the screen satisfies `ok`: search results and validation arrive asynchronously. */
export async function until(question: Question, ok: (screen: string) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000
  while (!ok(question.getScreen())) {
    if (Date.now() > deadline) throw new Error(`screen never showed ${what}:\n${question.getScreen()}`)
    await sleep(5)
  }
}

const cursorLine = (screen: string) => screen.split('\n').find((line) => line.startsWith('❯')) ?? ''

/** In a select: moves down to the first selectable choice whose label contains `label`, then Enter. */
export const choose =
  (label: string): Step =>
  ({config, events, getScreen}) => {
    if (!config.choices) throw new Error(`choose("${label}") needs a select question:\n${getScreen()}`)
    const selectable = (config.choices as {name: string; disabled?: unknown}[]).filter((c) => !c.disabled)
    const index = selectable.findIndex((c) => c.name.includes(label))
    if (index === -1) throw new Error(`no selectable choice "${label}" in:\n${getScreen()}`)
    for (let i = 0; i < index; i++) events.keypress('down')
    if (!cursorLine(getScreen()).includes(label)) throw new Error(`the cursor is not on "${label}":\n${getScreen()}`)
    events.keypress('enter')
  }

/** In a search: types `term`, waits until the first match under the cursor contains `label`, then Enter. */
export const filter =
  (term: string, label = term): Step =>
  async (question) => {
    if (!question.config.source) throw new Error(`filter("${term}") needs a search question:\n${question.getScreen()}`)
    question.events.type(term)
    await until(question, (screen) => cursorLine(screen).includes(label), `"${label}" under the cursor after typing "${term}"`)
    question.events.keypress('enter')
  }

/** In an input question: types `text` and presses Enter. */
export const answer =
  (text: string): Step =>
  ({events}) => {
    events.type(text)
    events.keypress('enter')
  }

/** Enter: takes the default that the question offers. */
export const accept: Step = ({events}) => events.keypress('enter')

export const yes: Step = answer('y')
export const no: Step = answer('n')

/** Ctrl-C, as a terminal in raw mode delivers it to the prompt. */
export const ctrlC: Step = ({events}) => events.keypress({name: 'c', ctrl: true})

/** Checks that every text is on the screen (waiting for it, bounded), then does `then`. */
export const see =
  (texts: string | string[], then: Step): Step =>
  async (question) => {
    for (const text of [texts].flat()) await until(question, (screen) => screen.includes(text), `"${text}"`)
    await then(question)
  }

/** Does something in the world while the question waits (someone else acts), then `then`. */
export const meanwhile =
  (act: () => Promise<unknown>, then: Step): Step =>
  async (question) => {
    await act()
    await then(question)
  }

/**
 * In an input question: types `text`, presses Enter, checks the question refuses it with `message`
 * (and stays open), then erases what was typed, for the next step at the same question.
 */
export const refused =
  (text: string, message: string): Step =>
  async (question) => {
    answer(text)(question)
    await until(question, (screen) => screen.includes(message), `the refusal "${message}" for "${text}"`)
    if (text === '') return // nothing to erase; the refusal goes with the next key
    for (const _ of text) question.events.keypress('backspace')
    const erased = (screen: string) => !screen.includes(message) && !screen.split('\n')[0].trimEnd().endsWith(text.trim())
    await until(question, erased, `"${text}" erased and the refusal gone`)
  }

/** Several steps at the same question, in order (e.g. refusals, then the accepted answer). */
export const inTurn =
  (...steps: Step[]): Step =>
  async (question) => {
    for (const step of steps) await step(question)
  }
