import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_CLOSED_STATUS, UNMATCHED_ROUTE } from './metric-names';
import type { Metrics } from './metrics.service';

/** What the middleware reads of an Express request (kept structural: this lib does not depend on Express). */
interface RoutedRequest extends IncomingMessage {
  path?: string;
  baseUrl?: string;
  route?: { path?: unknown };
}

/** Where the scrape itself is served: scrapes every few seconds would drown the service's own traffic. */
export const METRICS_PATH = '/metrics';

/**
 * Express middleware timing every request, labelled with the route pattern the router matched (never the raw
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
