import type { AuthenticatedUser } from '@enforcement/auth';
import * as http from 'node:http';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startDistributed, type DistributedPlatform, type ServiceInstance } from '../support/distributed';
import { eventually } from '../support/processes';

const systemAdmin: AuthenticatedUser = { userId: 'e2e-system-admin', agencyId: '', roles: ['system-admin'] };
const terms = { domains: ['market-regulation'], regionCodes: ['310101'], validFrom: '2026-01-01', validUntil: '2030-12-31' };

interface Json {
  status: number;
  body: Record<string, unknown> & { id?: string; status?: string; code?: string };
}

async function call(method: string, url: string, token: string, body?: unknown): Promise<Json> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json['body'] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client that keeps one kept-alive connection busy, as a load balancer does, until the server goes away. */
function busyClient(url: string): { requests: () => number; done: Promise<void> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let requests = 0;
  const once = () =>
    new Promise<boolean>((resolve) => {
      http
        .get(`${url}/health`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(true));
        })
        .on('error', () => resolve(false));
    });
  const done = (async () => {
    // Back to back: the connection is never idle for long, so closing idle connections alone never gets it.
    while (await once()) requests++;
    agent.destroy();
  })();
  return { requests: () => requests, done };
}

/**
 * Two instances of the certificates service on one database, as an orchestrator scales it out: the expiry job
 * runs on one of them at a time, and a SIGTERM lets a request in flight finish, hands the job over at once,
 * lets the relay publish what that request committed, and ends the process without a SIGKILL.
 */
describe('scale-out: two certificates instances on one database', () => {
  let platform: DistributedPlatform;
  let instances: ServiceInstance[];
  let db: Connection;
  let token: string;
  let officerId: string;

  const tookOverJob = (instance: ServiceInstance) =>
    instance.process
      .output()
      .split('\n')
      .filter((line) => line.includes('took over job certificate-expiry')).length;
  const errorLines = (instance: ServiceInstance) =>
    instance.process
      .output()
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line));
  const query = async <T>(sql: string, values: unknown[] = []) => (await db.query<RowDataPacket[]>(sql, values))[0] as T[];

  const issue = async (url: string, number: string) => {
    const issued = await call('POST', `${url}/officers/${officerId}/certificates`, token, {
      ...terms,
      number,
      issuingAuthority: '上海市人民政府',
    });
    expect(issued.status).toBe(201);
    return issued.body.id as string;
  };

  beforeAll(async () => {
    platform = await startDistributed(['certificates'], {
      env: { LOG_LEVEL: 'info', CERTIFICATE_EXPIRY_CHECK_INTERVAL_MS: '1000' },
    });
    await platform.startInstance('certificates');
    instances = platform.instances['certificates'];
    db = await createConnection(platform.databases['certificates'].url);
    token = await platform.sign(systemAdmin);
    const agency = await call('POST', `${instances[0].url}/agencies`, token, {
      name: '上海市黄浦区市场监督管理局',
      creditCode: '11310101MB2F77777Q',
      regionCode: '310101',
      domains: ['market-regulation'],
      legalBasis: '《中华人民共和国行政处罚法》',
    });
    expect(agency.status).toBe(201);
    const officer = await call('POST', `${instances[0].url}/agencies/${agency.body.id}/officers`, token, {
      name: '周九',
      idNumber: '11010519491231002X',
      roles: ['officer'],
    });
    expect(officer.status).toBe(201);
    officerId = officer.body.id as string;
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
  });

  it('runs the expiry job on exactly one instance', async () => {
    const id = await issue(instances[1].url, 'SH-SCALE-0001');
    const [holder, other] = tookOverJob(instances[0]) === 1 ? instances : [instances[1], instances[0]];
    expect([tookOverJob(holder), tookOverJob(other)]).toEqual([1, 0]);

    // Due now: the next run (every second) expires it, on the holder only.
    await db.query('UPDATE certificates SET valid_until_at = ? WHERE id = ?', [new Date(Date.now() - 1000), id]);
    await eventually(
      async () =>
        (await query<{ status: string }>('SELECT status FROM certificates WHERE id = ?', [id]))[0].status === 'expired' ? true : undefined,
      10_000,
      'the certificate expired by the job',
    );
    const history = await query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM certificate_history WHERE certificate_id = ? AND action = 'expire'",
      [id],
    );
    expect(Number(history[0].n)).toBe(1);
    expect(holder.process.output()).toContain('expired 1 certificate(s)');
    expect(other.process.output()).not.toContain('expired 1 certificate(s)');
  });

  it('on SIGTERM finishes the request in flight, hands the job over at once and exits by itself', async () => {
    const [holder, other] = tookOverJob(instances[0]) === 1 ? instances : [instances[1], instances[0]];
    const id = await issue(holder.url, 'SH-SCALE-0002');
    // Hold the holder's next request inside its transaction: the test locks the certificate row.
    await db.beginTransaction();
    await db.query('SELECT id FROM certificates WHERE id = ? FOR UPDATE', [id]);
    const suspension = call('POST', `${holder.url}/certificates/${id}/suspension`, token, { reason: '停止前受理的请求' });
    await eventually(
      async () => {
        const waiting = await query<{ n: number }>(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'UPDATE `certificates`%'",
        );
        return Number(waiting[0].n) > 0 ? true : undefined;
      },
      10_000,
      'the suspension waiting on the row lock',
    );

    const client = busyClient(holder.url);
    await sleep(300);

    const signalledAt = Date.now();
    const stopped = holder.process.stop(); // SIGTERM; SIGKILL only after 10 s
    // The job moves to the other instance while the holder is still finishing its request.
    await eventually(async () => (tookOverJob(other) === 1 ? true : undefined), 15_000, 'the other instance taking the job over');
    const tookOverAfterMs = Date.now() - signalledAt;
    expect(holder.process.running()).toBe(true);
    await sleep(500);
    await db.commit();

    const response = await suspension;
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('suspended');
    await stopped;
    const exitedAfterMs = Date.now() - signalledAt;
    await client.done;
    expect(client.requests()).toBeGreaterThan(3);
    console.log(`SIGTERM: job taken over after ${tookOverAfterMs} ms, process exited after ${exitedAfterMs} ms`);
    // Released on SIGTERM, not left to expire: a takeover by expiry would wait out the 30 s lease. How much under
    // that it comes depends on the machine's load (about 0.6 s on a quiet one).
    expect(exitedAfterMs).toBeLessThan(10_000);
    expect(tookOverAfterMs).toBeLessThan(15_000);
    expect(holder.process.output()).toContain('released job certificate-expiry');
    expect(errorLines(holder)).toEqual([]);

    // What the request committed while the holder was stopping is published (by it or by the other relay).
    await eventually(
      async () => {
        const rows = await query<{ sent: number }>(
          "SELECT sent_at IS NOT NULL AS sent FROM outbox_events WHERE partition_key = ? AND event_type LIKE '%CertificateSuspended'",
          [id],
        );
        return rows.length === 1 && Number(rows[0].sent) === 1 ? true : undefined;
      },
      10_000,
      'the suspension event relayed',
    );
    // And the relay's lease was released, not left to expire (15 s): the remaining instance's relay takes it on its next poll.
    await eventually(
      async () => {
        const [lease] = await query<{ live: number }>(
          "SELECT expires_at > UTC_TIMESTAMP(3) AS live FROM leases WHERE name = 'certificates'",
        );
        return Number(lease.live) === 1 ? true : undefined;
      },
      3000,
      'the relay lease taken by the remaining instance',
    );
  });
});
