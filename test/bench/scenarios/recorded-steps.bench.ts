import type { AuthenticatedUser } from '@enforcement/auth';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import { createConnection, createPool, type Pool } from 'mysql2/promise';
import { startDistributed, type DistributedPlatform } from '../../support/distributed';
import { call } from '../../support/http';
import { eventually } from '../../support/processes';
import { measureRate, type Measurement, type Round, type Scenario, type ScenarioContext } from '../harness';

export interface RecordedStepsOptions {
  /** Steps recorded (subject) and rows inserted (baseline) per side per round. */
  steps: number;
  /**
   * Cases the steps are spread over, one request in flight per case: appends to one case are serialised by its
   * hash chain (a second concurrent append would be refused CONCURRENT_CHANGE), so this is also the concurrency.
   */
  cases: number;
  /** DATABASE_POOL_SIZE of the recording service; undefined leaves the service's own default (10). */
  servicePoolSize?: number;
  /** Extra environment for both services (experiments). */
  serviceEnv?: Record<string, string>;
  /**
   * Records already in the cases of the subject side. When set, both sides go through the API: the baseline
   * records into fresh cases, the subject into cases that already hold this many records (filled untimed in
   * setup), so the ratio says whether a step's cost depends on the length of its case.
   */
  longCaseRecords?: number;
  name?: string;
  rounds?: number;
  warmupRounds?: number;
}

export const RECORDED_STEPS_DEFAULTS: RecordedStepsOptions = { steps: 600, cases: 16 };

const DOMAIN = 'market-regulation';
const REGION = '310101';
const PLACE = '上海市黄浦区南京东路1号';
const SYSADMIN: AuthenticatedUser = { userId: 'bench-sysadmin', agencyId: '', roles: ['system-admin'] };
/** Resident ID numbers with valid check digits (GB 11643), as the certificates service requires. */
const OFFICERS = [
  { key: 'a', idNumber: '11010519491231002X' },
  { key: 'b', idNumber: '440524188001010014' },
];
const STEP_TYPES = ['inquiry', 'other'] as const;
const REQUEST_TIMEOUT_MS = 20_000;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on every Linux build that matters). */
const CLOCK_TICKS = 100;
const TEXTS = ['询问当事人，制作询问笔录一份', '调取进货台账及销售记录'];

/** What the raw side inserts: a case_records row as the API would write it, minus the work of deciding it. */
type RawRow = [
  id: string,
  caseId: string,
  sequence: number,
  stepType: string,
  occurredAt: Date,
  recordedAt: Date,
  recordedBy: string,
  place: string,
  actingOfficerIds: string,
  certificates: string,
  fields: string,
  text: string,
  evidence: string,
  correctsRecordId: null,
  previousHash: string,
  hash: string,
];

const RAW_INSERT =
  'INSERT INTO bench_raw (id, case_id, sequence, step_type, occurred_at, recorded_at, recorded_by, place, acting_officer_ids, ' +
  'certificates, fields, text, evidence, corrects_record_id, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * Steps recorded per second through the API, against the floor cost of persisting a record. Subject: POST
 * /cases/:caseId/steps on the recording service (its own process, as deployed, on MariaDB, with Kafka
 * and the certificates service it learns certificates from) over keep-alive HTTP, each an 'inquiry' or 'other'
 * step with a short text, authenticated and certificate-checked, checked against the procedure, chained, with
 * its deadlines and its StepRecorded outbox row in one transaction. Baseline: rows of the same shape inserted
 * one by one in autocommit with mysql2 into a copy of case_records (same columns and indexes) in the same
 * database, at the same concurrency.
 *
 * Each round opens fresh cases (untimed), so every round records into cases that grow from 1 to ~steps/cases
 * records. With longCaseRecords the subject records into cases of that many records instead, and the baseline
 * is the same API on fresh cases: the procedure is checked on a state kept with the case, so the two should match.
 *
 * The log notes CPU time per step of the service process (from /proc, Linux only) and of this process (HTTP
 * client): the API side is bound by the service's one event loop, not by the database.
 */
export function recordedSteps(overrides: Partial<RecordedStepsOptions> = {}): Scenario {
  const options: RecordedStepsOptions = { ...RECORDED_STEPS_DEFAULTS, ...overrides };
  let platform: DistributedPlatform | undefined;
  let pool: Pool | undefined;
  let agent: http.Agent | undefined;
  let recording: URL | undefined;
  /** `proof` signs the officer's own fresh token, with which they confirm a step as co-officer (Art. 42). */
  let officers: Array<{ id: string; token: string; proof: () => Promise<string> }> = [];
  /** The recording service's process id, when /proc tells it; only for the CPU notes. */
  let servicePid: number | undefined;
  /** The other processes on this machine a step makes work for (the database, the broker, certificates), for the CPU notes. */
  let neighbours: Array<{ name: string; pid: number }> = [];
  /** Raw rows per second of the baseline measured last, for the floor note. */
  let latestRawRate: number | undefined;
  /** With longCaseRecords: the cases that already hold that many records. */
  let longCases: string[] = [];

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`recorded-steps: ${what} is not set up`);
    return value;
  };

  /** One request on the kept-alive agent; a GET when there is no body. */
  const send = (path: string, token: string, body?: string, proof?: string): Promise<{ status: number; body: string }> => {
    const target = required(recording, 'recording service');
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path,
          method: body === undefined ? 'GET' : 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
            ...(proof === undefined ? {} : { 'x-co-officer-tokens': proof }),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      // A stuck service must fail the round, not hang the run.
      request.setTimeout(REQUEST_TIMEOUT_MS, () => {
        request.destroy(new Error(`${body === undefined ? 'GET' : 'POST'} ${path}: no answer within ${REQUEST_TIMEOUT_MS / 1000} s`));
      });
      request.end(body);
    });
  };

  /** `lanes` workers, each on its own case, taking the next of `count` units until none is left. */
  const inLanes = async (count: number, lanes: number, work: (lane: number, unit: number) => Promise<void>): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let unit = next++; unit < count; unit = next++) await work(lane, unit);
      }),
    );
  };

  const openCase = async (
    officer: { token: string },
    coOfficer: { id: string; proof: () => Promise<string> },
    index: number,
  ): Promise<string> => {
    const proof = { 'x-co-officer-tokens': await coOfficer.proof() };
    const opened = await call(
      'POST',
      `${required(recording, 'recording service').origin}/cases`,
      officer.token,
      {
        domain: DOMAIN,
        regionCode: REGION,
        procedure: 'general',
        party: {
          kind: 'organisation',
          name: `上海某某食品有限公司${index}`,
          identifier: '91310101MA1FL1234C',
          contact: { phone: '021-12345678' },
        },
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [coOfficer.id],
        place: PLACE,
      },
      proof,
    );
    if (opened.status !== 201) throw new Error(`opening a case: ${opened.status} ${JSON.stringify(opened.body)}`);
    return opened.body['id'] as string;
  };

  const scalar = async (sql: string, values: unknown[] = []): Promise<number> => {
    const [rows] = await required(pool, 'pool').query(sql, values);
    return Number((rows as Array<{ n: number | string }>)[0].n);
  };

  const serviceOutput = () => platform?.processes['recording']?.output().slice(-3000) || '(none)';

  /** The service's relay publishes each step's event after the commit; the next side must not pay for that. */
  const outboxDrained = () =>
    eventually(
      async () => ((await scalar('SELECT COUNT(*) AS n FROM outbox_events WHERE sent_at IS NULL')) === 0 ? true : undefined),
      30_000,
      'the outbox relay to publish the recorded steps',
    );

  /** Step bodies for `count` steps, alternating officers (each with the other beside it: an inquiry needs two, Art. 42). */
  const stepBodies = (count: number): string[] => {
    const [a, b] = officers;
    // After the openings (a step cannot happen before its case was opened), and not in the future.
    const occurredAt = new Date().toISOString();
    return Array.from({ length: count }, (_, i) =>
      JSON.stringify({
        stepType: STEP_TYPES[i % STEP_TYPES.length],
        occurredAt,
        place: PLACE,
        text: TEXTS[i % TEXTS.length],
        coOfficerIds: [(i % 2 === 0 ? b : a).id],
      }),
    );
  };

  /**
   * Each step's co-officer confirms with a fresh token of their own, spent once; minted before the clock starts, as the
   * co-officer's own device would.
   */
  const proofsFor = (bodies: string[]): Promise<string[]> =>
    Promise.all(
      bodies.map((body) => {
        const [coOfficerId] = (JSON.parse(body) as { coOfficerIds: string[] }).coOfficerIds;
        return required(
          officers.find((officer) => officer.id === coOfficerId),
          'co-officer',
        ).proof();
      }),
    );

  /** POSTs the steps, one lane per case, officer a and b in turn; throws unless every one is recorded. */
  const postSteps = async (caseIds: string[], bodies: string[], proofs: string[]): Promise<Measurement> => {
    const tokens = officers.map((officer) => officer.token);
    let recorded = 0;
    let problem: string | undefined;
    const measurement = await measureRate(bodies.length, () =>
      inLanes(bodies.length, caseIds.length, async (lane, unit) => {
        const response = await send(`/cases/${caseIds[lane]}/steps`, tokens[unit % tokens.length], bodies[unit], proofs[unit]);
        if (response.status === 201) recorded++;
        else problem ??= `${response.status} ${response.body.slice(0, 300)}`;
      }),
    ).catch((error: unknown) => {
      const output = serviceOutput();
      throw new Error(`${recorded} steps recorded, then: ${String(error)}; the service's last output:\n${output}`, { cause: error });
    });
    if (recorded !== bodies.length) throw new Error(`${recorded} of ${bodies.length} steps recorded (201); first other: ${problem}`);
    return measurement;
  };

  /**
   * Starts counting the CPU time of the service, of its neighbours and of this process; the function returned says
   * what each of `units` cost each of them since. On a shared 2-core machine they all compete for the same cores, so
   * a side's rate follows the sum, not the service's share alone.
   */
  const countCpu = async () => {
    const counted = [{ name: 'recording service', pid: servicePid }, ...neighbours];
    const before = await Promise.all(counted.map(({ pid }) => cpuMsOf(pid)));
    const clientBefore = process.cpuUsage();
    return async (units: number, elapsedMs: number, digits = 2): Promise<string> => {
      const client = process.cpuUsage(clientBefore);
      const after = await Promise.all(counted.map(({ pid }) => cpuMsOf(pid)));
      const perUnit = (ms: number) => `${(ms / units).toFixed(digits)} ms`;
      const notes = counted.flatMap(({ name }, i) => {
        const [start, end] = [before[i], after[i]];
        if (start === undefined || end === undefined) return [];
        // The service's share of a core says whether its one event loop was the bottleneck.
        const share = i === 0 ? ` (${(((end - start) / elapsedMs) * 100).toFixed(0)}% of a core)` : '';
        return [`${name} ${perUnit(end - start)}${share}`];
      });
      return [...notes, `bench process ${perUnit((client.user + client.system) / 1000)}`].join(', ');
    };
  };

  /** The timed side through the API: the steps, the CPU they cost, and a check that they are all in intact chains. */
  const recordSteps = async (caseIds: string[], bodies: string[], context: ScenarioContext, label = ''): Promise<Measurement> => {
    const proofs = await proofsFor(bodies);
    const before = await scalar(`SELECT COUNT(*) AS n FROM case_records WHERE case_id IN (${caseIds.map(() => '?').join(', ')})`, caseIds);
    const cpu = await countCpu();
    const measurement = await postSteps(caseIds, bodies, proofs);
    context.log(`    CPU per step${label}: ${await cpu(bodies.length, measurement.elapsedMs)}`);
    const grown =
      (await scalar(`SELECT COUNT(*) AS n FROM case_records WHERE case_id IN (${caseIds.map(() => '?').join(', ')})`, caseIds)) - before;
    if (grown !== bodies.length) throw new Error(`case_records grew by ${grown} records, expected ${bodies.length}`);
    const origin = required(recording, 'recording service').origin;
    const verification = await call('GET', `${origin}/cases/${caseIds[0]}/verification`, officers[0].token);
    if (verification.body['intact'] !== true) throw new Error(`chain of case ${caseIds[0]}: ${JSON.stringify(verification.body)}`);
    await outboxDrained();
    return measurement;
  };

  /**
   * The floor under a step, noted untimed after the subject: as many certificate preflights (GET /certificate-check
   * naming the other officer) at the same concurrency, on the same service. Each passes what every request passes
   * (Node's HTTP server, Express, the middleware, Nest, authentication, the answer) and both officers' certificate
   * check, and nothing a step adds: no body, no case read and seal, no co-officer proof, no transaction, no outbox.
   * Its rate against the raw inserts, and its service CPU, show how much of a step is the request pipeline.
   */
  const notePipelineFloor = async (count: number, lanes: number, rawRate: number | undefined, context: ScenarioContext): Promise<void> => {
    const [a, b] = officers;
    const cpu = await countCpu();
    let problem: string | undefined;
    const measurement = await measureRate(count, () =>
      inLanes(count, lanes, async (_lane, unit) => {
        const [officer, other] = unit % 2 === 0 ? [a, b] : [b, a];
        const response = await send(`/certificate-check?domain=${DOMAIN}&regionCode=${REGION}&coOfficerIds=${other.id}`, officer.token);
        if (response.status !== 200) problem ??= `${response.status} ${response.body.slice(0, 300)}`;
      }),
    );
    if (problem !== undefined) throw new Error(`certificate preflight refused: ${problem}`);
    const ratio = rawRate === undefined ? '' : ` (${(measurement.value / rawRate).toFixed(2)} of the raw inserts)`;
    context.log(
      `    floor: ${Math.round(measurement.value).toLocaleString('en')} certificate preflights/s${ratio}; CPU per request: ` +
        (await cpu(count, measurement.elapsedMs)),
    );
  };

  /** Cases opened for this run or round, by officer a with b (Art. 42), before any clock starts. */
  const openCases = async (count: number, first: number): Promise<string[]> => {
    const [a, b] = officers;
    const caseIds: string[] = [];
    for (let i = 0; i < count; i++) caseIds.push(await openCase(a, b, first + i));
    return caseIds;
  };

  return {
    name: options.name ?? (options.longCaseRecords ? 'recorded-steps-long-cases' : 'recorded-steps'),
    description: options.longCaseRecords
      ? `${options.steps} × POST /cases/:id/steps on the recording service (own process, MariaDB, ${options.cases} cases) into cases ` +
        `that already hold ${options.longCaseRecords} records, vs as many into freshly opened cases: a step's work must not grow with its case`
      : `${options.steps} × POST /cases/:id/steps on the recording service (own process, MariaDB, keep-alive HTTP, ${options.cases} cases, ` +
        `one step in flight each, service pool ${options.servicePoolSize ?? 'default'}) vs as many raw one-row autocommit INSERTs ` +
        `of the same rows into a copy of case_records (mysql2, same concurrency)`,
    unit: 'steps/s',
    higherIsBetter: true,
    // The API side takes ~2 ms of service CPU per step, so 600 steps are 1.2–3 s on a shared 2-core machine and the raw
    // side under 0.2 s; nine such rounds and the ~10 s start of two services keep the scenario about a minute.
    rounds: options.rounds ?? 6,
    // The service's CPU per step falls over its first ~3,000 steps (JIT, pool connections, the heap's young generation
    // growing) and is flat after: 3.7, 2.8, 2.5, 2.1, 2.1, then 1.8–2.1 ms for 26 more rounds in a 31-round run. Long
    // cases are warm already: filling them records 8,000 steps first.
    warmupRounds: options.warmupRounds ?? (options.longCaseRecords ? 1 : 3),
    // Issue #9's targets: at least 0.15 of raw inserts (a step is 7 statements, one transaction, Nest's pipeline and an
    // outbox row to publish, against one autocommit INSERT); on long cases within 20% of fresh ones.
    target: { minRatio: options.longCaseRecords ? 0.8 : 0.15 },

    async setup(context: ScenarioContext) {
      const started = Date.now();
      const env: Record<string, string> = { ...options.serviceEnv };
      if (options.servicePoolSize !== undefined) env['DATABASE_POOL_SIZE'] ??= String(options.servicePoolSize);
      // Both sides reach MariaDB alike: through its Unix socket when it runs on this machine (as a same-host deployment
      // would, DATABASE_URL's ?socket=), else over TCP.
      const socket = await localSocketOf(process.env['TEST_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306');
      const viaSocket = (url: string) => (socket ? `${url}?socket=${encodeURIComponent(socket)}` : url);
      platform = await startDistributed(['certificates', 'recording'], { env, databaseUrl: (_service, url) => viaSocket(url) });
      const service = new URL(platform.urls['recording']);
      recording = service;
      const certificates = platform.urls['certificates'];
      const admin = await platform.sign(SYSADMIN);
      const agency = await call('POST', `${certificates}/agencies`, admin, {
        name: '上海市黄浦区市场监督管理局',
        creditCode: '11310101MB2F00009Y',
        regionCode: REGION,
        domains: [DOMAIN],
        legalBasis: '《中华人民共和国行政处罚法》',
      });
      if (agency.status !== 201) throw new Error(`creating the agency: ${agency.status} ${JSON.stringify(agency.body)}`);
      const agencyId = agency.body['id'] as string;
      officers = [];
      for (const { key, idNumber } of OFFICERS) {
        const officer = await call('POST', `${certificates}/agencies/${agencyId}/officers`, admin, {
          name: `执法人员${key}`,
          idNumber,
          roles: ['officer'],
        });
        if (officer.status !== 201) throw new Error(`creating officer ${key}: ${officer.status} ${JSON.stringify(officer.body)}`);
        const id = officer.body['id'] as string;
        const certificate = await call('POST', `${certificates}/officers/${id}/certificates`, admin, {
          number: `SH-BENCH-${key}`,
          issuingAuthority: '上海市人民政府',
          domains: [DOMAIN],
          regionCodes: [REGION],
          validFrom: '2020-01-01',
          validUntil: '2035-12-31',
        });
        if (certificate.status !== 201) {
          throw new Error(`certifying officer ${key}: ${certificate.status} ${JSON.stringify(certificate.body)}`);
        }
        const sign = platform.sign.bind(platform);
        officers.push({
          id,
          token: await sign({ userId: id, agencyId, roles: ['officer'] }),
          proof: () => sign({ userId: id, agencyId, roles: ['officer'] }),
        });
      }
      // Recording learns the certificates from the certificates service's events, not from a call.
      for (const officer of officers) {
        await eventually(
          async () => {
            const result = await call('GET', `${service.origin}/certificate-check?domain=${DOMAIN}&regionCode=${REGION}`, officer.token);
            return result.status === 200 ? true : undefined;
          },
          60_000,
          'the certificates in the recording read model',
        );
      }

      pool = createPool({
        uri: platform.databases['recording'].url,
        ...(socket ? { socketPath: socket } : {}),
        connectionLimit: options.cases,
        timezone: 'Z',
        charset: 'utf8mb4_unicode_ci',
      });
      await pool.query('CREATE TABLE bench_raw LIKE case_records');
      agent = new http.Agent({ keepAlive: true, maxSockets: options.cases, maxFreeSockets: options.cases });

      servicePid = await processWith(`DATABASE_URL=${viaSocket(platform.databases['recording'].url)}`);
      neighbours = await neighbourProcesses(`DATABASE_URL=${viaSocket(platform.databases['certificates'].url)}`);

      if (options.longCaseRecords) {
        const filling = Date.now();
        longCases = await openCases(options.cases, 1_000_000);
        const bodies = stepBodies(options.cases * options.longCaseRecords);
        await postSteps(longCases, bodies, await proofsFor(bodies));
        context.log(
          `${options.cases} cases filled with ${options.longCaseRecords} records each in ${((Date.now() - filling) / 1000).toFixed(1)} s`,
        );
      }

      const [[server]] = (await pool.query('SELECT VERSION() AS version, @@innodb_flush_log_at_trx_commit AS flush')) as unknown as [
        Array<{ version: string; flush: number }>,
      ];
      context.log(
        `certificates + recording up and certificates known to recording in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
          `MariaDB ${server.version} (${socket ? `Unix socket ${socket}` : 'TCP'}), innodb_flush_log_at_trx_commit=${server.flush}; ` +
          `recording service pool ` +
          `${options.servicePoolSize ?? 'default'}${servicePid === undefined ? '' : `, pid ${servicePid}`}`,
      );
    },

    async round(index: number, context: ScenarioContext): Promise<Round> {
      const data = required(pool, 'pool');
      const [a, b] = officers;
      if (!a || !b) throw new Error('recorded-steps: officers are not set up');

      const caseIds = await openCases(options.cases, index * options.cases);
      const bodies = stepBodies(options.steps);
      const occurredAt = JSON.parse(bodies[0]).occurredAt as string;
      if (longCases.length > 0) {
        // Both sides through the API: fresh cases against cases that already hold longCaseRecords records.
        return {
          baseline: () => recordSteps(caseIds, bodies, context, ' (fresh cases)'),
          subject: () => recordSteps(longCases, stepBodies(options.steps), context, ` (cases of ${options.longCaseRecords}+ records)`),
        };
      }

      // The raw rows, ready to bind: what the API writes for such a step (a shown certificate, the acting officer).
      const rawCases = Array.from({ length: options.cases }, () => randomUUID());
      const rawSequences = new Array<number>(options.cases).fill(1);
      const fakeHash = (i: number) => i.toString(16).padStart(64, '0');
      const row = (lane: number, unit: number): RawRow => {
        const [officer, other] = unit % 2 === 0 ? [a, b] : [b, a];
        return [
          randomUUID(),
          rawCases[lane],
          ++rawSequences[lane],
          STEP_TYPES[unit % STEP_TYPES.length],
          new Date(occurredAt),
          new Date(),
          officer.id,
          PLACE,
          JSON.stringify([officer.id, other.id]),
          JSON.stringify(
            [officer, other].map((acting) => ({
              officerId: acting.id,
              certificateId: randomUUID(),
              number: `SH-BENCH-${acting === a ? 'a' : 'b'}`,
            })),
          ),
          '{}',
          TEXTS[unit % TEXTS.length],
          '[]',
          null,
          fakeHash(unit),
          fakeHash(unit + 1),
        ];
      };
      const rows = Array.from({ length: options.steps }, (_, unit) => row(unit % options.cases, unit));

      return {
        baseline: async (): Promise<Measurement> => {
          const before = await scalar('SELECT COUNT(*) AS n FROM bench_raw');
          const cpu = await countCpu();
          const measurement = await measureRate(options.steps, () =>
            inLanes(options.steps, options.cases, async (_lane, unit) => {
              await data.execute(RAW_INSERT, rows[unit]);
            }),
          );
          // In 10 ms clock ticks over a side of ~0.1 s: read to about a tenth.
          context.log(`    CPU per raw row: ${await cpu(options.steps, measurement.elapsedMs, 3)}`);
          const grown = (await scalar('SELECT COUNT(*) AS n FROM bench_raw')) - before;
          if (grown !== options.steps) throw new Error(`raw side inserted ${grown} rows, expected ${options.steps}`);
          latestRawRate = measurement.value;
          return measurement;
        },
        subject: async (): Promise<Measurement> => {
          const measurement = await recordSteps(caseIds, bodies, context);
          // Which side runs first alternates: the floor is compared with the raw rate measured last (this round's or the one before).
          await notePipelineFloor(options.steps, options.cases, latestRawRate, context);
          return measurement;
        },
      };
    },

    async teardown() {
      agent?.destroy();
      const outcomes = [...(await Promise.allSettled([pool?.end()])), ...(await Promise.allSettled([platform?.stop()]))];
      platform = pool = agent = recording = servicePid = latestRawRate = undefined;
      officers = [];
      longCases = [];
      neighbours = [];
      const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failures.length > 0) throw new Error(`teardown: ${failures.map((failure) => String(failure.reason)).join('; ')}`);
    },
  };
}

/** CPU time (ms) process `pid` has used so far, or undefined where /proc cannot tell. */
async function cpuMsOf(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const fields = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** MariaDB's Unix socket when the server at `url` runs on this machine and has one; else undefined (TCP then). */
async function localSocketOf(url: string): Promise<string | undefined> {
  const connection = await createConnection({ uri: url });
  try {
    const [[row]] = (await connection.query('SELECT @@socket AS socket')) as unknown as [Array<{ socket: string | null }>];
    if (!row.socket) return undefined;
    const found = await fs.stat(row.socket).catch(() => undefined);
    return found?.isSocket() ? row.socket : undefined;
  } finally {
    await connection.end();
  }
}

/** The process whose environment holds `entry` (e.g. a database URL only it was given), where /proc tells it. */
async function processWith(entry: string): Promise<number | undefined> {
  let pids: string[];
  try {
    pids = (await fs.readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      if ((await fs.readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').includes(entry)) return Number(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

/**
 * The processes on this machine that a step makes work for, where /proc tells them: MariaDB's server (each statement),
 * the Kafka broker (each StepRecorded the relay publishes) and the certificates service (none expected: recording
 * knows certificates from events). On a shared 2-core machine they compete with the service for the same cores.
 */
async function neighbourProcesses(certificatesEntry: string): Promise<Array<{ name: string; pid: number }>> {
  const found: Array<{ name: string; pid: number }> = [];
  let pids: string[];
  try {
    pids = (await fs.readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  for (const pid of pids) {
    try {
      const comm = (await fs.readFile(`/proc/${pid}/comm`, 'utf8')).trim();
      if (comm === 'mariadbd' || comm === 'mysqld') found.push({ name: 'MariaDB', pid: Number(pid) });
      else if (comm === 'java' && (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').includes('kafka.Kafka')) {
        found.push({ name: 'Kafka', pid: Number(pid) });
      }
    } catch {
      // gone, or not ours to read
    }
  }
  const certificates = await processWith(certificatesEntry);
  if (certificates !== undefined) found.push({ name: 'certificates', pid: certificates });
  return found;
}

/** recorded-steps on cases of 500 records against fresh ones (issue #9: within 20%). */
export function recordedStepsOnLongCases(): Scenario {
  return recordedSteps({ longCaseRecords: 500 });
}
