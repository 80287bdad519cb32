import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_CLOSED_STATUS, UNMATCHED_ROUTE } from './metric-names';
import type { Metrics } from './metrics.service';

/**
 * What the middleware reads of a Node request: its route pattern, as Express left it on the request and as
 * `markRoutePattern` leaves it there on Fastify (kept structural: this lib depends on neither).
 */
interface RoutedRequest extends IncomingMessage {
  path?: string;
  baseUrl?: string;
  route?: { path?: unknown };
}

/** The Fastify request, as far as its route pattern goes. */
export interface FastifyRoutedRequest {
  raw: RoutedRequest;
  is404?: boolean;
  routeOptions: { url?: string };
}

/**
 * On Fastify, in a preHandler hook: gives the raw request its route pattern (e.g. `/cases/:caseId/steps`), for the
 * middleware's label and the request span's name. A preHandler runs once the body is read, so a request refused
 * while reading it stays `unmatched`, as no route ran for it; an unknown path too.
 */
export function markRoutePattern(request: FastifyRoutedRequest): void {
  if (request.is404 !== true && request.routeOptions.url !== undefined) request.raw.route = { path: request.routeOptions.url };
}

/** Where the scrape itself is served: scrapes every few seconds would drown the service's own traffic. */
export const METRICS_PATH = '/metrics';

/**
 * Middleware (on the raw Node request and response) timing every request, labelled with the route pattern the router matched (never the raw
 * URL, whose ids would make a series per case). Installed before the body parsers, it also counts requests
 * refused while their body was read: no route ran for them, so their route is `unmatched`, like an unknown path.
 */
export function httpMetricsMiddleware(metrics: Metrics): (request: RoutedRequest, response: ServerResponse, next: () => void) => void {
  return (request, response, next) => {
    if ((request.path ?? request.url?.split('?')[0]) === METRICS_PATH) return next();
    const stopTimer = metrics.httpRequestDuration.startTimer();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const pattern = request.route?.path;
      stopTimer({
        method: request.method ?? 'UNKNOWN',
        route: typeof pattern === 'string' ? `${request.baseUrl ?? ''}${pattern}` : UNMATCHED_ROUTE,
        status: response.writableFinished ? String(response.statusCode) : CLIENT_CLOSED_STATUS,
      });
    };
    response.once('finish', record);
    response.once('close', record);
    next();
  };
}
