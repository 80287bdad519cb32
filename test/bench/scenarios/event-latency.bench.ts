import type { AuthenticatedUser } from '@enforcement/auth';
import { Events } from '@enforcement/contracts';
import { AssignerProtocol, Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { createConnection, type Connection } from 'mysql2/promise';
import { startDistributed, type DistributedPlatform } from '../../support/distributed';
import { call } from '../../support/http';
import { eventually } from '../../support/processes';
import { median, type Measurement, type Round, type Scenario, type ScenarioContext } from '../harness';

export interface EventLatencyOptions {
  /** Status changes per side per round, one at a time. */
  events: number;
  /** Certificates per partition of the certificates topic the changes rotate over (so every partition, and with two instances both, gets events). */
  certificatesPerPartition: number;
  /** Pause between one change's effect and the next change, drawn uniformly from this range (ms). */
  gapMs: [number, number];
  /** How often the consumer's database is asked whether the effect is there (ms). */
  pollMs: number;
  name?: string;
  rounds?: number;
  warmupRounds?: number;
}

export const EVENT_LATENCY_DEFAULTS: EventLatencyOptions = { events: 60, certificatesPerPartition: 2, gapMs: [10, 40], pollMs: 2 };

const DOMAIN = 'market-regulation';
const REGION = '310101';
const SYSADMIN: AuthenticatedUser = { userId: 'bench-sysadmin', agencyId: '', roles: ['system-admin'] };
const TOPIC = Events.CertificateSuspended.topic;
/** The recording service's consumer group (its service name) before the platform's topic prefix. */
const CONSUMER_GROUP = 'recording';
const REQUEST_TIMEOUT_MS = 20_000;
/** An effect not seen within this long fails the round: a lost event must not read as a slow one. */
const EFFECT_TIMEOUT_MS = 30_000;

type Status = 'active' | 'suspended';

interface Certificate {
  id: string;
  partition: number;
  /** What the certificates service holds now (and, once the last change arrived, recording too). */
  status: Status;
}

/** One deployment of certificates + recording with its own databases, topic prefix and consumer group. */
interface Deployment {
  label: string;
  platform: DistributedPlatform;
  admin: Admin;
  /** On recording's database: where the effect is looked for. */
  consumerDb: Connection;
  token: string;
  certificates: Certificate[];
  /** Recording instances expected in the consumer group. */
  instances: number;
}

interface SideSample {
  /** Response of the committing request → effect visible in the consumer's database. */
  latencies: number[];
  /** Request sent → response: the write itself, for reference. */
  requests: number[];
  /** Wall time of this side's changes, gaps excluded. */
  elapsedMs: number;
}

/**
 * End-to-end event latency: from a committed write in one service to its effect in another. A certificate is
 * suspended or reinstated through the certificates service's API (status change, history and the outbox event in
 * one transaction); the clock starts when the 200 arrives, i.e. when the client knows the write is committed, and
 * stops when recording's database shows the new status in its certificate read model, which recording's consumer
 * writes through its inbox (relay nudged after the commit → Kafka → consumer → inbox + read-model transaction).
 * The effect is polled for every `pollMs` on a connection of its own, so a latency is late by at most that and a
 * query.
 *
 * Baseline: recording with one instance. Subject: recording with two instances in one consumer group, the topic's
 * partitions split between them (the certificates changed are spread so that every partition, and so both
 * instances, get changes). Two deployments side by side (each its own certificates and recording processes,
 * databases and topic prefix, on the run's shared Kafka broker, MariaDB and machine), so no side needs a rebalance
 * between rounds. Each round is one load that takes turns between them change by change, so that what the rest of
 * the machine does in a round falls on both alike. Changes go one at a time with a short random gap: this is
 * latency without queueing, not throughput.
 *
 * The value is a side's median latency in the round, so the ratio is p50(two instances) / p50(one instance); p50
 * and p99 of both are logged per round and, pooled over all rounds (the warm-up included), at the end.
 */
export function eventLatency(overrides: Partial<EventLatencyOptions> = {}): Scenario {
  const options: EventLatencyOptions = { ...EVENT_LATENCY_DEFAULTS, ...overrides };
  const deployments: Deployment[] = [];
  const platforms: DistributedPlatform[] = [];
  /** Closes the clients made so far, whether or not their deployment got finished. */
  const closers: Array<() => Promise<unknown>> = [];
  const pooled = { baseline: [] as number[], subject: [] as number[], baselineRequests: [] as number[], subjectRequests: [] as number[] };
  let log: ((line: string) => void) | undefined;

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`event-latency: ${what} is not set up`);
    return value;
  };

  const deploy = async (label: string, instances: number, context: ScenarioContext): Promise<Deployment> => {
    const started = Date.now();
    const platform = await startDistributed(['certificates', 'recording']);
    platforms.push(platform);
    const client = new Kafka({ clientId: `bench-latency-${label}`, brokers: platform.kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = client.admin();
    closers.push(() => admin.disconnect());
    await admin.connect();
    const consumerDb = await createConnection({ uri: platform.databases['recording'].url });
    closers.push(() => consumerDb.end());
    const deployment: Deployment = { label, platform, admin, consumerDb, token: '', certificates: [], instances };
    deployments.push(deployment);
    const token = (deployment.token = await platform.sign(SYSADMIN));

    const certificates = platform.urls['certificates'];
    const agency = await call('POST', `${certificates}/agencies`, token, {
      name: '上海市黄浦区市场监督管理局',
      creditCode: '11310101MB2F00009Y',
      regionCode: REGION,
      domains: [DOMAIN],
      legalBasis: '《中华人民共和国行政处罚法》',
    });
    if (agency.status !== 201) throw new Error(`creating the agency: ${agency.status} ${JSON.stringify(agency.body)}`);
    const officer = await call('POST', `${certificates}/agencies/${agency.body['id'] as string}/officers`, token, {
      name: '执法人员甲',
      idNumber: '11010519491231002X',
      roles: ['officer'],
    });
    if (officer.status !== 201) throw new Error(`creating the officer: ${officer.status} ${JSON.stringify(officer.body)}`);

    // Certificate events are keyed by certificate id: issue until every partition has its share, so that with two
    // instances both consume (the producer's own partitioner says where each id goes).
    const topic = platform.kafka.topicPrefix + TOPIC;
    const partitions = (await admin.fetchTopicOffsets(topic)).length;
    const partitionOf = partitionerFor(topic, partitions);
    const perPartition = new Array<number>(partitions).fill(0);
    for (let issued = 0; perPartition.some((count) => count < options.certificatesPerPartition); issued++) {
      if (issued > 20 * partitions * options.certificatesPerPartition) throw new Error('could not spread certificates over the partitions');
      const certificate = await call('POST', `${certificates}/officers/${officer.body['id'] as string}/certificates`, token, {
        number: `SH-LAT-${instances}-${issued}`,
        issuingAuthority: '上海市人民政府',
        domains: [DOMAIN],
        regionCodes: [REGION],
        validFrom: '2020-01-01',
        validUntil: '2035-12-31',
      });
      if (certificate.status !== 201) throw new Error(`issuing a certificate: ${certificate.status} ${JSON.stringify(certificate.body)}`);
      const id = certificate.body['id'] as string;
      const partition = partitionOf(id);
      if (perPartition[partition] >= options.certificatesPerPartition) continue;
      perPartition[partition]++;
      deployment.certificates.push({ id, partition, status: 'active' });
    }
    // Interleave partitions, so consecutive changes go to different partitions (and, with two instances, alternate).
    deployment.certificates.sort((a, b) => a.partition - b.partition);
    deployment.certificates = interleave(deployment.certificates, partitions);
    await eventually(
      async () => ((await knownCount(deployment)) === deployment.certificates.length ? true : undefined),
      60_000,
      `recording (${label}) to learn the certificates`,
    );

    for (let extra = 1; extra < instances; extra++) await platform.startInstance('recording');
    await groupReady(deployment, partitions);
    context.log(
      `${label}: certificates + ${instances} recording instance(s) up in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${deployment.certificates.length} certificates over ${partitions} partitions; consumer group ${describe(await assignment(deployment))}`,
    );
    return deployment;
  };

  const knownCount = async (deployment: Deployment): Promise<number> => {
    const ids = deployment.certificates.map((certificate) => certificate.id);
    const [rows] = await deployment.consumerDb.query(`SELECT COUNT(*) AS n FROM known_certificates WHERE id IN (?)`, [ids]);
    return Number((rows as Array<{ n: number }>)[0].n);
  };

  /** Members of the group and the partitions of the certificates topic each holds. */
  const assignment = async (deployment: Deployment): Promise<{ state: string; partitions: number[][] }> => {
    const group = deployment.platform.kafka.topicPrefix + CONSUMER_GROUP;
    const topic = deployment.platform.kafka.topicPrefix + TOPIC;
    const {
      groups: [described],
    } = await deployment.admin.describeGroups([group]);
    const partitions = described.members.map((member) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b);
    });
    return { state: described.state, partitions };
  };

  /** Waits until the group is stable with the expected members, each holding part of the topic, all of it held. */
  const groupReady = (deployment: Deployment, partitions: number) =>
    eventually(
      async () => {
        const { state, partitions: held } = await assignment(deployment);
        const covered = new Set(held.flat()).size === partitions;
        return state === 'Stable' && held.length === deployment.instances && held.every((own) => own.length > 0) && covered
          ? true
          : undefined;
      },
      90_000,
      `the consumer group of ${deployment.label} to settle with ${deployment.instances} member(s)`,
    );

  /** Polls recording's read model until the certificate has `status`; returns when (performance.now()) the query that saw it was sent. */
  const effectSeen = async (deployment: Deployment, certificateId: string, status: Status): Promise<number> => {
    const deadline = performance.now() + EFFECT_TIMEOUT_MS;
    for (;;) {
      const asked = performance.now();
      const [rows] = await deployment.consumerDb.execute('SELECT status FROM known_certificates WHERE id = ?', [certificateId]);
      if ((rows as Array<{ status: string }>)[0]?.status === status) return asked;
      if (asked > deadline)
        throw new Error(`${deployment.label}: certificate ${certificateId} not ${status} in recording after ${EFFECT_TIMEOUT_MS} ms`);
      await sleep(options.pollMs);
    }
  };

  /** One change on one deployment: its latency and the request's own time. */
  const change = async (deployment: Deployment, certificate: Certificate): Promise<{ latency: number; request: number }> => {
    const [action, next]: [string, Status] = certificate.status === 'active' ? ['suspension', 'suspended'] : ['reinstatement', 'active'];
    const sent = performance.now();
    const response = await withTimeout(
      call('POST', `${deployment.platform.urls['certificates']}/certificates/${certificate.id}/${action}`, deployment.token, {
        reason: '基准测试：状态变更时延',
      }),
      `POST /certificates/:id/${action}`,
    );
    const committed = performance.now();
    if (response.status !== 200) throw new Error(`${deployment.label}: ${action}: ${response.status} ${JSON.stringify(response.body)}`);
    certificate.status = next;
    const seen = await effectSeen(deployment, certificate.id, next);
    return { latency: Math.max(0, seen - committed), request: committed - sent };
  };

  /**
   * One round's load for both sides: `events` pairs of changes, one on each deployment in an order drawn for each
   * pair, each change waited for before the next. Whatever the rest of the machine does in the round falls on both
   * alike. A side's time is the sum of its own changes.
   */
  const interleavedLoad = async (): Promise<SideSample[]> => {
    const samples: SideSample[] = deployments.map(() => ({ latencies: [], requests: [], elapsedMs: 0 }));
    for (let i = 0; i < options.events; i++) {
      const order = Math.random() < 0.5 ? [0, 1] : [1, 0];
      for (const index of order) {
        const deployment = required(deployments[index], 'deployment');
        const started = performance.now();
        const { latency, request } = await change(deployment, deployment.certificates[i % deployment.certificates.length]);
        samples[index].latencies.push(latency);
        samples[index].requests.push(request);
        samples[index].elapsedMs += performance.now() - started;
        await sleep(options.gapMs[0] + Math.random() * (options.gapMs[1] - options.gapMs[0]));
      }
    }
    for (const [index, sample] of samples.entries()) {
      log?.(
        `    ${deployments[index].label}: latency p50 ${percentile(sample.latencies, 50).toFixed(1)} ms, ` +
          `p99 ${percentile(sample.latencies, 99).toFixed(1)} ms, max ${Math.max(...sample.latencies).toFixed(1)} ms; ` +
          `the request itself p50 ${percentile(sample.requests, 50).toFixed(1)} ms`,
      );
    }
    pooled.baseline.push(...samples[0].latencies);
    pooled.baselineRequests.push(...samples[0].requests);
    pooled.subject.push(...samples[1].latencies);
    pooled.subjectRequests.push(...samples[1].requests);
    return samples;
  };

  return {
    name: options.name ?? 'event-latency',
    description:
      `committed certificate suspension/reinstatement (certificates API) → status in recording's read model (relay, Kafka, ` +
      `consumer inbox), p50 of ${options.events} one-at-a-time changes: recording with two instances in one consumer group vs one`,
    unit: 'ms',
    higherIsBetter: false,
    rounds: options.rounds ?? 8,
    // The first changes pay for JIT in four processes, pool connections and the consumers' first fetches.
    warmupRounds: options.warmupRounds ?? 1,
    // A second instance shares the partitions; it must not make a change take much longer to arrive.
    target: { maxRatio: 1.5 },

    async setup(context: ScenarioContext) {
      log = context.log;
      for (const list of Object.values(pooled)) list.length = 0;
      await deploy('one instance', 1, context);
      await deploy('two instances', 2, context);
    },

    async round(): Promise<Round> {
      // A member that dropped out (a crash, a session timeout) would leave the subject measuring one instance.
      for (const deployment of deployments) {
        const { state, partitions } = await assignment(deployment);
        if (state !== 'Stable' || partitions.length !== deployment.instances || partitions.some((own) => own.length === 0)) {
          throw new Error(`${deployment.label}: consumer group ${state} with ${describe({ state, partitions })}`);
        }
      }
      // One load serves both sides: it runs when the harness asks for the first of them, and the other side's
      // figure comes from the same load, so that side returns at once.
      let load: Promise<SideSample[]> | undefined;
      const side = (index: number) => async (): Promise<Measurement> => {
        load ??= interleavedLoad();
        const sample = (await load)[index];
        return { value: median(sample.latencies), elapsedMs: sample.elapsedMs };
      };
      return { baseline: side(0), subject: side(1) };
    },

    async teardown() {
      const summary = (name: string, latencies: number[], requests: number[]) =>
        `${name}: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms ` +
        `(request itself p50 ${percentile(requests, 50).toFixed(1)} ms)`;
      if (pooled.baseline.length > 0 || pooled.subject.length > 0) {
        // Warm-up rounds included: the pooled figures are for reading alongside the table, not judged.
        log?.(
          `latency over all rounds (${pooled.baseline.length} + ${pooled.subject.length} changes): ` +
            `${summary('one instance', pooled.baseline, pooled.baselineRequests)}; ${summary('two instances', pooled.subject, pooled.subjectRequests)}`,
        );
      }
      log = undefined;
      const clients = await Promise.allSettled(closers.map((close) => close()));
      closers.length = 0;
      const stopped = await Promise.allSettled(platforms.map((platform) => platform.stop()));
      deployments.length = 0;
      platforms.length = 0;
      const failures = [...clients, ...stopped].filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failures.length > 0) throw new Error(`teardown: ${failures.map((failure) => String(failure.reason)).join('; ')}`);
    },
  };
}

/** Where kafkajs's default partitioner (the one KafkaTransport's producer uses) puts a key on this topic. */
function partitionerFor(topic: string, partitions: number): (key: string) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));
  return (key) => partitioner({ topic, partitionMetadata, message: { key, value: null } });
}

/** Sorted by partition in, round robin over partitions out. */
function interleave(certificates: Certificate[], partitions: number): Certificate[] {
  const byPartition = Array.from({ length: partitions }, (_, partition) => certificates.filter((c) => c.partition === partition));
  const out: Certificate[] = [];
  for (let i = 0; out.length < certificates.length; i++) {
    for (const list of byPartition) if (list[i]) out.push(list[i]);
  }
  return out;
}

function describe({ state, partitions }: { state: string; partitions: number[][] }): string {
  return `${state}, ${partitions.length} member(s) holding partitions ${partitions.map((own) => `[${own.join(',')}]`).join(' ')}`;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: p99 of 40 values is the largest, of 400 the fourth largest.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)), REQUEST_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
