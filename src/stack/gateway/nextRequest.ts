import {contract, requestOf, type Command, type HttpMethod} from '../../contract/index.js'
import type {NextStep} from '../../nextStep.js'

export interface NextRequest {
  method: HttpMethod
  path: string
  body?: Record<string, unknown>
}

/** The operator's steps that the gateway has a route for (docs/http-api.md); the rest only the CLI can take. */
const stackRequests: Partial<{[C in NextStep['command']]: (step: Extract<NextStep, {command: C}>) => NextRequest}> = {
  status: () => ({method: 'GET', path: '/stack/status'}),
  events: () => ({method: 'GET', path: '/events'}),
  'service.start': ({service}) => ({method: 'POST', path: `/stack/services/${service}/start`}),
  'service.restart': ({service}) => ({method: 'POST', path: `/stack/services/${service}/restart`}),
  'service.stop': ({service}) => ({method: 'POST', path: `/stack/services/${service}/stop`}),
  'store.recover': ({service}) => ({method: 'POST', path: `/stack/stores/${service}/recover`}),
}

/**
 * A refusal's next step as the HTTP request that takes it: a command of the contract by its own
 * binding, an operator's step by its /stack route. None for what only the CLI does (its token, `up`, logs).
 */
export function nextRequest(step: NextStep): NextRequest | undefined {
  const [service, name] = step.command.split('.')
  const command = (contract as Record<string, Record<string, Command | undefined>>)[service]?.[name]
  const {command: _, ...input} = step
  if (command?.http) return requestOf(command.http[0], input)
  const request = stackRequests[step.command] as ((step: NextStep) => NextRequest) | undefined
  return request?.(step)
}
