import { isProbeOrScrape } from './probe-paths';

describe('isProbeOrScrape', () => {
  it('knows the health probe and the metrics scrape, with or without a query string', () => {
    for (const url of ['/health', '/health?full=1', '/metrics', '/metrics?name[]=http']) expect(isProbeOrScrape(url)).toBe(true);
  });

  it('takes nothing else for one: other paths, look-alikes, a probe path in the query, no URL', () => {
    for (const url of ['/', '/healthz', '/health/', '/metrics/x', '/cases?next=/health', '/api/health', undefined]) {
      expect(isProbeOrScrape(url)).toBe(false);
    }
  });
});
