// @ts-check
/**
 * The peer's HTTP door: moleculer-web's ApiGateway with the paths and bodies of gdmarket's gateway
 * (docs/http-api.md) for the rental cycle's five commands, so the bench drives both with the same
 * client (src/cli/market.ts). It answers errors in gdmarket's shape, `{"error": {code, message}}`.
 */
import ApiGateway from 'moleculer-web'

/**
 * @param {any} _req @param {import('node:http').ServerResponse} res
 * @param {{message: string, code?: unknown, type?: string}} error
 */
function onError(_req, res, error) {
  // a body that fails an action's params schema is Moleculer's 422; gdmarket calls bad input 400
  const code = error.type === 'VALIDATION_ERROR' ? 400 : error.code
  const status = typeof code === 'number' && code >= 400 && code < 600 ? code : 500
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.writeHead(status)
  res.end(JSON.stringify({error: {code: error.type || `HTTP_${status}`, message: error.message}}))
}

/** @param {string} socketPath where it listens (a Unix socket, as gdmarket's gateway for the bench) */
export function gatewayService(socketPath) {
  return {
    name: 'api',
    mixins: [ApiGateway],
    settings: {
      port: socketPath,
      routes: [
        {
          path: '/',
          mappingPolicy: 'restrict',
          bodyParsers: {json: true},
          aliases: {
            'POST /items': 'item.register',
            'PATCH /items/:itemNo': 'item.change',
            'POST /reservations': 'reservation.reserve',
            'PATCH /reservations/:reservationNo': 'reservation.change',
          },
          onError,
        },
      ],
      logRequest: null,
      logResponse: null,
      logRouteRegistration: null,
    },
  }
}
