import { METRICS_PATH } from './metrics/http-metrics';

/** Where a service answers its liveness and readiness probes. */
export const HEALTH_PATH = '/health';

/**
 * Probes and scrapes come every few seconds and say nothing about anyone's work: their requests make no span
 * and no access line. Matched on the path alone, so a probe that adds a query string is still a probe.
 */
export function isProbeOrScrape(url: string | undefined): boolean {
  if (url === undefined) return false;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path === HEALTH_PATH || path === METRICS_PATH;
}
