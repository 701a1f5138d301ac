import {z} from 'zod'

/** The retained message on gdmarket/status/<name>: set by the daemon, or by its MQTT will. */
export const livenessSchema = z.object({
  state: z.enum(['online', 'offline', 'stopped', 'errored']),
  pid: z.number().nullable(),
  at: z.string(),
  /** an online service's last event seq when it said so: the gateway's frontier starts there */
  seq: z.number().int().min(0).optional(),
})
export type Liveness = z.infer<typeof livenessSchema>

export const liveness = (state: Liveness['state'], pid: number | null = process.pid, seq?: number): string =>
  JSON.stringify({state, pid, at: new Date().toISOString(), seq} satisfies Liveness)

/** A liveness message as sent, or undefined for anything else (a payload is never trusted). */
export function parseLiveness(payload: Buffer): Liveness | undefined {
  try {
    const parsed = livenessSchema.safeParse(JSON.parse(payload.toString()))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
