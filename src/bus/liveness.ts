import {z} from 'zod'

/** The retained message on gdmarket/status/<name>: set by the daemon, or by its MQTT will. */
export const livenessSchema = z.object({
  state: z.enum(['online', 'offline', 'stopped', 'errored']),
  pid: z.number().nullable(),
  at: z.string(),
})
export type Liveness = z.infer<typeof livenessSchema>

export const liveness = (state: Liveness['state'], pid: number | null = process.pid): string =>
  JSON.stringify({state, pid, at: new Date().toISOString()} satisfies Liveness)

/** A liveness message as sent, or undefined for anything else (a payload is never trusted). */
export function parseLiveness(payload: Buffer): Liveness | undefined {
  try {
    const parsed = livenessSchema.safeParse(JSON.parse(payload.toString()))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
