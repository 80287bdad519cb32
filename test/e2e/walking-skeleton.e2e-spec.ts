import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import type { TestDatabase } from '@enforcement/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { startDistributed, type DistributedPlatform } from '../support/distributed';
import { eventually, freePort, startNodeProcess, waitForHealthy, type RunningProcess } from '../support/processes';

const agency = {
  name: '上海市静安区城市管理行政执法局',
  creditCode: '11310106MB2F54321Y',
  regionCode: '310106',
  domains: ['urban-management'],
  legalBasis: '《中华人民共和国行政处罚法》',
};

interface KnownAgency {
  name: string;
  region_code: string;
}

const systemAdmin: AuthenticatedUser = { userId: 'e2e-system-admin', agencyId: '', roles: ['system-admin'] };

async function registerAgency(certificatesUrl: string, token: string): Promise<string> {
  const response = await fetch(`${certificatesUrl}/agencies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(agency),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

interface Json {
  status: number;
  body: Record<string, unknown> & { code?: string };
}

async function call(method: string, url: string, token: string, body?: unknown): Promise<Json> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json['body'] };
}

/**
 * Suspends the officer's certificate on the certificates service and measures how long until the
 * recording service's own read model refuses the officer (no call between the services on that path).
 */
async function measureSuspensionLag(
  certificatesUrl: string,
  recordingUrl: string,
  adminToken: string,
  officerToken: string,
  certificateId: string,
) {
  const preflight = `${recordingUrl}/certificate-check?domain=market-regulation&regionCode=310101`;
  const allowed = await eventually(
    async () => {
      const result = await call('GET', preflight, officerToken);
      return result.status === 200 ? result : undefined;
    },
    60_000,
    'the certificate in the recording read model',
  );
  expect((allowed.body['presented'] as Array<{ certificateId: string }>)[0].certificateId).toBe(certificateId);

  const suspended = await call('POST', `${certificatesUrl}/certificates/${certificateId}/suspension`, adminToken, {
    reason: '年度考试不合格',
  });
  expect(suspended.status).toBe(200);
  const start = Date.now();
  const refused = await eventually(
    async () => {
      const result = await call('GET', preflight, officerToken);
      return result.status === 403 ? result : undefined;
    },
    60_000,
    'the suspension in the recording read model',
  );
  const lagMs = Date.now() - start;
  expect(refused.body).toMatchObject({ code: 'CERTIFICATE_SUSPENDED', message: expect.any(String) });
  return lagMs;
}

/**
 * The walking skeleton, run as operators run it: real processes on real ports. One event (an agency
 * registered on the certificates service) reaches the recording service's read model.
 */
describe('walking skeleton: AgencyRegistered from certificates to recording', () => {
  describe('embedded: `npm start` (one process, SQLite, in-process events, local disk)', () => {
    const ports = { certificates: 0, recording: 0, 'legal-review': 0, publicity: 0 };
    let dataDir: string;
    let platform: RunningProcess;
    let token: string;

    beforeAll(async () => {
      for (const name of Object.keys(ports) as Array<keyof typeof ports>) ports[name] = await freePort();
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-'));
      platform = startNodeProcess(['scripts/start-embedded.js'], {
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        CERTIFICATES_PORT: String(ports.certificates),
        RECORDING_PORT: String(ports.recording),
        LEGAL_REVIEW_PORT: String(ports['legal-review']),
        PUBLICITY_PORT: String(ports.publicity),
        LOG_LEVEL: 'warn',
      });
    });

    afterAll(async () => {
      await platform?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('starts the four services, each answering /health ok, and prints their URLs', async () => {
      for (const port of Object.values(ports)) {
        const health = (await waitForHealthy(`http://127.0.0.1:${port}`, platform)) as { status: string };
        expect(health.status).toBe('ok');
      }
      expect(platform.output()).toContain(`http://localhost:${ports.publicity}/docs`);
    });

    it('refuses writes without a token, with the platform error format', async () => {
      const response = await fetch(`http://127.0.0.1:${ports.certificates}/agencies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(agency),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });
    });

    it('delivers the event into the recording read model, as it did for the seeded demo agency', async () => {
      token = await new LocalIssuer({
        dir: path.join(dataDir, 'auth'),
        issuer: 'enforcement-platform',
        audience: 'enforcement-platform',
      }).sign(systemAdmin, { ttlSeconds: 600 });
      const id = await registerAgency(`http://127.0.0.1:${ports.certificates}`, token);
      const db = new Database(path.join(dataDir, 'recording.sqlite'), { readonly: true, fileMustExist: true });
      try {
        const row = await eventually(
          async () => db.prepare('SELECT name, region_code FROM known_agencies WHERE id = ?').get(id) as KnownAgency | undefined,
          10_000,
          'the agency in recording',
        );
        expect(row).toEqual({ name: agency.name, region_code: '310106' });
        const demo = db.prepare('SELECT COUNT(*) AS n FROM known_agencies WHERE id <> ?').get(id) as { n: number };
        expect(demo.n).toBe(1);
      } finally {
        db.close();
      }
    });

    it('refuses a duplicate with a stable code and a Chinese message', async () => {
      const response = await fetch(`http://127.0.0.1:${ports.certificates}/agencies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(agency),
      });
      expect(response.status).toBe(409);
      expect(await response.json()).toEqual({ code: 'AGENCY_EXISTS', message: expect.stringMatching(/已登记/) });
    });

    it('makes a suspension take effect in the recording service read model', async () => {
      const key = { dir: path.join(dataDir, 'auth'), issuer: 'enforcement-platform', audience: 'enforcement-platform' };
      const demo = new LocalIssuer(key);
      const admin = await demo.sign(
        { userId: 'd0000000-0000-4000-8000-000000000004', agencyId: 'a0000000-0000-4000-8000-000000000001', roles: ['agency-admin'] },
        { ttlSeconds: 600 },
      );
      const officerId = 'd0000000-0000-4000-8000-000000000001';
      const officer = await demo.sign(
        { userId: officerId, agencyId: 'a0000000-0000-4000-8000-000000000001', roles: ['officer'] },
        { ttlSeconds: 600 },
      );
      const detail = await call('GET', `http://127.0.0.1:${ports.certificates}/officers/${officerId}`, admin);
      const certificateId = (detail.body['certificates'] as Array<{ id: string }>)[0].id;

      const lagMs = await measureSuspensionLag(
        `http://127.0.0.1:${ports.certificates}`,
        `http://127.0.0.1:${ports.recording}`,
        admin,
        officer,
        certificateId,
      );
      console.log(`suspension lag certificates → recording (embedded, in-process): ${lagMs} ms`);
    });
  });

  describe('distributed: a process per service on MariaDB, Kafka and S3', () => {
    let platform: DistributedPlatform;
    let urls: Record<string, string>;
    let databases: Record<string, TestDatabase>;
    let processes: RunningProcess[];

    beforeAll(async () => {
      platform = await startDistributed(['certificates', 'recording']);
      ({ urls, databases } = platform);
      processes = [platform.processes['certificates'], platform.processes['recording']];
    }, 180_000);

    afterAll(async () => {
      await platform?.stop();
    });

    it('reports database and broker up on each service', async () => {
      for (const [index, service] of ['certificates', 'recording'].entries()) {
        const health = (await waitForHealthy(urls[service], processes[index])) as {
          details: Record<string, { status: string }>;
        };
        expect(health.details['database'].status).toBe('up');
        expect(health.details['transport'].status).toBe('up');
      }
    });

    it('delivers the event over Kafka into the recording read model on MariaDB', async () => {
      const id = await registerAgency(urls['certificates'], await platform.sign(systemAdmin));
      const connection = await createConnection(databases['recording'].url);
      try {
        const row = await eventually(
          async () => {
            const [rows] = await connection.query('SELECT name, region_code FROM known_agencies WHERE id = ?', [id]);
            return (rows as KnownAgency[])[0];
          },
          60_000,
          'the agency in recording over Kafka',
        );
        expect(row).toEqual({ name: agency.name, region_code: '310106' });
      } finally {
        await connection.end();
      }
    });

    it('makes a suspension take effect in the recording service read model over Kafka', async () => {
      const admin = await platform.sign(systemAdmin);
      const agencyId = await call('POST', `${urls['certificates']}/agencies`, admin, {
        ...agency,
        name: '上海市黄浦区市场监督管理局',
        creditCode: '11310101MB2F77777K',
        regionCode: '310101',
        domains: ['market-regulation'],
      }).then((r) => r.body['id'] as string);
      const officerId = await call('POST', `${urls['certificates']}/agencies/${agencyId}/officers`, admin, {
        name: '王明',
        idNumber: '11010519491231002X',
        roles: ['officer'],
      }).then((r) => r.body['id'] as string);
      const certificate = await call('POST', `${urls['certificates']}/officers/${officerId}/certificates`, admin, {
        number: 'SH-E2E-0001',
        issuingAuthority: '上海市人民政府',
        domains: ['market-regulation'],
        regionCodes: ['310101'],
        validFrom: '2026-01-01',
        validUntil: '2035-12-31',
      });
      expect(certificate.status).toBe(201);
      const officer = await platform.sign({ userId: officerId, agencyId, roles: ['officer'] });

      const lagMs = await measureSuspensionLag(urls['certificates'], urls['recording'], admin, officer, certificate.body['id'] as string);
      console.log(`suspension lag certificates → recording (distributed, Kafka): ${lagMs} ms`);
    });
  });
});
