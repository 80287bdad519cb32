import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { createConnection } from 'mysql2/promise';
import {
  haltScenarios,
  openCase,
  request,
  requestWithProofs,
  runScenario,
  send,
  setUpActors,
  until,
  type Actors,
  type ScenarioRun,
} from '../support/case-scenario';
import { startDistributed, type DistributedPlatform } from '../support/distributed';
import { EventAudit } from '../support/event-audit';
import { startEventProbe, type EventProbe } from '../support/event-probe';
import { eventually } from '../support/processes';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const MiB = 1024 * 1024;
const CASES = 16;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Faults under load, on the distributed deployment: the four services each a process of its own on its own
 * MariaDB database, a Kafka broker and an S3 server of this suite's own (it kills them), and recording's database
 * reached through a TCP proxy the suite can cut. Each test drives many cases over HTTP while one thing fails,
 * then counts every event written to an outbox and every effect applied through an inbox, from the databases:
 * they must be equal, with no duplicates and nothing lost.
 *
 * legal-review and publicity have no consumers yet: a probe stands in for them (see event-probe.ts).
 *
 * The first scenario also opens the first cases of a new agency four at a time, which deadlocked (a 500) before
 * the case-number counter row was created ahead of the opening transaction.
 */
describe('faults: events written once are applied once', () => {
  let platform: DistributedPlatform;
  let proxy: TcpProxy;
  let probe: EventProbe;
  let audit: EventAudit;
  let actors: Actors;
  let certificates: string;

  beforeAll(async () => {
    const server = new URL(process.env['TEST_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306');
    proxy = await startTcpProxy({ host: server.hostname || '127.0.0.1', port: Number(server.port || 3306) });
    platform = await startDistributed(['certificates', 'recording', 'legal-review', 'publicity'], {
      ownBroker: true,
      ownS3: true,
      databaseUrl: (service, url) => {
        if (service !== 'recording') return url;
        const proxied = new URL(url);
        proxied.hostname = proxy.host;
        proxied.port = String(proxy.port);
        return proxied.href;
      },
    });
    certificates = platform.urls['certificates'];
    probe = await startEventProbe(platform.kafka);
    const outboxes: Record<string, string> = Object.fromEntries(
      Object.entries(platform.databases).map(([service, database]) => [service, database.url]),
    );
    outboxes['legal-review stand-in'] = probe.database.url;
    audit = new EventAudit(outboxes, platform.databases['recording'].url, probe.database.url, platform.kafka);
    actors = await setUpActors(platform, certificates, platform.urls['recording']);
    // The stand-in concludes reviews as the agency's qualified reviewer (recording refuses anyone else's conclusion).
    probe.reviewerOfficerId = actors.reviewer.id;
    await expectClean(await audit.report('set-up'));
  }, 600_000);

  afterAll(async () => {
    haltScenarios();
    // The services' last log lines (warn and up), for a look after a failure.
    for (const [service, instances] of Object.entries(platform?.instances ?? {})) {
      instances.forEach((instance, n) => fs.writeFileSync(path.join(os.tmpdir(), `faults-${service}-${n}.log`), instance.process.output()));
    }
    await audit?.close();
    await probe?.stop().catch(() => undefined);
    await platform?.stop();
    await proxy?.close();
  }, 120_000);

  let probeDuplicates = 0;

  async function expectClean(result: Awaited<ReturnType<EventAudit['report']>>, run?: ScenarioRun): Promise<void> {
    if (run) console.log(`  clients: ${run.traffic.summary()}`);
    console.log(`  redeliveries the probe's inbox dropped: ${probe.deliveries.duplicate - probeDuplicates}`);
    probeDuplicates = probe.deliveries.duplicate;
    expect(result.details).toEqual([]);
    expect(result.orderViolations).toEqual([]);
    expect(result.lag).toEqual({ recording: 0, 'publicity-probe': 0 });
    expect(result.unsent).toBe(0);
    expect(result.written).toBeGreaterThan(0);
    expect(result.applied).toBe(result.written);
    expect(result.duplicates).toBe(0);
    expect(result.lost).toBe(0);
    if (run) {
      expect(run.traffic.serverErrors).toEqual([]);
      expect(run.traffic.hung).toEqual([]);
    }
  }

  /** Partitions assigned to each member of a consumer group. */
  const groupAssignment = async (group: string): Promise<number[]> => {
    const admin = new Kafka({ clientId: 'fault-groups', brokers: platform.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([platform.kafka.topicPrefix + group]);
      return (groups[0]?.members ?? []).map((member) => {
        const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        return Object.values(assignment?.assignment ?? {}).reduce((sum, partitions) => sum + partitions.length, 0);
      });
    } finally {
      await admin.disconnect();
    }
  };

  const health = async (url: string) => {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(15_000) });
    return { status: response.status, body: (await response.json()) as { details?: Record<string, { status: string }> } };
  };

  it('1. a Kafka broker killed (SIGKILL) mid-scenario and restarted on its log', async () => {
    const broker = platform.broker;
    if (!broker) throw new Error('the suite runs a broker of its own');
    const recording = platform.urls['recording'];
    const run = runScenario(actors, { label: 'broker', cases: CASES, recording: () => recording, certificates });
    await until(() => run.progress.opened >= 4, run, 120_000, 'the first cases');

    await broker.kill();
    const outage = Date.now();
    expect(run.progress.decided).toBeLessThan(CASES);
    try {
      // Writes do not wait for the broker: the events wait in the outboxes.
      for (let i = 0; i < 3; i++) {
        const opened = await openCase(run.traffic, actors, () => recording, `broker-outage-${i}`);
        expect(opened.status).toBe(201);
      }
      await until(() => run.progress.certificateRounds >= 2, run, 60_000, 'certificate changes during the outage');
      const during = await health(recording);
      console.log(`  recording /health with the broker down: ${during.status}, transport ${during.body.details?.['transport']?.status}`);
      await sleep(Math.max(0, 8_000 - (Date.now() - outage)));
    } finally {
      await broker.restart();
    }
    console.log(`  broker down for ${Math.round((Date.now() - outage) / 1000)} s`);

    await run.done;
    await expectClean(await audit.report('fault 1: Kafka broker killed and restarted'), run);
  }, 900_000);

  it('2. a service process killed (SIGKILL) mid-scenario and restarted, and one stopped gracefully (SIGTERM) and started again', async () => {
    const instance = platform.instances['recording'][0];
    const run = runScenario(actors, { label: 'process', cases: CASES, recording: () => instance.url, certificates });
    await until(() => run.progress.opened >= 4, run, 120_000, 'the first cases');

    expect(run.progress.decided).toBeLessThan(CASES);
    try {
      await instance.process.kill();
      await sleep(1_000);
    } finally {
      await platform.restartInstance(instance);
    }
    await until(() => run.progress.decided >= 6, run, 300_000, 'cases decided after the restart');

    // A graceful stop finishes the request in flight: a part upload still streaming its body.
    const caseId = run.caseIds[0];
    const bytes = randomBytes(MiB);
    const upload = await createUpload(instance.url, actors.a.token, caseId, bytes.length);
    const inFlight = slowPut(`${instance.url}/cases/${caseId}/evidence/uploads/${upload.uploadId}/parts/1`, actors.a.token, bytes, 16, 150);
    await sleep(500);
    const stopping = Date.now();
    const outputBefore = instance.process.output().length;
    try {
      await instance.process.stop();
      const stopMs = Date.now() - stopping;
      const part = await inFlight;
      const shutdownErrors = instance.process
        .output()
        .slice(outputBefore)
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line));
      console.log(
        `  SIGTERM: stopped in ${stopMs} ms; the part in flight answered ${part.status}; ${shutdownErrors.length} error lines while stopping`,
      );
      expect(part.status).toBe(200);
      // It exited by itself: stop() sends SIGKILL after 10 s.
      expect(stopMs).toBeLessThan(10_000);
      expect(shutdownErrors).toEqual([]);
      // The relay gave its lease back and the consumer left its group, so nobody waits for either to time out
      // (the lease after 15 s, the group session after 30 s).
      expect(await leaseExpiry('recording')).toBeLessThan(Date.now());
      await eventually(
        async () => ((await groupAssignment('recording')).length === 0 ? true : undefined),
        5_000,
        'the recording group empty',
      );
    } finally {
      if (!instance.process.running()) await platform.restartInstance(instance);
    }
    const sealed = await send(
      run.traffic,
      'completing the upload',
      () =>
        request('POST', `${instance.url}/cases/${caseId}/evidence/uploads/${upload.uploadId}/complete`, actors.a.token, {
          sha256: sha256(bytes),
        }),
      { accept: [201] },
    );
    expect(sealed.body['sha256']).toBe(sha256(bytes));

    await run.done;
    await expectClean(await audit.report('fault 2: process SIGKILL + SIGTERM'), run);
  }, 900_000);

  it('3. a second recording instance started and stopped while events flow (consumer-group rebalance)', async () => {
    const first = platform.instances['recording'][0];
    const pool = [first.url];
    let turn = 0;
    const cases = CASES + 8;
    // Cases from the 8th wait for the second instance to join, and the last few for it to leave: on a slow machine
    // the join alone can take as long as the first cases, and the scenario must not be over before either.
    const keptForAfterLeaving = 4;
    const joined = gate();
    const left = gate();
    const run = runScenario(actors, {
      label: 'rebalance',
      cases,
      recording: () => pool[turn++ % pool.length],
      certificates,
      beforeCase: (index) => (index >= cases - keptForAfterLeaving ? left.passed : index >= 8 ? joined.passed : Promise.resolve()),
    });
    try {
      await until(() => run.progress.opened >= 3, run, 120_000, 'the first cases');

      // Requests go to both instances in turn; the group splits the partitions between their consumers.
      const second = await platform.startInstance('recording');
      pool.push(second.url);
      const shares = await eventually(
        async () => {
          const assigned = await groupAssignment('recording');
          return assigned.length === 2 && assigned.every((partitions) => partitions > 0) ? assigned : undefined;
        },
        90_000,
        'partitions assigned to both recording instances',
      );
      console.log(`  rebalanced: partitions per instance ${shares.join(' + ')}, ${run.progress.decided} of ${cases} cases decided`);
      const decidedAtJoin = run.progress.decided;
      joined.open();
      await until(() => run.progress.decided >= Math.max(8, decidedAtJoin + 4), run, 300_000, 'cases decided with two instances');

      pool.splice(pool.indexOf(second.url), 1);
      await second.process.stop();
      expect(run.progress.decided).toBeLessThanOrEqual(cases - keptForAfterLeaving);
    } finally {
      joined.open();
      left.open();
    }
    await eventually(
      async () => ((await groupAssignment('recording')).length === 1 ? true : undefined),
      90_000,
      'one member left in the recording group',
    );
    console.log(`  second instance stopped with ${run.progress.decided} of ${cases} cases decided`);

    await run.done;
    await expectClean(await audit.report('fault 3: consumer-group rebalance'), run);
  }, 900_000);

  it('4. MariaDB unreachable for the recording service for a while', async () => {
    const recording = platform.urls['recording'];
    const run = runScenario(actors, { label: 'database', cases: CASES, recording: () => recording, certificates });
    await until(() => run.progress.opened >= 4, run, 120_000, 'the first cases');

    proxy.cut();
    const outage = Date.now();
    expect(run.progress.decided).toBeLessThan(CASES);
    try {
      const started = Date.now();
      const refused = await requestWithProofs(actors, 'POST', `${recording}/cases`, actors.a.token, {
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party: { kind: 'organisation', name: '上海某某商行', identifier: '91310101MA1FL9999K', contact: {} },
        allegedViolation: '无照经营（数据库中断期间）',
        legalBasis: '《无证无照经营查处办法》第十三条',
        coOfficerIds: [actors.b.id],
      });
      const openMs = Date.now() - started;
      const read = await request('GET', `${recording}/cases/${run.caseIds[0]}`, actors.a.token);
      const during = await health(recording);
      console.log(
        `  database cut: POST /cases ${refused.status} ${refused.body.code} in ${openMs} ms; GET /cases/:id ${read.status}; /health ${during.status}`,
      );
      expect(refused).toEqual({ status: 503, body: { code: 'DATABASE_UNAVAILABLE', message: expect.stringMatching(/数据库/) } });
      expect(openMs).toBeLessThan(5_000);
      expect(read.status).toBe(503);
      expect(read.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(during.status).toBe(503);
      expect(during.body.details?.['database']?.status).toBe('down');
      await sleep(Math.max(0, 10_000 - (Date.now() - outage)));
    } finally {
      proxy.heal();
    }
    console.log(
      `  database unreachable for ${Math.round((Date.now() - outage) / 1000)} s; proxy refused ${proxy.stats().refused} connections`,
    );

    // It recovers by itself.
    await eventually(
      async () => ((await health(recording).catch(() => undefined))?.status === 200 ? true : undefined),
      120_000,
      'recording healthy again',
    );
    await run.done;

    // No half-written case: each case has its party, all its records, an intact chain, and exactly its events.
    const cases = await queryRecording<{
      id: string;
      record_count: number;
      records: number;
      parties: number;
      opened: number;
      steps: number;
    }>(
      `SELECT c.id, c.record_count,
         (SELECT COUNT(*) FROM case_records r WHERE r.case_id = c.id) AS records,
         (SELECT COUNT(*) FROM case_parties p WHERE p.case_id = c.id) AS parties,
         (SELECT COUNT(*) FROM outbox_events o WHERE o.partition_key = c.id AND o.event_type = 'enforcement.recording.v1.CaseOpened') AS opened,
         (SELECT COUNT(*) FROM outbox_events o WHERE o.partition_key = c.id AND o.event_type = 'enforcement.recording.v1.StepRecorded') AS steps
       FROM cases c`,
    );
    const halfWritten = cases.filter(
      (c) =>
        Number(c.records) !== Number(c.record_count) ||
        Number(c.parties) !== 1 ||
        Number(c.opened) !== 1 ||
        Number(c.steps) !== Number(c.records) ||
        Number(c.records) < 1,
    );
    expect(halfWritten).toEqual([]);
    // Each case of the scenario exists once (no retry opened one twice), and the refused one not at all.
    expect(await countRows("SELECT COUNT(*) AS n FROM cases WHERE alleged_violation LIKE '%（database-%'")).toBe(CASES);
    expect(await countRows("SELECT COUNT(*) AS n FROM cases WHERE alleged_violation LIKE '%数据库中断期间%'")).toBe(0);
    for (const caseId of run.caseIds) {
      const verification = await request('GET', `${recording}/cases/${caseId}/verification`, actors.a.token);
      expect(verification.body).toMatchObject({ intact: true });
    }
    await expectClean(await audit.report('fault 4: database unreachable'), run);
  }, 900_000);

  it('5. the S3 server down during an evidence upload', async () => {
    const s3 = platform.s3Server;
    if (!s3) throw new Error('the suite runs an S3 server of its own');
    const recording = platform.urls['recording'];
    const run = runScenario(actors, { label: 'storage', cases: CASES, recording: () => recording, certificates });
    await until(() => run.progress.opened >= 2, run, 120_000, 'the first cases');

    const caseId = run.caseIds[0];
    const bytes = randomBytes(8 * MiB + 512 * 1024);
    const upload = await createUpload(recording, actors.a.token, caseId, bytes.length);
    expect(upload.partCount).toBe(2);
    const partOf = (n: number) => bytes.subarray((n - 1) * upload.partSize, Math.min(bytes.length, n * upload.partSize));
    const partUrl = (n: number) => `${recording}/cases/${caseId}/evidence/uploads/${upload.uploadId}/parts/${n}`;
    const complete = () =>
      request(
        'POST',
        `${recording}/cases/${caseId}/evidence/uploads/${upload.uploadId}/complete`,
        actors.a.token,
        { sha256: sha256(bytes) },
        60_000,
      );
    const evidenceOfCase = async () => {
      const listed = await request('GET', `${recording}/cases/${caseId}/evidence`, actors.a.token);
      expect(listed.status).toBe(200);
      return listed.body as unknown as Array<{ id: string; sha256: string }>;
    };
    expect((await putPart(partUrl(1), actors.a.token, partOf(1))).status).toBe(200);

    await s3.kill();
    expect(run.progress.decided).toBeLessThan(CASES);
    try {
      const started = Date.now();
      const failed = await putPart(partUrl(2), actors.a.token, partOf(2));
      const failMs = Date.now() - started;
      console.log(`  S3 down: PUT part 2 ${failed.status} ${failed.body.code} in ${failMs} ms`);
      expect(failed).toEqual({ status: 503, body: { code: 'STORAGE_UNAVAILABLE', message: expect.any(String) } });
      expect(failMs).toBeLessThan(10_000);
      const status = await request('GET', `${recording}/cases/${caseId}/evidence/uploads/${upload.uploadId}`, actors.a.token);
      expect(status.body).toMatchObject({ status: 'open', missing: [2] });
      expect((await evidenceOfCase()).map((item) => item.id)).not.toContain(upload.evidenceId);
    } finally {
      await s3.restart();
    }
    // The client sends the failed part again.
    expect((await putPart(partUrl(2), actors.a.token, partOf(2))).status).toBe(200);

    // Completing while the store is down fails the same way and leaves nothing behind.
    await s3.kill();
    try {
      const failed = await complete();
      console.log(`  S3 down: complete ${failed.status} ${failed.body.code}`);
      expect(failed.status).toBe(503);
      expect(failed.body.code).toBe('STORAGE_UNAVAILABLE');
      expect((await evidenceOfCase()).map((item) => item.id)).not.toContain(upload.evidenceId);
      const status = await request('GET', `${recording}/cases/${caseId}/evidence/uploads/${upload.uploadId}`, actors.a.token);
      expect(status.body).toMatchObject({ status: 'open', missing: [] });
    } finally {
      await s3.restart();
    }
    const sealed = await complete();
    expect(sealed.status).toBe(201);
    expect(sealed.body).toMatchObject({ id: upload.evidenceId, sha256: sha256(bytes), sizeBytes: bytes.length });
    expect((await evidenceOfCase()).find((item) => item.id === upload.evidenceId)?.sha256).toBe(sha256(bytes));

    await run.done;
    await expectClean(await audit.report('fault 5: S3 server down during an upload'), run);
  }, 900_000);

  async function queryRecording<T>(sql: string): Promise<T[]> {
    const connection = await createConnection(platform.databases['recording'].url);
    try {
      const [rows] = await connection.query(sql);
      return rows as T[];
    } finally {
      await connection.end();
    }
  }

  async function countRows(sql: string): Promise<number> {
    return Number((await queryRecording<{ n: number }>(sql))[0].n);
  }

  async function leaseExpiry(name: string): Promise<number> {
    const [lease] = await queryRecording<{ expires_at: Date }>(`SELECT expires_at FROM leases WHERE name = '${name}'`);
    return lease.expires_at.getTime();
  }
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function createUpload(recording: string, token: string, caseId: string, sizeBytes: number) {
  const now = Date.now();
  const created = await request('POST', `${recording}/cases/${caseId}/evidence/uploads`, token, {
    mediaType: 'video/mp4',
    sizeBytes,
    deviceId: 'BWC-FAULT-01',
    recordingStartedAt: new Date(now - 3_600_000).toISOString(),
    recordingEndedAt: new Date(now - 3_000_000).toISOString(),
  });
  expect(created.status).toBe(201);
  return created.body as unknown as { uploadId: string; evidenceId: string; partSize: number; partCount: number };
}

async function putPart(url: string, token: string, bytes: Buffer) {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { code?: string } };
}

/** A PUT whose body trickles in, so that it is still in flight when the service is told to stop. */
function slowPut(url: string, token: string, bytes: Buffer, chunks: number, intervalMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    });
    req.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const size = Math.ceil(bytes.length / chunks);
    let sent = 0;
    const tick = () => {
      req.write(bytes.subarray(sent, sent + size));
      sent += size;
      if (sent >= bytes.length) req.end();
      else setTimeout(tick, intervalMs);
    };
    tick();
  });
}

/** A promise a test opens when it is ready for what waits on it. */
function gate(): { passed: Promise<void>; open: () => void } {
  let open!: () => void;
  const passed = new Promise<void>((resolve) => (open = resolve));
  return { passed, open };
}
