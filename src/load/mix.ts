/**
 * The kinds of cycle `gdmarket load` runs, and how often each (`--mix rental=70,cancel=30`).
 * Every cycle starts with a new item, so cycles of different workers never touch the same one.
 */
export const cycleKinds = ['rental', 'cancel'] as const
export type CycleKind = (typeof cycleKinds)[number]

/** What each kind sends, in order (also the --help text). */
export const cycleSteps: Record<CycleKind, string> = {
  rental: 'item register, reserve, pay, lend, return',
  cancel: 'item register, reserve, pay, reservation cancel',
}

/** Relative weights; a kind left out of --mix has weight 0. */
export type Mix = Record<CycleKind, number>

export const DEFAULT_MIX = 'rental=70,cancel=30'

const isKind = (name: string): name is CycleKind => (cycleKinds as readonly string[]).includes(name)

/** `rental=70,cancel=30` → {rental: 70, cancel: 30}. Throws a plain Error (oclif reports it as bad input, exit 2). */
export function parseMix(text: string): Mix {
  const mix: Mix = {rental: 0, cancel: 0}
  const seen = new Set<string>()
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^([a-z]+)\s*=\s*(\d+)$/i.exec(part)
    if (!m) throw new Error(`expected KIND=WEIGHT pairs like ${DEFAULT_MIX}, got "${part}"`)
    const name = m[1].toLowerCase()
    if (!isKind(name)) throw new Error(`unknown cycle kind "${m[1]}"; known: ${cycleKinds.join(', ')}`)
    if (seen.has(name)) throw new Error(`"${name}" is given twice`)
    seen.add(name)
    mix[name] = Number(m[2])
  }
  if (cycleKinds.every((kind) => mix[kind] === 0)) throw new Error('at least one weight must be above 0')
  return mix
}

export const formatMix = (mix: Mix) => cycleKinds.map((kind) => `${kind}=${mix[kind]}`).join(',')

/**
 * Picks the next cycle kind by smooth weighted round-robin (as nginx balances upstreams): the
 * kinds interleave evenly and every window of `sum of weights` picks matches the mix exactly, so
 * `--cycles 20` with 70/30 runs 14 rentals and 6 cancels, not whatever a dice roll gives.
 */
export function mixPicker(mix: Mix): () => CycleKind {
  const kinds = cycleKinds.filter((kind) => mix[kind] > 0)
  const total = kinds.reduce((sum, kind) => sum + mix[kind], 0)
  const current = new Map<CycleKind, number>(kinds.map((kind) => [kind, 0]))
  return () => {
    let best = kinds[0]
    for (const kind of kinds) {
      current.set(kind, current.get(kind)! + mix[kind])
      if (current.get(kind)! > current.get(best)!) best = kind
    }
    current.set(best, current.get(best)! - total)
    return best
  }
}
