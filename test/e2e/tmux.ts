import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {runProcess} from '../../src/childProcess.js'
import {ciIsSet} from '../../src/wizard/interactive.js'

/** tmux, with the caller's environment; a tmux command that fails throws, with what tmux said. */
async function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const {code, stdout, stderr} = await runProcess('tmux', args, {env})
  if (code !== 0) throw new Error(`tmux ${args.join(' ')} exited ${code}: ${stderr.trim()}`)
  return stdout
}

export const hasTmux = (): Promise<boolean> => run(['-V']).then(() => true, () => false)

export const TMUX_MISSING_IN_CI = 'tmux is missing: .ci/run installs it with apt-get'
const NO_TMUX = 'tmux is not installed, so there is no real terminal to run the wizard in (apt-get install -y tmux)'

/**
 * At the start of a test that needs tmux: without it the test is skipped with the reason, but in
 * CI it fails, since there .ci/run installs tmux and a silent skip would hide that it broke.
 */
export function needTmux(ctx: {skip(note: string): void}, available: boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (available) return
  if (ciIsSet(env)) throw new Error(TMUX_MISSING_IN_CI)
  ctx.skip(NO_TMUX)
}

/** How a command's end shows on the screen (the pane's shell prints it), e.g. "[exited 130]". */
export const exitLine = (code: number) => `[exited ${code}]`

/**
 * One program in a real pseudo-terminal: a tmux server of its own (own socket, so other people's
 * sessions are never touched, and kill() ends everything it started), driven with send-keys and
 * read with capture-pane.
 */
export class TmuxTerminal {
  private constructor(
    private readonly socket: string,
    private readonly dir: string,
  ) {}

  /**
   * Starts `argv` in a fresh 100×40 terminal with exactly `env` (no CI, no NODE_ENV from vitest).
   * When it ends, the shell prints exitLine(code) and waits, so the last screen can still be read.
   */
  static async start(argv: string[], env: Record<string, string>): Promise<TmuxTerminal> {
    const dir = mkdtempSync(path.join(tmpdir(), 'gdmarket-tmux-'))
    const term = new TmuxTerminal(path.join(dir, 'socket'), dir)
    const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`
    const vars = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`)
    const shell = `env -i ${vars.join(' ')} ${argv.map(quote).join(' ')}; echo "[exited $?]"; exec sleep 600`
    // LANG: tmux writes the wizard's ❯ and ✔ into the pane only when it believes the terminal speaks UTF-8
    await run(['-S', term.socket, 'new-session', '-d', '-s', 'wizard', '-x', '100', '-y', '40', shell], {...process.env, LANG: 'C.UTF-8'})
    return term
  }

  /** Named keys (Enter, Down, C-c) as tmux spells them. */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', 'wizard', ...keys)
  }

  /** Text typed literally. */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', 'wizard', '-l', text)
  }

  /** The visible screen, wrapped lines joined, trailing blank lines dropped. */
  async screen(): Promise<string> {
    return (await this.tmux('capture-pane', '-p', '-J', '-t', 'wizard')).trimEnd()
  }

  /** Everything printed so far, scrollback included. */
  async history(): Promise<string> {
    return (await this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'wizard')).trimEnd()
  }

  /** Polls the screen until `ok` holds; fails after `timeoutMs` with the screen it last saw. */
  async waitFor(ok: string | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const test = typeof ok === 'string' ? (screen: string) => screen.includes(ok) : ok
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const screen = await this.screen()
      if (test(screen)) return screen
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${typeof ok === 'string' ? `"${ok}"` : ok}; it shows:\n${screen}`)
      await sleep(50)
    }
  }

  /** Kills this tmux server and everything in it (the wizard, if still running), and its socket dir. */
  async kill(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined)
    rmSync(this.dir, {recursive: true, force: true})
  }

  private async tmux(...args: string[]): Promise<string> {
    return run(['-S', this.socket, ...args])
  }
}
