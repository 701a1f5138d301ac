import {z} from 'zod'

import type {Envelope} from '../bus/events.js'

/**
 * Events a reply carries for its caller to apply. Typed here, checked where they are applied: the
 * caller's inbox parses every envelope as it parses those from the broker (src/bus/events.ts).
 */
export const envelopes = z.array(z.custom<Envelope>((value) => typeof value === 'object' && value !== null))
