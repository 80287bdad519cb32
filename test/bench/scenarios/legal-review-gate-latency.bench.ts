import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDistributed, type DistributedPlatform } from '../../support/distributed';
import { call, coOfficerProofs } from '../../support/http';
import { freePort, startNodeProcess, waitForHealthy, type RunningProcess } from '../../support/processes';
import { median, type Measurement, type Round, type Scenario, type ScenarioContext } from '../harness';

export interface GateLatencyOptions {
  /** Proposals reviewed per side per round, one after the other. */
  proposals: number;
  /** How often the next service is asked whether the effect is there (ms). */
  pollMs: number;
  name?: string;
  rounds?: number;
  warmupRounds?: number;
}

export const GATE_LATENCY_DEFAULTS: GateLatencyOptions = { proposals: 8, pollMs: 5 };

const SYSADMIN: AuthenticatedUser = { userId: 'bench-sysadmin', agencyId: '', roles: ['system-admin'] };
const ITEMS = [
  'enforcing-body',
  'officer-qualification',
  'procedure',
  'facts-and-evidence',
  'law-and-discretion',
  'within-powers',
  'documents',
  'possible-crime',
];
const EFFECT_TIMEOUT_MS = 30_000;

/** One deployment of certificates + recording + legal-review, embedded or distributed, provisioned alike. */
interface Deployment {
  label: string;
  urls: { certificates: string; recording: string; legalReview: string };
  officerA: string;
  officerB: string;
  officerBId: string;
  /** Officer b's own fresh token as co-officer (X-Co-Officer-Tokens, Art. 42); a proof confirms one step. */
  officerBProof(): Promise<Record<string, string>>;
  reviewer: string;
  stop(): Promise<void>;
}

interface Sample {
  /** The legal-review step answered (DecisionProposed committed) → the review listed in legal-review. */
  proposed: number;
  /** The conclusion answered (ReviewConcluded committed) → recording's gate open (legalReviewStatus approved). */
  approved: number;
}

async function until<T>(probe: () => Promise<T | undefined>, pollMs: number, what: string): Promise<T> {
  const deadline = Date.now() + EFFECT_TIMEOUT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`legal-review-gate-latency: ${what} not seen within ${EFFECT_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** An agency, two certified officers and a qualified reviewer, through the certificates API; waits for the read models. */
async function provision(
  label: string,
  urls: Deployment['urls'],
  sign: (user: AuthenticatedUser) => Promise<string>,
  stop: () => Promise<void>,
): Promise<Deployment> {
  const admin = await sign(SYSADMIN);
  const agency = await call('POST', `${urls.certificates}/agencies`, admin, {
    name: `基准测试执法机关（${label}）`,
    creditCode: '11310101MB2F00009Y',
    regionCode: '310101',
    domains: ['market-regulation'],
    legalBasis: '《中华人民共和国行政处罚法》',
  });
  if (agency.status !== 201) throw new Error(`${label}: agency not registered (${agency.status})`);
  const agencyId = agency.body['id'] as string;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  for (const [key, idNumber] of [
    ['a', '11010519491231002X'],
    ['b', '440524188001010014'],
    ['reviewer', '110105194912310038'],
  ] as const) {
    const officer = await call('POST', `${urls.certificates}/agencies/${agencyId}/officers`, admin, {
      name: `人员${key}`,
      idNumber,
      roles: ['officer'],
    });
    const id = officer.body['id'] as string;
    await call('POST', `${urls.certificates}/officers/${id}/certificates`, admin, {
      number: `BENCH-${label}-${key}`,
      issuingAuthority: '上海市人民政府',
      domains: ['market-regulation'],
      regionCodes: ['310101'],
      validFrom: '2020-01-01',
      validUntil: '2035-12-31',
    });
    const roles: AuthenticatedUser['roles'] = ['officer'];
    if (key === 'reviewer') {
      await call('POST', `${urls.certificates}/officers/${id}/review-qualification`, admin, {
        qualificationNumber: 'A2019-bench-01',
        qualifiedOn: '2019-03-01',
      });
      await call('PUT', `${urls.certificates}/officers/${id}/roles`, admin, { roles: ['officer', 'reviewer'] });
      roles.push('reviewer');
    }
    ids[key] = id;
    tokens[key] = await sign({ userId: id, agencyId, roles });
  }
  const deployment: Deployment = {
    label,
    urls,
    officerA: tokens['a'] as string,
    officerB: tokens['b'] as string,
    officerBId: ids['b'] as string,
    officerBProof: async () => coOfficerProofs({ sign }, agencyId, { coOfficerIds: [ids['b']] }),
    reviewer: tokens['reviewer'] as string,
    stop,
  };
  const ready = async (): Promise<true | undefined> => {
    const check = await call('GET', `${urls.recording}/certificate-check?domain=market-regulation&regionCode=310101`, deployment.officerB);
    const workload = await call('GET', `${urls.legalReview}/agencies/${agencyId}/review-workload`, deployment.reviewer);
    const reviewers = workload.body['reviewers'];
    return check.status === 200 && Array.isArray(reviewers) && reviewers.length > 0 ? true : undefined;
  };
  await until(ready, 50, `${label}: certificates and reviewers in the read models`);
  return deployment;
}

/** A case with its notice, ready for a proposal (untimed). */
async function preparedCase(deployment: Deployment): Promise<string> {
  const { recording } = deployment.urls;
  const opened = await call(
    'POST',
    `${recording}/cases`,
    deployment.officerA,
    {
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'general',
      party: { kind: 'organisation', name: '上海某某食品有限公司', identifier: '91310101MA1FL1234C', contact: {} },
      allegedViolation: '销售超过保质期的食品',
      legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
      coOfficerIds: [deployment.officerBId],
      occurredAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    },
    await deployment.officerBProof(),
  );
  if (opened.status !== 201) throw new Error(`${deployment.label}: case not opened (${opened.status} ${JSON.stringify(opened.body)})`);
  const caseId = opened.body['id'] as string;
  const notice = await call(
    'POST',
    `${recording}/cases/${caseId}/steps`,
    deployment.officerA,
    {
      stepType: 'notice',
      occurredAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      place: '上海市黄浦区南京东路1号',
      coOfficerIds: [deployment.officerBId],
      fields: { penalties: [{ kind: 'licence-revocation' }], facts: '销售过期食品' },
    },
    await deployment.officerBProof(),
  );
  if (notice.status !== 201) throw new Error(`${deployment.label}: notice refused (${notice.status} ${JSON.stringify(notice.body)})`);
  return caseId;
}

/** One proposal through review: the two event paths timed, the reviewer's own work (claim, conclusion, PDF) not. */
async function reviewOnce(deployment: Deployment, caseId: string, pollMs: number): Promise<Sample> {
  const { recording, legalReview } = deployment.urls;
  const proposed = await call(
    'POST',
    `${recording}/cases/${caseId}/steps`,
    deployment.officerA,
    {
      stepType: 'legal-review',
      occurredAt: new Date(Date.now() - 30_000).toISOString(),
      place: '上海市黄浦区南京东路1号',
      coOfficerIds: [deployment.officerBId],
    },
    await deployment.officerBProof(),
  );
  if (proposed.status !== 201)
    throw new Error(`${deployment.label}: legal-review step refused (${proposed.status} ${JSON.stringify(proposed.body)})`);
  const proposedAt = performance.now();
  const reviewId = await until(
    async () =>
      (
        (await call('GET', `${legalReview}/reviews?status=pending&limit=20`, deployment.reviewer)).body['items'] as
          Array<{ id: string; caseId: string }> | undefined
      )?.find((item) => item.caseId === caseId)?.id,
    pollMs,
    `${deployment.label}: the review of case ${caseId}`,
  );
  const listedAt = performance.now();
  await call('POST', `${legalReview}/reviews/${reviewId}/claim`, deployment.reviewer);
  const concluded = await call('POST', `${legalReview}/reviews/${reviewId}/conclusion`, deployment.reviewer, {
    outcome: 'approved',
    items: ITEMS.map((item) => ({ item, result: 'pass' })),
    opinion: '同意',
  });
  if (concluded.status !== 200)
    throw new Error(`${deployment.label}: conclusion refused (${concluded.status} ${JSON.stringify(concluded.body)})`);
  const approvedAt = performance.now();
  await until(
    async () =>
      (await call('GET', `${recording}/cases/${caseId}`, deployment.officerA)).body['legalReviewStatus'] === 'approved' ? true : undefined,
    pollMs,
    `${deployment.label}: the open gate of case ${caseId}`,
  );
  return { proposed: listedAt - proposedAt, approved: performance.now() - approvedAt };
}

function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * The legal-review loop end to end: from a case's proposal (the `legal-review` step answered, DecisionProposed
 * committed to recording's outbox) to the review listed in legal-review, and from the reviewer's approval (the
 * conclusion answered, ReviewConcluded committed) to recording's decision gate open for that proposal. The value is
 * the sum of both event paths per proposal (the reviewer's own work, claim and the PDF opinion, excluded), p50 per
 * side and round; p50 and p99 of each path are logged per round and pooled at the end.
 *
 * Baseline: the embedded platform (one process, SQLite, in-process events: `npm start`). Subject: the distributed
 * one (a process per service on MariaDB, Kafka and S3). The ratio says what Kafka and separate processes cost the
 * loop; each side is polled over HTTP every `pollMs`, so a figure is late by at most that and a request.
 */
export function legalReviewGateLatency(overrides: Partial<GateLatencyOptions> = {}): Scenario {
  const options: GateLatencyOptions = { ...GATE_LATENCY_DEFAULTS, ...overrides };
  const deployments: Deployment[] = [];
  const pooled: Record<'embedded' | 'distributed', Sample[]> = { embedded: [], distributed: [] };
  let log: ((line: string) => void) | undefined;

  const side = (deployment: Deployment, cases: string[], pool: Sample[], context: ScenarioContext) => async (): Promise<Measurement> => {
    const started = performance.now();
    const samples: Sample[] = [];
    for (const caseId of cases) samples.push(await reviewOnce(deployment, caseId, options.pollMs));
    pool.push(...samples);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    context.log(
      `    ${deployment.label}: proposal → review p50 ${ms(
        percentile(
          samples.map((s) => s.proposed),
          0.5,
        ),
      )} p99 ${ms(
        percentile(
          samples.map((s) => s.proposed),
          0.99,
        ),
      )}; ` +
        `approval → open gate p50 ${ms(
          percentile(
            samples.map((s) => s.approved),
            0.5,
          ),
        )} p99 ${ms(
          percentile(
            samples.map((s) => s.approved),
            0.99,
          ),
        )}`,
    );
    return { value: median(samples.map((s) => s.proposed + s.approved)), elapsedMs: performance.now() - started };
  };

  return {
    name: options.name ?? 'legal-review-gate-latency',
    description:
      'DecisionProposed → review listed, plus approval → open decision gate in recording (p50 per proposal): ' +
      'distributed over Kafka on MariaDB vs embedded (in-process events, SQLite)',
    unit: 'ms (p50)',
    higherIsBetter: false,
    rounds: options.rounds ?? 5,
    warmupRounds: options.warmupRounds ?? 1,
    target: { maxRatio: 20 },

    async setup(context: ScenarioContext) {
      log = (line) => context.log(line);
      const started = Date.now();
      // Embedded, as `npm start` runs it, on ports of its own.
      const ports = {
        certificates: await freePort(),
        recording: await freePort(),
        'legal-review': await freePort(),
        publicity: await freePort(),
      };
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gate-embedded-'));
      const embedded: RunningProcess = startNodeProcess(['scripts/start-embedded.js'], {
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        CERTIFICATES_PORT: String(ports.certificates),
        RECORDING_PORT: String(ports.recording),
        LEGAL_REVIEW_PORT: String(ports['legal-review']),
        PUBLICITY_PORT: String(ports.publicity),
        SEED_DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
      });
      const stopEmbedded = async () => {
        await embedded.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      };
      try {
        for (const port of Object.values(ports)) await waitForHealthy(`http://127.0.0.1:${port}`, embedded);
      } catch (error) {
        await stopEmbedded();
        throw error;
      }
      const issuer = new LocalIssuer({ dir: path.join(dataDir, 'auth'), issuer: 'enforcement-platform', audience: 'enforcement-platform' });
      const url = (port: number) => `http://127.0.0.1:${port}`;
      deployments.push(
        await provision(
          'embedded',
          { certificates: url(ports.certificates), recording: url(ports.recording), legalReview: url(ports['legal-review']) },
          (user) => issuer.sign(user, { ttlSeconds: 3 * 3600 }),
          stopEmbedded,
        ),
      );
      const platform: DistributedPlatform = await startDistributed(['certificates', 'recording', 'legal-review']);
      deployments.push(
        await provision(
          'distributed',
          {
            certificates: platform.urls['certificates'] as string,
            recording: platform.urls['recording'] as string,
            legalReview: platform.urls['legal-review'] as string,
          },
          (user) => platform.sign(user),
          () => platform.stop(),
        ),
      );
      context.log(`embedded and distributed platforms up and provisioned in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    },

    async round(_index: number, context: ScenarioContext): Promise<Round> {
      const [embedded, distributed] = deployments as [Deployment, Deployment];
      const embeddedCases: string[] = [];
      const distributedCases: string[] = [];
      for (let i = 0; i < options.proposals; i++) {
        embeddedCases.push(await preparedCase(embedded));
        distributedCases.push(await preparedCase(distributed));
      }
      return {
        baseline: side(embedded, embeddedCases, pooled.embedded, context),
        subject: side(distributed, distributedCases, pooled.distributed, context),
      };
    },

    async teardown() {
      const ms = (value: number) => `${value.toFixed(1)} ms`;
      for (const [label, samples] of Object.entries(pooled)) {
        if (samples.length === 0) continue;
        log?.(
          `  ${label}, all rounds (${samples.length} proposals): proposal → review p50 ${ms(
            percentile(
              samples.map((s) => s.proposed),
              0.5,
            ),
          )} ` +
            `p99 ${ms(
              percentile(
                samples.map((s) => s.proposed),
                0.99,
              ),
            )}; approval → open gate p50 ${ms(
              percentile(
                samples.map((s) => s.approved),
                0.5,
              ),
            )} ` +
            `p99 ${ms(
              percentile(
                samples.map((s) => s.approved),
                0.99,
              ),
            )}`,
        );
      }
      await Promise.allSettled(deployments.map((deployment) => deployment.stop()));
    },
  };
}
