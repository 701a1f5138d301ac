/** The plain commands that do what the wizard does, named when it cannot run. */
export const PLAIN_COMMANDS = [
  'view',
  'reserve ITEMNO --customer NAME',
  'pay RESNO',
  'reservation list',
  'reservation cancel RESNO',
  'payment cancel RESNO',
  'item register --name NAME --price N',
  'lend ITEMNO',
  'return ITEMNO',
  'item delete ITEMNO',
]
  .map((command) => `\`gdmarket ${command}\``)
  .join(', ')

export interface Surroundings {
  stdinIsTTY: boolean
  stdoutIsTTY: boolean
  env: NodeJS.ProcessEnv
  noInput: boolean
}

/**
 * Why the wizard must not ask anything here, or undefined when it may. A script or CI job would
 * hang on the first question (or feed it garbage), so those get exit 2 and the plain commands.
 */
export function whyNotInteractive({stdinIsTTY, stdoutIsTTY, env, noInput}: Surroundings): string | undefined {
  if (noInput) return '--no-input'
  if (ciIsSet(env)) return 'CI is set'
  if (!stdinIsTTY) return 'stdin is not a terminal'
  if (!stdoutIsTTY) return 'stdout is not a terminal'
  return undefined
}

/** Whether this runs in CI. CI=false / CI=0 is how people say "not CI" (the ci-info convention); any other value counts. */
export const ciIsSet = (env: NodeJS.ProcessEnv): boolean => env.CI !== undefined && env.CI !== '' && !/^(false|0)$/i.test(env.CI)

export const notInteractiveMessage = (reason: string) =>
  `the wizard cannot ask questions here (${reason}); use the plain commands instead: ${PLAIN_COMMANDS}`
