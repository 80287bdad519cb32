import { Controller, Get, Injectable, Module, NotFoundException, Param, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AuthModule, LocalIssuer, type AuthConfig, type AuthenticatedUser } from '@enforcement/auth';
import {
  CERTIFICATE_READ_MODEL_ENTITIES,
  CERTIFICATE_READ_MODEL_MIGRATIONS,
  CertificateCheckModule,
  CertificateDirectoryService,
  RequiresCertificate,
  type ActionScope,
  type CertificateFacts,
  type CertificateScopeResolver,
  type CertificateStatus,
  type CertifiedRequest,
} from '@enforcement/certificates';
import { PersistenceModule } from '@enforcement/persistence';
import { FASTIFY_OPTIONS } from '@enforcement/service-runtime';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { median, type Measurement, type Round, type Scenario, type ScenarioContext } from '../harness';

export interface CertificateGuardOverheadOptions {
  /** Timed requests per side per round. */
  requests: number;
  /** Requests per burst: a round's timed load takes turns between the two kinds every `burst` requests. */
  burst: number;
  /** Untimed requests at the start of each round's load, the two kinds taken in turn request by request. */
  leadIn: number;
  /** Requests in flight at once, each on its own keep-alive connection. */
  concurrency: number;
  /** Certificates loaded in the directory. */
  certificates: number;
  /** Distinct certified officers making the requests, one token each, taken in turn. */
  requestingOfficers: number;
  name?: string;
  rounds?: number;
  warmupRounds?: number;
}

export const CERTIFICATE_GUARD_OVERHEAD_DEFAULTS: CertificateGuardOverheadOptions = {
  requests: 1000,
  burst: 50,
  leadIn: 200,
  concurrency: 16,
  certificates: 100_000,
  requestingOfficers: 64,
};

const ISSUER = 'https://bench.enforcement.invalid/auth';
const AUDIENCE = 'enforcement-bench';
const DOMAIN = 'market-regulation';
const DOMAINS = ['market-regulation', 'ecology-environment', 'urban-management', 'transport', 'emergency-management', 'culture-tourism'];
const PROVINCES = ['11', '12', '31', '32', '33', '37', '44', '51', '61', '65'];
const DAY_MS = 24 * 3600 * 1000;

/** The cases the requests name: Shanghai districts, where the requesting officers are certified. */
const CASES = new Map<string, ActionScope>(
  ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112'].map((regionCode, i) => [
    `case-${i}`,
    { domain: DOMAIN, regionCode },
  ]),
);

@Injectable()
class BenchCases {
  scopeOf(caseId: string): ActionScope {
    const scope = CASES.get(caseId);
    if (!scope) throw new NotFoundException({ code: 'CASE_NOT_FOUND', message: '案件不存在' });
    return scope;
  }
}

/** The scope by an injectable resolver, as services wire it (a case lookup). */
@Injectable()
class BenchCaseScope implements CertificateScopeResolver {
  constructor(private readonly cases: BenchCases) {}

  resolve(request: CertifiedRequest): ActionScope {
    return this.cases.scopeOf(String(request.params['caseId']));
  }
}

/** Two endpoints alike in all but the certificate check; both behind the global authentication guard. */
@Controller('cases/:caseId')
class BenchCasesController {
  @Get('plain')
  plain(@Param('caseId') caseId: string) {
    return { caseId };
  }

  @Get('certified')
  @RequiresCertificate({ scope: BenchCaseScope, onSite: false })
  certified(@Param('caseId') caseId: string) {
    return { caseId };
  }
}

function benchAppModule(auth: AuthConfig) {
  @Module({
    imports: [
      PersistenceModule.forRootAsync({
        useFactory: () => ({
          sqliteFile: ':memory:',
          entities: CERTIFICATE_READ_MODEL_ENTITIES,
          migrations: CERTIFICATE_READ_MODEL_MIGRATIONS,
        }),
      }),
      AuthModule.forRoot(auth),
      // Polling off: the directory is fed once, below, and a timer must not tick inside either side's timing.
      CertificateCheckModule.forRoot({ pollIntervalMs: 0, supervisionController: false }),
    ],
    controllers: [BenchCasesController],
    providers: [BenchCases, BenchCaseScope],
  })
  class BenchAppModule {}
  return BenchAppModule;
}

/** Marks the requests of timed bursts, so that the server can tell them from the lead-in's. */
const TIMED_HEADER = 'x-bench-timed';

/**
 * The load generator, in a child process so that the server's event loop does only the server's work and the
 * throughput measured is the server's. Plain JavaScript: the child does not go through the TypeScript loader. It
 * takes its settings, then jobs, over IPC.
 *
 * A 'single' job sends `count` requests to one endpoint (the setup check). A 'mixed' job is one round's load: both
 * kinds of request at the same concurrency, first an untimed lead-in that takes them in turn request by request,
 * then the given bursts, each drained before the next starts, so that every request in flight during a burst is of
 * the burst's kind and the burst's wall time is that kind's. Every answer is checked (200 and the exact body); the
 * latency of every timed request is noted by kind.
 */
const LOAD_GENERATOR = `
const http = require('node:http');
const TIMED_HEADER = '${TIMED_HEADER}';
let settings;
let agent;

function get(path, token, timed) {
  return new Promise((resolve, reject) => {
    const headers = { authorization: 'Bearer ' + token };
    if (timed) headers[TIMED_HEADER] = '1';
    const request = http.request({ host: settings.host, port: settings.port, path, method: 'GET', agent, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

function tally(endpoint) {
  return { endpoint, sent: 0, ok: 0, problem: undefined, next: 0, elapsedNs: 0, bursts: 0, latencies: [] };
}

/** One request of side's kind; each kind takes the cases and officers in the same order. */
async function send(side, token, timed) {
  const { caseIds, tokens } = settings;
  const i = side.next++;
  const caseId = caseIds[i % caseIds.length];
  side.sent++;
  const sent = process.hrtime.bigint();
  const { status, body } = await get('/cases/' + caseId + '/' + side.endpoint, token ?? tokens[i % tokens.length], timed);
  if (timed) side.latencies.push(Number(process.hrtime.bigint() - sent));
  if (status === 200 && body === JSON.stringify({ caseId })) side.ok++;
  else side.problem ??= status + ' ' + body.slice(0, 300);
}

/** count requests, concurrency at a time, the n-th of kind pick(n); all answered before it returns. */
async function burst(count, pick, token, timed) {
  let issued = 0;
  const lane = async () => {
    while (issued < count) await send(pick(issued++), token, timed);
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, count) }, lane));
}

function summary(side) {
  const sorted = Float64Array.from(side.latencies).sort();
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    sent: side.sent,
    ok: side.ok,
    problem: side.problem,
    requests: sorted.length,
    bursts: side.bursts,
    elapsedMs: side.elapsedNs / 1e6,
    latencyMs: { mean: total / sorted.length / 1e6, p50: at(0.5) / 1e6, p99: at(0.99) / 1e6 },
  };
}

async function single(job) {
  const side = tally(job.endpoint);
  await burst(job.count, () => side, job.token, false);
  return summary(side);
}

async function mixed(job) {
  const sides = { plain: tally('plain'), certified: tally('certified') };
  const inTurn = [sides.plain, sides.certified];
  await burst(job.leadIn, (n) => inTurn[n % 2], undefined, false);
  for (const { endpoint, count } of job.bursts) {
    const side = sides[endpoint];
    const started = process.hrtime.bigint();
    await burst(count, () => side, undefined, true);
    side.elapsedNs += Number(process.hrtime.bigint() - started);
    side.bursts++;
  }
  return { plain: summary(sides.plain), certified: summary(sides.certified) };
}

process.on('message', (message) => {
  if (message.kind === 'settings') {
    settings = message;
    agent = new http.Agent({ keepAlive: true, maxSockets: settings.concurrency, maxFreeSockets: settings.concurrency });
    return;
  }
  if (message.kind === 'close') {
    agent?.destroy();
    process.disconnect();
    return;
  }
  (message.kind === 'mixed' ? mixed(message) : single(message)).then(
    (outcome) => process.send({ id: message.id, outcome }),
    (error) => process.send({ id: message.id, error: String((error && error.stack) || error) }),
  );
});
// Ends with the parent, whatever happens to it.
process.on('disconnect', () => process.exit(0));
`;

type Endpoint = 'plain' | 'certified';

interface LoadSettings {
  host: string;
  port: number;
  concurrency: number;
  caseIds: string[];
  tokens: string[];
}

/** `count` requests to one endpoint, all with `token` if given, else with the certified officers' in turn. */
interface SingleJob {
  kind: 'single';
  endpoint: Endpoint;
  count: number;
  token?: string;
}

/** A round's load: `leadIn` untimed requests, the kinds in turn, then the timed bursts in the order given. */
interface MixedJob {
  kind: 'mixed';
  leadIn: number;
  bursts: Array<{ endpoint: Endpoint; count: number }>;
}

/** What came back from one kind of request. */
interface SideOutcome {
  /** Requests sent, the lead-in's included. */
  sent: number;
  /** Of those, answered 200 with the exact body expected. */
  ok: number;
  /** The first answer that was not. */
  problem?: string;
  /** Requests in timed bursts. */
  requests: number;
  /** Timed bursts. */
  bursts: number;
  /** Wall time of this kind's timed bursts, summed. */
  elapsedMs: number;
  /** Of the timed requests, from sending to the end of the answer. */
  latencyMs: { mean: number; p50: number; p99: number };
}

type MixedOutcome = Record<Endpoint, SideOutcome>;

interface LoadReply {
  id: number;
  outcome?: unknown;
  error?: string;
}

/** Talks to the load generator: one job at a time, answered by what came back. */
class LoadClient {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (reply: LoadReply) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    settings: LoadSettings,
  ) {
    // 'error' without 'exit' when the process could not be started at all.
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    child.on('message', (reply: LoadReply) => {
      this.waiting.get(reply.id)?.resolve(reply);
      this.waiting.delete(reply.id);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const pending of this.waiting.values()) pending.reject(error);
      this.waiting.clear();
    };
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`load generator exited (${signal ?? code})`)));
    child.send({ kind: 'settings', ...settings });
  }

  run(job: SingleJob): Promise<SideOutcome>;
  run(job: MixedJob): Promise<MixedOutcome>;
  async run(job: SingleJob | MixedJob): Promise<unknown> {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const reply = await new Promise<LoadReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...job, id });
    });
    if (reply.error !== undefined) throw new Error(`load generator: ${reply.error}`);
    return reply.outcome;
  }

  async close(): Promise<void> {
    if (this.failure || this.child.exitCode !== null || this.child.signalCode !== null) {
      this.child.kill('SIGKILL');
      return;
    }
    if (this.child.connected) this.child.send({ kind: 'close' });
    // The child ends when the channel closes; a kill settles it if it does not.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await this.exited;
    clearTimeout(timer);
  }
}

type CpuWindow = Endpoint | 'untimed';

/**
 * This process's CPU time (the server's: the load generator is another process) by kind of request: a cross-check
 * of the wall-time figures that time spent descheduled does not touch. The bursts are drained, so the server works
 * on one kind at a time; the CPU time from one change of kind to the next goes to the kind before the change.
 */
class ServerCpuByKind {
  private window: CpuWindow | undefined;
  private since = process.cpuUsage();
  private used = { plain: 0, certified: 0 };
  private requests = { plain: 0, certified: 0 };

  /** To be called first on each request the server receives. */
  request(request: IncomingMessage): void {
    const url = request.url ?? '';
    const window: CpuWindow =
      request.headers[TIMED_HEADER] !== '1'
        ? 'untimed'
        : url.endsWith('/plain')
          ? 'plain'
          : url.endsWith('/certified')
            ? 'certified'
            : 'untimed';
    if (window !== this.window) this.close();
    this.window = window;
    if (window !== 'untimed') this.requests[window]++;
  }

  /** Ends the current window; what comes until the next request goes nowhere. */
  close(): void {
    const now = process.cpuUsage();
    if (this.window !== undefined && this.window !== 'untimed') {
      this.used[this.window] += now.user - this.since.user + (now.system - this.since.system);
    }
    this.since = now;
    this.window = undefined;
  }

  /** Microseconds of CPU time per timed request of each kind since the last take(). */
  take(): Record<Endpoint, number> {
    this.close();
    const perRequest = { plain: this.used.plain / this.requests.plain, certified: this.used.certified / this.requests.certified };
    this.used = { plain: 0, certified: 0 };
    this.requests = { plain: 0, certified: 0 };
    return perRequest;
  }
}

/**
 * The timed bursts of one round: `requests` of each kind in bursts of `burst`, taken in pairs, one burst of each
 * kind to a pair, in an order drawn for each pair. Pairs cancel slow drifts of the machine's speed; drawing the order
 * keeps anything that recurs at a fixed point of the load (a scavenge every so many requests, an optimisation after
 * so many calls) from always landing on the same kind, as any fixed order would let it.
 */
function burstOrder(requests: number, burst: number, random: () => number): MixedJob['bursts'] {
  const bursts: MixedJob['bursts'] = [];
  for (let done = 0; done < requests; done += burst) {
    const count = Math.min(burst, requests - done);
    const pair: Endpoint[] = random() < 0.5 ? ['plain', 'certified'] : ['certified', 'plain'];
    for (const endpoint of pair) bursts.push({ endpoint, count });
  }
  return bursts;
}

/**
 * What @RequiresCertificate costs per request: GET requests over keep-alive HTTP to a Nest app behind the real
 * authentication guard (ES256 bearer tokens from LocalIssuer), to an endpoint with the certificate guard against
 * the same endpoint without it, with 100,000 certificates in the directory. Every request passes the check.
 *
 * Both kinds of request run in one load in each round, in short bursts that take turns, so that whatever the rest
 * of the machine does in a round falls on both alike; each side's figure is its requests over the summed wall time
 * of its own bursts, all from the same stretch of time.
 */
export function certificateGuardOverhead(overrides: Partial<CertificateGuardOverheadOptions> = {}): Scenario {
  const options: CertificateGuardOverheadOptions = { ...CERTIFICATE_GUARD_OVERHEAD_DEFAULTS, ...overrides };
  const leadInPerKind = Math.ceil(options.leadIn / 2);
  let keyDir: string | undefined;
  let app: INestApplication | undefined;
  let child: ChildProcess | undefined;
  let client: LoadClient | undefined;
  let log: ((line: string) => void) | undefined;
  /** Certified/plain of each round (warm-ups included), for the summary at the end: cross-checks of the ratio. */
  const latencyRatios: number[] = [];
  const cpuRatios: number[] = [];
  const serverCpu = new ServerCpuByKind();

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`certificate-guard-overhead: ${what} is not set up`);
    return value;
  };

  /** One round's load, every answer checked. */
  const mixedLoad = async (index: number, context: ScenarioContext): Promise<MixedOutcome> => {
    const bursts = burstOrder(options.requests, options.burst, mulberry32(1000 + index));
    const outcome = await required(client, 'load client').run({ kind: 'mixed', leadIn: 2 * leadInPerKind, bursts });
    const cpu = serverCpu.take();
    for (const endpoint of ['plain', 'certified'] as const) {
      const side = outcome[endpoint];
      if (side.requests !== options.requests || side.sent !== options.requests + leadInPerKind || side.ok !== side.sent) {
        throw new Error(
          `${endpoint}: ${side.ok} of ${side.sent} requests (${side.requests} timed) answered 200 as expected; ` +
            `first other: ${side.problem}`,
        );
      }
    }
    const { plain, certified } = outcome;
    latencyRatios.push(certified.latencyMs.mean / plain.latencyMs.mean);
    cpuRatios.push(cpu.certified / cpu.plain);
    const latency = (side: SideOutcome) =>
      `${side.latencyMs.mean.toFixed(1)}/${side.latencyMs.p50.toFixed(1)}/${side.latencyMs.p99.toFixed(1)}`;
    context.log(
      `    ${plain.bursts}+${certified.bursts} bursts; latency mean/p50/p99 ms plain ${latency(plain)}, certified ` +
        `${latency(certified)} (mean ${formatPercent(certified.latencyMs.mean / plain.latencyMs.mean - 1)}); server CPU per ` +
        `request plain ${cpu.plain.toFixed(0)} µs, certified ${cpu.certified.toFixed(0)} µs (${formatPercent(cpu.certified / cpu.plain - 1)})`,
    );
    return outcome;
  };

  return {
    name: options.name ?? 'certificate-guard-overhead',
    description:
      `GET over keep-alive HTTP (${options.concurrency} in flight) behind AuthModule, with @RequiresCertificate ` +
      `(${options.certificates.toLocaleString('en-US')} certificates loaded) vs the same endpoint without it, both in ` +
      `one load, in bursts of ${options.burst} taking turns; requests/s = a kind's requests / its bursts' wall time`,
    unit: 'requests/s',
    higherIsBetter: true,
    // A request costs ~600-800 µs of server CPU time here, so a round (the lead-in, `requests` of each kind, and the
    // harness's two full collections, ~250 ms each with 100,000 certificates in the heap) takes ~2.5 s on a busy
    // 2-core machine. Run side after side, rounds swung by ±15% there and the median of 20 by over 10% from run to
    // run. In one load, an A/A run (both endpoints without the guard) gave 1.00 with rounds spread by ~7%, so the
    // median of 20 holds to ~2%. The lead-in takes what is left of the JIT warm-up after the collection (which
    // deoptimises much of the request path), so one warm-up round is enough.
    rounds: options.rounds ?? 20,
    warmupRounds: options.warmupRounds ?? 1,
    target: { minRatio: 0.95 },

    async setup(context: ScenarioContext) {
      log = context.log;
      keyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-certificate-guard-'));
      const auth: AuthConfig = { issuer: ISSUER, audience: AUDIENCE, verification: { kind: 'local', dir: keyDir } };
      app = await NestFactory.create(benchAppModule(auth), new FastifyAdapter(FASTIFY_OPTIONS), { logger: false });
      await app.init();
      await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();

      const started = process.hrtime.bigint();
      const directory = app.get(CertificateDirectoryService);
      const manager = app.get(DataSource).manager;
      const facts = syntheticCertificates(options.certificates, options.requestingOfficers);
      // Outside a transaction, the consumer's path into the directory applies at once: the same records the
      // startup load would build from rows, without a round trip through the table.
      for (const fact of facts) directory.applyAfterCommit(manager, fact);
      if (!directory.isLoaded || directory.size !== options.certificates) {
        throw new Error(`directory holds ${directory.size} certificates (loaded: ${directory.isLoaded}), expected ${options.certificates}`);
      }
      context.log(
        `directory fed ${directory.size.toLocaleString('en-US')} certificates in ` +
          `${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`,
      );

      await app.listen(0, '127.0.0.1');
      const server = app.getHttpServer() as Server;
      // Idle gaps between sides must not let the server drop the client's keep-alive sockets.
      server.keepAliveTimeout = 120_000;
      server.prependListener('request', (request: IncomingMessage) => serverCpu.request(request));
      const { port } = server.address() as AddressInfo;

      const issuer = new LocalIssuer({ dir: keyDir, issuer: ISSUER, audience: AUDIENCE });
      const tokens = await Promise.all(
        Array.from({ length: options.requestingOfficers }, (_, i) => issuer.sign(officer(benchOfficerId(i)), { ttlSeconds: 3600 })),
      );
      const uncertified = await issuer.sign(officer('officer-without-certificate'), { ttlSeconds: 3600 });

      child = spawn(process.execPath, ['-e', LOAD_GENERATOR], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      client = new LoadClient(child, { host: '127.0.0.1', port, concurrency: options.concurrency, caseIds: [...CASES.keys()], tokens });

      // The guard is really on one side only: an officer without a certificate gets the plain endpoint and is
      // refused the certified one.
      const plain = await client.run({ kind: 'single', endpoint: 'plain', count: 1, token: uncertified });
      const refused = await client.run({ kind: 'single', endpoint: 'certified', count: 1, token: uncertified });
      if (plain.ok !== 1 || refused.ok !== 0 || !refused.problem?.startsWith('403 ') || !refused.problem.includes('CERTIFICATE_MISSING')) {
        throw new Error(`sanity check failed: plain ${plain.problem ?? 'ok'}, certified ${refused.problem ?? 'ok'}`);
      }
      context.log(`app on 127.0.0.1:${port}; ${options.requestingOfficers} certified officers' tokens; uncertified officer refused (403)`);
    },

    async round(index: number, context: ScenarioContext): Promise<Round> {
      // One load serves both sides. It runs when the harness asks for the first of them, after the harness's forced
      // collection; the other side's figure comes from the same load, so that side returns at once.
      let load: Promise<MixedOutcome> | undefined;
      const side = (endpoint: Endpoint) => async (): Promise<Measurement> => {
        load ??= mixedLoad(index, context);
        const { requests, elapsedMs } = (await load)[endpoint];
        return { value: requests / (elapsedMs / 1000), elapsedMs };
      };
      return { baseline: side('plain'), subject: side('certified') };
    },

    async teardown() {
      if (latencyRatios.length > 0) {
        log?.(
          `mean latency, certified vs plain, median over all ${latencyRatios.length} rounds (warm-ups included): ` +
            `${formatPercent(median(latencyRatios) - 1)} (range ${formatPercent(Math.min(...latencyRatios) - 1)} to ` +
            `${formatPercent(Math.max(...latencyRatios) - 1)})`,
        );
      }
      if (cpuRatios.length > 0) {
        log?.(
          `server CPU per request, certified vs plain, median over all ${cpuRatios.length} rounds (warm-ups included): ` +
            `${formatPercent(median(cpuRatios) - 1)} (range ${formatPercent(Math.min(...cpuRatios) - 1)} to ` +
            `${formatPercent(Math.max(...cpuRatios) - 1)})`,
        );
      }
      latencyRatios.length = 0;
      cpuRatios.length = 0;
      const outcomes = [
        ...(await Promise.allSettled([client ? client.close() : child?.kill('SIGKILL')])),
        ...(await Promise.allSettled([app?.close()])),
        ...(await Promise.allSettled([keyDir ? fs.rm(keyDir, { recursive: true, force: true }) : undefined])),
      ];
      client = child = app = keyDir = log = undefined;
      const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failures.length > 0) throw new Error(`teardown: ${failures.map((failure) => String(failure.reason)).join('; ')}`);
    },
  };
}

function formatPercent(share: number): string {
  return `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;
}

function benchOfficerId(i: number): string {
  return `officer-bench-${i}`;
}

function officer(userId: string): AuthenticatedUser {
  return { userId, agencyId: 'agency-3101', roles: ['officer'], name: '执法人员' };
}

/**
 * `count` certificates: first those of the requesting officers (a current one for the Shanghai market-regulation
 * cases, plus an expired predecessor), then synthetic ones for everyone else, spread over provinces, cities and
 * districts with the usual mix of statuses (as libs/certificates' check-latency bench makes them).
 */
function syntheticCertificates(count: number, requestingOfficers: number): CertificateFacts[] {
  const now = Date.now();
  const random = mulberry32(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const two = (value: number) => String(value).padStart(2, '0');
  const facts: CertificateFacts[] = [];
  const add = (fact: Omit<CertificateFacts, 'number' | 'version'>) =>
    facts.push({ ...fact, number: `31${String(facts.length).padStart(10, '0')}`, version: 1 });

  for (let i = 0; i < requestingOfficers && facts.length < count; i++) {
    const officerId = benchOfficerId(i);
    add({
      id: `certificate-bench-${i}-old`,
      officerId,
      agencyId: 'agency-3101',
      status: 'expired',
      domains: [DOMAIN],
      regionCodes: ['310000'],
      validFrom: new Date(now - 6 * 365 * DAY_MS),
      validUntil: new Date(now - 365 * DAY_MS),
    });
    if (facts.length >= count) break;
    add({
      id: `certificate-bench-${i}`,
      officerId,
      agencyId: 'agency-3101',
      status: 'active',
      domains: [DOMAIN, pick(DOMAINS)],
      regionCodes: ['310000'],
      validFrom: new Date(now - 365 * DAY_MS),
      validUntil: new Date(now + 4 * 365 * DAY_MS),
    });
  }

  const officers = Math.max(1, Math.round((count - facts.length) / 2.5));
  while (facts.length < count) {
    const home = `${pick(PROVINCES)}${two(1 + Math.floor(random() * 12))}${two(1 + Math.floor(random() * 20))}`;
    const breadth = random();
    const granted = breadth < 0.6 ? home : breadth < 0.9 ? `${home.slice(0, 4)}00` : `${home.slice(0, 2)}0000`;
    const roll = random();
    const status: CertificateStatus = roll < 0.9 ? 'active' : roll < 0.94 ? 'suspended' : roll < 0.97 ? 'expired' : 'revoked';
    const validFrom = now - Math.floor(random() * 1500) * DAY_MS;
    add({
      id: `certificate-${facts.length}`,
      officerId: `officer-${facts.length % officers}`,
      agencyId: `agency-${home.slice(0, 4)}`,
      status,
      domains: random() < 0.7 ? [pick(DOMAINS)] : [pick(DOMAINS), pick(DOMAINS)],
      regionCodes: [granted],
      validFrom: new Date(validFrom),
      validUntil: new Date(validFrom + 5 * 365 * DAY_MS),
    });
  }
  return facts;
}

/** A small seeded generator, so that runs compare like with like. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
