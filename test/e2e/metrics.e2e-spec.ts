import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import { Events } from '@enforcement/contracts';
import { COMMON_METRIC_NAMES, SERVICE_METRIC_NAMES } from '@enforcement/observability';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDistributed, type DistributedPlatform, type ServiceName } from '../support/distributed';
import { call } from '../support/http';
import { eventually, freePort, startNodeProcess, waitForHealthy, type RunningProcess } from '../support/processes';

const AGENCY_TOPIC = Events.AgencyRegistered.topic;
const systemAdmin: AuthenticatedUser = { userId: 'e2e-metrics-admin', agencyId: '', roles: ['system-admin'] };

function agency(creditCode: string) {
  return {
    name: '上海市徐汇区城市管理行政执法局',
    creditCode,
    regionCode: '310104',
    domains: ['urban-management'],
    legalBasis: '《中华人民共和国行政处罚法》',
  };
}

/** GET /metrics without a token, as Prometheus scrapes it. */
async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The sum of a metric's samples whose labels include every one given. */
function total(text: string, name: string, labels: Record<string, string> = {}): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** What every mode must show: each service its own names under its own label only, and a request and an event moving them. */
async function checkMetrics(urls: Record<ServiceName, string>, token: string, creditCode: string): Promise<void> {
  for (const [service, url] of Object.entries(urls) as Array<[ServiceName, string]>) {
    const text = await scrape(url);
    for (const name of [...COMMON_METRIC_NAMES, ...SERVICE_METRIC_NAMES[service]]) expect(text).toContain(`# TYPE ${name} `);
    // Each registry its own, even with four services in one process.
    expect([...new Set([...text.matchAll(/service="([^"]+)"/g)].map((match) => match[1]))]).toEqual([service]);
  }

  const before = await scrape(urls.certificates);
  expect((await call('POST', `${urls.certificates}/agencies`, token, agency(creditCode))).status).toBe(201);
  const after = await eventually(
    async () => {
      const text = await scrape(urls.certificates);
      return total(text, 'relay_published_events_total', { topic: AGENCY_TOPIC }) >
        total(before, 'relay_published_events_total', { topic: AGENCY_TOPIC })
        ? text
        : undefined;
    },
    15_000,
    'the relay count of the agency topic to rise',
  );
  const posts = { method: 'POST', route: '/agencies', status: '201' };
  expect(total(after, 'http_request_duration_seconds_count', posts)).toBe(total(before, 'http_request_duration_seconds_count', posts) + 1);
  expect(total(after, 'relay_publish_errors_total')).toBe(0);

  // Recording consumes the agency topic: its lag there is reported per partition, and drains to 0.
  await eventually(
    async () => {
      const text = await scrape(urls.recording);
      return text.includes(`consumer_lag_events{topic="${AGENCY_TOPIC}",partition="0"`) &&
        total(text, 'consumer_lag_events', { topic: AGENCY_TOPIC }) === 0
        ? true
        : undefined;
    },
    30_000,
    "recording's consumer lag on the agency topic",
  );
}

describe('/metrics on every service (issue #14)', () => {
  describe('embedded: four services in one process, each with its own registry', () => {
    const urls = { certificates: '', recording: '', 'legal-review': '', publicity: '' } as Record<ServiceName, string>;
    let dataDir: string;
    let platform: RunningProcess;

    beforeAll(async () => {
      const ports: Record<string, string> = {};
      for (const service of Object.keys(urls) as ServiceName[]) {
        const port = await freePort();
        ports[`${service.toUpperCase().replace('-', '_')}_PORT`] = String(port);
        urls[service] = `http://127.0.0.1:${port}`;
      }
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-metrics-'));
      platform = startNodeProcess(['scripts/start-embedded.js'], { DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...ports });
      for (const url of Object.values(urls)) await waitForHealthy(url, platform);
    });

    afterAll(async () => {
      await platform?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers with each service’s metrics, and a request and an event move them', async () => {
      const issuer = new LocalIssuer({ dir: path.join(dataDir, 'auth'), issuer: 'enforcement-platform', audience: 'enforcement-platform' });
      await checkMetrics(urls, await issuer.sign(systemAdmin, { ttlSeconds: 600 }), '11310104MB2F11111A');
    });
  });

  describe('distributed: a process per service, Kafka', () => {
    let platform: DistributedPlatform;

    beforeAll(async () => {
      platform = await startDistributed(['certificates', 'recording']);
    });

    afterAll(() => platform?.stop());

    it('answers with each service’s metrics, and a request and an event move them', async () => {
      const urls = { certificates: platform.urls['certificates'], recording: platform.urls['recording'] } as Record<ServiceName, string>;
      await checkMetrics(urls, await platform.sign(systemAdmin), '11310104MB2F22222B');
    });
  });
});
