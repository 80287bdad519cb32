import type { INestApplication } from '@nestjs/common';
import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import { encodeEnvelope, Events, recordingV1 } from '@enforcement/contracts';
import { InProcessBroker, outboxRowHeaders } from '@enforcement/events';
import { loadServiceConfig, startService } from '@enforcement/service-runtime';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { publicityService } from '../service';
import { decisionIssued } from '../test-support/publicity-fixtures';

export interface PublicationLatencyOptions {
  mode: 'embedded' | 'kafka';
  decisions: number;
  /** How often the reviewer's queue and the public API are asked (ms). */
  pollMs: number;
  /** kafka: the service's MariaDB database. */
  url?: string;
  brokers?: string[];
  topicPrefix?: string;
}

export interface PublicationLatency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  /** DecisionIssued sent → the disclosure in the reviewer's queue: the event path alone. */
  queuedP50Ms: number;
  queuedP99Ms: number;
}

const AGENCY = '00000000-0000-4000-8000-0000000000b1';
const REVIEWER: AuthenticatedUser = { userId: 'bench-reviewer', agencyId: AGENCY, roles: ['officer', 'agency-admin'] };
const TIMEOUT_MS = 30_000;

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Asks `probe` every `pollMs` until it answers; a decision not seen within TIMEOUT_MS fails the run (lost is not slow). */
async function until<T>(probe: () => Promise<T | undefined>, pollMs: number, what: string): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * From DecisionIssued to the decision visible in the public API, on the path the product has: publication waits for
 * the agency reviewer's approval of the redacted text (there is no auto-publication), so a reviewer here approves a
 * disclosure as soon as the queue shows it, and the public keyword search is asked until the decision is found.
 * DecisionIssued is sent as recording's relay sends it: into the in-process broker (embedded, SQLite, as `npm start`
 * runs publicity) or into the Kafka topic (publicity on MariaDB, consuming as it does distributed).
 */
export async function measurePublicationLatency(options: PublicationLatencyOptions): Promise<PublicationLatency> {
  const dataDir = mkdtempSync(join(tmpdir(), 'publicity-publication-bench-'));
  const kafka = options.mode === 'kafka';
  // Distributed, the service trusts an identity provider's key: the bench plays it, as the e2e platform does.
  const idp = new LocalIssuer({ dir: join(dataDir, 'idp'), issuer: 'enforcement-platform', audience: 'enforcement-platform' });
  await idp.sign(REVIEWER, { ttlSeconds: 60 });
  const config = loadServiceConfig(publicityService.settings, {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DISCLOSURE_CHECK_INTERVAL_MS: '0',
    // The bench asks the public API far more often than a visitor may.
    PUBLIC_API_RATE_LIMIT: '1000000',
    ...(kafka
      ? {
          DATABASE_URL: options.url ?? '',
          KAFKA_BROKERS: (options.brokers ?? []).join(','),
          KAFKA_TOPIC_PREFIX: options.topicPrefix ?? '',
          FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          AUTH_PUBLIC_KEY: readFileSync(join(dataDir, 'idp', 'public-key.pem'), 'utf8'),
        }
      : {}),
  });
  const broker = kafka ? undefined : new InProcessBroker();
  let app: INestApplication | undefined;
  let producer: Producer | undefined;
  try {
    app = await startService(publicityService, { config, broker, listen: false });
    broker?.open();
    const server = app.getHttpServer() as import('node:http').Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const token = await (kafka ? idp : LocalIssuer.fromConfig(config.auth)).sign(REVIEWER, { ttlSeconds: 3600 });
    const json = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(base + path, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
      if (response.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<{ items?: Array<{ id: string; caseId?: string }> }>;
    };
    if (kafka) {
      producer = new Kafka({ brokers: options.brokers ?? [], clientId: 'bench-recording-relay', logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
    }
    const send = async (caseId: string, party: string) => {
      const eventId = randomUUID();
      const init = decisionIssued({
        caseId,
        agencyId: AGENCY,
        party: { kind: recordingV1.PartyKind.ORGANISATION, name: party, isMinor: false },
      });
      const value = encodeEnvelope(Events.DecisionIssued, create(Events.DecisionIssued.schema, init), {
        eventId,
        occurredAt: new Date(),
        agencyId: AGENCY,
        actingUserId: '',
        correlationId: eventId,
        causationId: '',
        partitionKey: caseId,
      });
      const headers = outboxRowHeaders({ eventId, eventType: Events.DecisionIssued.schema.typeName });
      if (producer) {
        await producer.send({
          topic: `${options.topicPrefix ?? ''}${Events.DecisionIssued.topic}`,
          messages: [{ key: caseId, value: Buffer.from(value), headers }],
        });
      } else {
        await broker?.publish([{ topic: Events.DecisionIssued.topic, key: caseId, value, headers }]);
      }
    };
    const one = async (index: number) => {
      const caseId = randomUUID();
      const party = `上海公示时延${index}${randomBytes(3).toString('hex')}有限公司`;
      const started = process.hrtime.bigint();
      const since = () => Number(process.hrtime.bigint() - started) / 1e6;
      await send(caseId, party);
      const auth = { authorization: `Bearer ${token}` };
      const queued = await until(
        async () => (await json('/disclosures?limit=200', { headers: auth })).items?.find((item) => item.caseId === caseId),
        options.pollMs,
        `decision ${caseId} in the review queue`,
      );
      const queuedMs = since();
      await json(`/disclosures/${queued.id}/approval`, { method: 'POST', headers: auth, body: '{}' });
      await until(
        async () =>
          (await json(`/public/decisions?q=${encodeURIComponent(party)}`)).items?.some((item) => item.id === queued.id) || undefined,
        options.pollMs,
        `decision ${caseId} in the public API`,
      );
      return { visibleMs: since(), queuedMs };
    };
    // Untimed: the first decision waits for the consumer to join its group and warms the caches.
    await one(-1);
    const samples: Array<{ visibleMs: number; queuedMs: number }> = [];
    for (let index = 0; index < options.decisions; index++) samples.push(await one(index));
    const visible = samples.map((s) => s.visibleMs);
    const queued = samples.map((s) => s.queuedMs);
    return {
      samples: samples.length,
      p50Ms: percentile(visible, 0.5),
      p99Ms: percentile(visible, 0.99),
      queuedP50Ms: percentile(queued, 0.5),
      queuedP99Ms: percentile(queued, 0.99),
    };
  } finally {
    await producer?.disconnect().catch(() => undefined);
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
