import { create, Events, recordingV1, timestampFromDate } from '@enforcement/contracts';
import {
  DEFAULT_RELAY_OPTIONS,
  EVENT_BACKBONE_ENTITIES,
  EVENT_BACKBONE_MIGRATIONS,
  KafkaTransport,
  OutboxEventEntity,
  OutboxRelay,
  outboxRowHeaders,
  type EventPublisher,
  type OutboxRelayOptions,
} from '@enforcement/events';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, startKafkaBroker, type KafkaBroker, type TestDatabase } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Message, type Producer } from 'kafkajs';
import { IsNull, type DataSource } from 'typeorm';
import { measureRate, type Measurement, type Round, type Scenario, type ScenarioContext } from '../harness';
import { bulkStage } from '../support/bulk-stage';
import { quietLogger } from '../support/quiet-logger';

export interface RelayThroughputOptions {
  /** Events per side per round. */
  events: number;
  /** Distinct partition keys (case ids) the events are spread over. */
  partitionKeys: number;
  partitions: number;
  /** Relay options under test; the baseline sends in batches of the same size. */
  relay: Omit<OutboxRelayOptions, 'name'>;
  /** Builds the relay under test; an experiment can pass a modified copy here. */
  createRelay?: (dataSource: DataSource, publisher: EventPublisher, options: OutboxRelayOptions) => Drainer;
  name?: string;
  rounds?: number;
  warmupRounds?: number;
}

/** What the scenario needs of a relay: OutboxRelay, or an experimental variant of it. */
export interface Drainer {
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export const RELAY_THROUGHPUT_DEFAULTS: RelayThroughputOptions = {
  events: 20_000,
  partitionKeys: 64,
  partitions: 3,
  relay: DEFAULT_RELAY_OPTIONS,
};

const TOPIC = Events.StepRecorded.topic;

/**
 * Outbox relay throughput: committed outbox rows → broker-acknowledged and marked sent, against the
 * broker's own ceiling, i.e. the same messages sent by a bare kafkajs producer in the same batches.
 * Staging the rows is preparation, not part of the timing: the question is what the relay adds on
 * top of the broker round trips (reading rows, marking them sent, renewing its lease).
 *
 * The broker is a private one (a KRaft JVM of its own), so suites using the shared broker meanwhile do not
 * land in one side's timing. Where the relay's time goes, as measured on 2 cores: it never waits for the
 * database (the next batch is read and the last one marked while a batch is published), but those reads
 * (~13–17 ms per 500 rows) and marks (~16–22 ms) run on the same cores as the publish, which takes ~17 ms
 * per batch in the relay against ~12 ms for the bare producer. The ratio is the CPU the database work costs.
 */
export function relayThroughput(overrides: Partial<RelayThroughputOptions> = {}): Scenario {
  const options: RelayThroughputOptions = { ...RELAY_THROUGHPUT_DEFAULTS, ...overrides };
  let kafka: KafkaBroker | undefined;
  let database: TestDatabase | undefined;
  let dataSource: DataSource | undefined;
  let transport: KafkaTransport | undefined;
  let relay: Drainer | undefined;
  let rawClient: Kafka | undefined;
  let raw: Producer | undefined;
  let admin: Admin | undefined;

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`relay-throughput: ${what} is not set up`);
    return value;
  };

  /**
   * Messages ever appended to the topic; proves each side really landed every message, outside the
   * timing. High watermarks only, so retention cannot move the count.
   */
  const topicSize = async (): Promise<number> => {
    const offsets = await required(admin, 'admin').fetchTopicOffsets(TOPIC);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  };

  const expectGrowth = async (side: string, before: number): Promise<void> => {
    const grown = (await topicSize()) - before;
    if (grown !== options.events) throw new Error(`${side} put ${grown} messages on ${TOPIC}, expected ${options.events}`);
  };

  return {
    name: options.name ?? 'relay-throughput',
    description:
      `${options.createRelay ? 'custom relay' : 'OutboxRelay'}.drain() of ${options.events} committed rows (batch ${options.relay.batchSize}, ` +
      `${options.partitionKeys} keys, ${options.partitions} partitions) on MariaDB + a Kafka broker ` +
      `vs bare kafkajs sendBatch of the same messages`,
    unit: 'events/s',
    higherIsBetter: true,
    // On the real broker a side of 5,000 events takes 100–300 ms and single rounds swung from 0.4 to 1.0; sides of
    // 20,000 (0.4–1 s) keep the per-round ratios within about ±0.1 of the median. A round takes ~5 s with staging,
    // so 12 rounds and the broker's start keep the scenario near a minute and a half.
    rounds: options.rounds ?? 12,
    // The first round is slow on both sides (JIT, pool connections, the relay's first purge) but not equally.
    warmupRounds: options.warmupRounds ?? 2,
    target: { minRatio: 0.5 },

    async setup(context: ScenarioContext) {
      kafka = await startKafkaBroker({ fullJit: true });
      await kafka.createTopics([TOPIC], options.partitions);
      database = await createTestDatabase('bench_relay');
      dataSource = await openDatabase({
        url: database.url,
        sqliteFile: ':memory:', // unused: the URL selects MariaDB
        entities: EVENT_BACKBONE_ENTITIES,
        migrations: EVENT_BACKBONE_MIGRATIONS,
      });
      transport = new KafkaTransport({ brokers: kafka.brokers, clientId: 'bench-relay' }, quietLogger);
      const relayOptions: OutboxRelayOptions = { ...options.relay, name: 'bench' };
      relay = options.createRelay
        ? options.createRelay(dataSource, transport, relayOptions)
        : new OutboxRelay(dataSource, transport, relayOptions, quietLogger);

      // The baseline producer is configured as KafkaTransport's is (acks -1, one request in flight,
      // not idempotent), so the only difference left is the relay's own work.
      rawClient = new Kafka({
        clientId: 'bench-raw',
        brokers: kafka.brokers,
        logLevel: logLevel.NOTHING,
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      raw = rawClient.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1, idempotent: false });
      await raw.connect();
      admin = rawClient.admin();
      await admin.connect();

      const [{ version }] = (await dataSource.query('SELECT VERSION() AS version')) as Array<{ version: string }>;
      const [flush] = (await dataSource.query("SHOW VARIABLES LIKE 'innodb_flush_log_at_trx_commit'")) as Array<{ Value: string }>;
      context.log(`MariaDB ${version}, innodb_flush_log_at_trx_commit=${flush?.Value ?? '?'}; Kafka broker at ${kafka.brokers.join(',')}`);
    },

    async round(): Promise<Round> {
      const data = required(dataSource, 'database');
      const producer = required(raw, 'raw producer');
      const drainer = required(relay, 'relay');

      // Rows made by the real stageEvent() and committed before any clock starts.
      const roundId = randomUUID().slice(0, 8);
      await bulkStage(data, async (emit) => {
        for (let i = 0; i < options.events; i++) {
          const caseId = `case-${roundId}-${i % options.partitionKeys}`;
          await emit(Events.StepRecorded, stepRecorded(caseId, i), { partitionKey: caseId, agencyId: 'agency-bench' });
        }
      });

      // The baseline sends exactly the bytes the relay will send: read back from the staged rows.
      const rows = await data.getRepository(OutboxEventEntity).find({ where: { sentAt: IsNull() }, order: { id: 'ASC' } });
      if (rows.length !== options.events) throw new Error(`expected ${options.events} pending rows, found ${rows.length}`);
      const batches: Message[][] = [];
      for (let start = 0; start < rows.length; start += options.relay.batchSize) {
        batches.push(
          rows.slice(start, start + options.relay.batchSize).map((row) => ({
            key: row.partitionKey,
            // Ready-made Buffers: the baseline is the broker's ceiling, so it does no work that could be avoided.
            value: Buffer.from(row.payload),
            headers: outboxRowHeaders(row),
          })),
        );
      }

      return {
        baseline: async (): Promise<Measurement> => {
          const before = await topicSize();
          const measurement = await measureRate(options.events, async () => {
            for (const messages of batches) {
              await producer.sendBatch({ acks: -1, topicMessages: [{ topic: TOPIC, messages }] });
            }
          });
          await expectGrowth('raw kafkajs', before);
          return measurement;
        },
        subject: async (): Promise<Measurement> => {
          const before = await topicSize();
          let sent = 0;
          const measurement = await measureRate(options.events, async () => {
            sent = await drainer.drain();
          });
          if (sent !== options.events) throw new Error(`relay drained ${sent} events, expected ${options.events}`);
          const pending = await data.getRepository(OutboxEventEntity).count({ where: { sentAt: IsNull() } });
          if (pending !== 0) throw new Error(`${pending} rows still pending after drain`);
          await expectGrowth('relay', before);
          return measurement;
        },
      };
    },

    async teardown() {
      // In stages, each step on its own, so one failure (e.g. the broker already gone) does not skip
      // dropping the database; clients close before the things they are connected to.
      const outcomes = [
        ...(await Promise.allSettled([relay?.stop(), raw?.disconnect(), admin?.disconnect(), transport?.close()])),
        ...(await Promise.allSettled([dataSource?.isInitialized ? dataSource.destroy() : undefined])),
        ...(await Promise.allSettled([database?.drop(), kafka?.stop()])),
      ];
      relay = transport = raw = admin = rawClient = dataSource = database = kafka = undefined;
      const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failures.length > 0) throw new Error(`teardown: ${failures.map((failure) => String(failure.reason)).join('; ')}`);
    },
  };
}

function stepRecorded(caseId: string, sequence: number) {
  return {
    caseId,
    recordId: randomUUID(),
    stepType: 'on-site-inspection',
    certificates: [create(recordingV1.PresentedCertificateSchema, { officerId: randomUUID(), certificateNumber: `31010119${sequence}` })],
    occurredAt: timestampFromDate(new Date()),
    chainHash: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78',
    correctsRecordId: '',
  };
}
