import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { AuthModule, LocalIssuer, type AuthConfig, type AuthenticatedUser } from '@enforcement/auth';
import {
  CERTIFICATE_READ_MODEL_ENTITIES,
  CERTIFICATE_READ_MODEL_MIGRATIONS,
  CertificateCheckModule,
  CertificateDirectory,
  RequiresCertificate,
  type ActionScope,
  type CertificateFacts,
  type CertificateScopeResolver,
  type CertificateStatus,
  type CertifiedRequest,
} from '@enforcement/certificates';
import { PersistenceModule } from '@enforcement/persistence';
import { Controller, Get, Injectable, Module, NotFoundException, Param, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { measureRate, median, type Measurement, type Round, type Scenario, type ScenarioContext } from '../harness';

export interface CertificateGuardOverheadOptions {
  /** Requests per side per round. */
  requests: number;
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

/**
 * The load generator, in a child process so that the server's event loop does only the server's work, the
 * throughput measured is the server's, and this process's CPU time is the server's alone. Plain JavaScript:
 * the child does not go through the TypeScript loader. It takes its settings, then jobs, over IPC.
 */
const LOAD_GENERATOR = `
const http = require('node:http');
let settings;
let agent;

function get(path, token) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: settings.host, port: settings.port, path, method: 'GET', agent, headers: { authorization: 'Bearer ' + token } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, body }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

async function run(job) {
  const { caseIds, tokens, concurrency } = settings;
  let next = 0;
  let ok = 0;
  let problem;
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= job.count) return;
      const caseId = caseIds[i % caseIds.length];
      const token = job.token ?? tokens[i % tokens.length];
      const { status, body } = await get('/cases/' + caseId + '/' + job.endpoint, token);
      if (status === 200 && body === JSON.stringify({ caseId })) ok++;
      else problem ??= status + ' ' + body.slice(0, 300);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, job.count) }, lane));
  return { ok, problem };
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
  run(message).then(
    (outcome) => process.send({ id: message.id, ...outcome }),
    (error) => process.send({ id: message.id, ok: 0, problem: String((error && error.stack) || error) }),
  );
});
// Ends with the parent, whatever happens to it.
process.on('disconnect', () => process.exit(0));
`;

interface LoadSettings {
  host: string;
  port: number;
  concurrency: number;
  caseIds: string[];
  tokens: string[];
}

interface LoadJob {
  endpoint: 'plain' | 'certified';
  count: number;
  /** One token for every request instead of the certified officers' in turn. */
  token?: string;
}

interface LoadReply {
  id: number;
  ok: number;
  problem?: string;
}

/** Talks to the load generator: one job at a time, answered by how many requests came back as expected. */
class LoadClient {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (reply: LoadReply) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    settings: LoadSettings,
  ) {
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
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

  run(job: LoadJob): Promise<LoadReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<LoadReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...job, id });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ kind: 'close' });
    // The child ends when the channel closes; a kill settles it if it does not.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * What @RequiresCertificate costs per request: GET requests over keep-alive HTTP to a Nest app behind the real
 * authentication guard (ES256 bearer tokens from LocalIssuer), to an endpoint with the certificate guard against
 * the same endpoint without it, with 100,000 certificates in the directory. Every request passes the check.
 */
export function certificateGuardOverhead(overrides: Partial<CertificateGuardOverheadOptions> = {}): Scenario {
  const options: CertificateGuardOverheadOptions = { ...CERTIFICATE_GUARD_OVERHEAD_DEFAULTS, ...overrides };
  let keyDir: string | undefined;
  let app: INestApplication | undefined;
  let child: ChildProcess | undefined;
  let client: LoadClient | undefined;
  let log: ((line: string) => void) | undefined;
  /**
   * Server CPU time per request, subject/baseline, of each round: the same question asked of CPU time instead of
   * wall time, so that time the server spent descheduled by other tenants of the machine does not count.
   */
  const cpuRatios: number[] = [];

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`certificate-guard-overhead: ${what} is not set up`);
    return value;
  };

  /** One side: `requests` requests to one endpoint; also notes this process's CPU time, which is the server's. */
  const load = async (endpoint: LoadJob['endpoint'], cpu: Map<string, number>): Promise<Measurement> => {
    const generator = required(client, 'load client');
    let reply: LoadReply | undefined;
    const cpuBefore = process.cpuUsage();
    const measurement = await measureRate(options.requests, async () => {
      reply = await generator.run({ endpoint, count: options.requests });
    });
    const cpuUsed = process.cpuUsage(cpuBefore);
    if (reply?.ok !== options.requests) {
      throw new Error(`${endpoint}: ${reply?.ok ?? 0} of ${options.requests} requests answered 200 as expected; first other: ${reply?.problem}`);
    }
    cpu.set(endpoint, (cpuUsed.user + cpuUsed.system) / options.requests);
    return measurement;
  };

  return {
    name: options.name ?? 'certificate-guard-overhead',
    description:
      `GET over keep-alive HTTP (${options.concurrency} in flight) behind AuthModule, with @RequiresCertificate ` +
      `(${options.certificates.toLocaleString('en-US')} certificates loaded) vs the same endpoint without it`,
    unit: 'requests/s',
    higherIsBetter: true,
    // A request costs ~400 µs of server time (most of it the ES256 signature check), so a side takes ~0.4 s and
    // a round ~1.2 s with the harness's full collections between sides (the 100,000 certificates make each one
    // ~150 ms). Single rounds swing by ±15% on a busy 2-core machine; short sides pair better with the slow drifts
    // of other tenants' load than long ones, and the median of 24 holds to a few percent.
    rounds: options.rounds ?? 24,
    warmupRounds: options.warmupRounds ?? 3,
    target: { minRatio: 0.95 },

    async setup(context: ScenarioContext) {
      log = context.log;
      keyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-certificate-guard-'));
      const auth: AuthConfig = { issuer: ISSUER, audience: AUDIENCE, verification: { kind: 'local', dir: keyDir } };
      app = await NestFactory.create(benchAppModule(auth), { logger: false });
      await app.init();

      const started = process.hrtime.bigint();
      const directory = app.get(CertificateDirectory);
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
      const plain = await client.run({ endpoint: 'plain', count: 1, token: uncertified });
      const refused = await client.run({ endpoint: 'certified', count: 1, token: uncertified });
      if (plain.ok !== 1 || refused.ok !== 0 || !refused.problem?.startsWith('403 ') || !refused.problem.includes('CERTIFICATE_MISSING')) {
        throw new Error(`sanity check failed: plain ${plain.problem ?? 'ok'}, certified ${refused.problem ?? 'ok'}`);
      }
      context.log(`app on 127.0.0.1:${port}; ${options.requestingOfficers} certified officers' tokens; uncertified officer refused (403)`);
    },

    async round(_index: number, context: ScenarioContext): Promise<Round> {
      const cpu = new Map<string, number>();
      const noteCpu = () => {
        const plain = cpu.get('plain');
        const certified = cpu.get('certified');
        if (plain === undefined || certified === undefined) return;
        cpuRatios.push(certified / plain);
        context.log(
          `    server CPU per request: plain ${plain.toFixed(0)} µs, certified ${certified.toFixed(0)} µs ` +
            `(${formatPercent(certified / plain - 1)})`,
        );
      };
      return {
        baseline: async () => {
          const measurement = await load('plain', cpu);
          noteCpu();
          return measurement;
        },
        subject: async () => {
          const measurement = await load('certified', cpu);
          noteCpu();
          return measurement;
        },
      };
    },

    async teardown() {
      if (cpuRatios.length > 0) {
        log?.(
          `server CPU per request, certified vs plain, median over all ${cpuRatios.length} rounds (warm-ups included): ` +
            `${formatPercent(median(cpuRatios) - 1)} (range ${formatPercent(Math.min(...cpuRatios) - 1)} to ${formatPercent(Math.max(...cpuRatios) - 1)})`,
        );
      }
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
