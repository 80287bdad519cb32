import { Logger } from '@nestjs/common';
import { Events, legalReviewV1, timestampFromDate, Topics, type EventDefinition, type recordingV1 } from '@enforcement/contracts';
import {
  DEFAULT_RELAY_OPTIONS,
  EVENT_BACKBONE_ENTITIES,
  EVENT_BACKBONE_MIGRATIONS,
  EventDispatcher,
  KafkaTransport,
  OutboxRelay,
  type DispatchResult,
  type EventContext,
} from '@enforcement/events';
import { columnsFor, openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import { Table, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The inbox owner and consumer group of the probe. */
export const PROBE_CONSUMER = 'publicity-probe';
/** The relay lease of the legal-review stand-in. */
export const STAND_IN_RELAY = 'legal-review-stand-in';
export const STAND_IN_REVIEWER_ID = 'f0000000-0000-4000-8000-00000000000f';

/** Every event the recording service publishes: what the publicity service will consume. */
export const RECORDING_EVENTS: readonly EventDefinition[] = Object.values(Events).filter(
  (definition) => definition.topic === Topics.recording,
);

/**
 * One row per handler run that committed, with no unique key: a redelivered event that got past the inbox would
 * show here as a second row. The auto-increment id is the order effects were applied in.
 */
class ProbeEffects1763799999000 implements MigrationInterface {
  name = 'ProbeEffects1763799999000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'probe_effects',
        columns: [
          c.autoId(),
          c.string('event_id', 36),
          c.string('event_type', 200),
          c.string('partition_key', 100),
          c.timestamp('applied_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('probe_effects');
  }
}

export interface EventProbe {
  database: TestDatabase;
  dataSource: DataSource;
  /** What the probe's dispatcher made of each delivery: redeliveries show as 'duplicate'. */
  deliveries: Record<DispatchResult | 'rejected', number>;
  /**
   * The reviewer the stand-in concludes as (STAND_IN_REVIEWER_ID until set): recording takes a conclusion only from a
   * reviewer of the case's agency qualified in certificates, so a suite registers one and names it here.
   */
  reviewerOfficerId: string;
  stop(): Promise<void>;
}

/**
 * A stand-in for the consumers the platform does not have yet, built from the platform's own event backbone
 * (libs/events) on a MariaDB database of its own:
 *
 * - as the publicity service, it consumes every event the recording service publishes, through an inbox that
 *   records each event id once, and applies one effect row per event;
 * - as the legal-review service, it answers each DecisionProposed with two ReviewConcluded events of the case
 *   (first RETURNED, then APPROVED), staged in its own outbox in the inbox transaction and relayed to Kafka, so
 *   the recording service gets several events of one case whose order matters.
 */
export async function startEventProbe(kafka: { brokers: string[]; topicPrefix: string }): Promise<EventProbe> {
  const logger = new Logger('event-probe');
  // Broker and database outages are what the tests cause: the probe reports only errors.
  logger.log = () => undefined;
  logger.warn = () => undefined;
  const database = await createTestDatabase('e2e_probe');
  const dataSource = await openDatabase({
    url: database.url,
    sqliteFile: ':memory:',
    entities: [...EVENT_BACKBONE_ENTITIES],
    migrations: [...EVENT_BACKBONE_MIGRATIONS, ProbeEffects1763799999000],
    poolSize: 4,
  });
  const transport = new KafkaTransport(
    { brokers: kafka.brokers, clientId: PROBE_CONSUMER, topicPrefix: kafka.topicPrefix, redeliveryDelayMs: 500, sessionTimeoutMs: 10_000 },
    logger,
  );
  const relay = new OutboxRelay(
    dataSource,
    transport,
    { ...DEFAULT_RELAY_OPTIONS, name: STAND_IN_RELAY, pollIntervalMs: 200, initialBackoffMs: 200, maxBackoffMs: 2_000 },
    logger,
  );
  const dispatcher = new EventDispatcher(dataSource, { consumer: PROBE_CONSUMER, maxAttempts: 5, retryDelayMs: 100 }, logger, () =>
    relay.nudge(),
  );

  const applyEffect = async ({ manager, envelope }: EventContext): Promise<void> => {
    await manager.query('INSERT INTO probe_effects (event_id, event_type, partition_key, applied_at) VALUES (?, ?, ?, ?)', [
      envelope.eventId,
      envelope.eventType,
      envelope.partitionKey,
      new Date(),
    ]);
  };
  for (const definition of RECORDING_EVENTS) {
    dispatcher.register({ definition, name: `probe.${definition.schema.name}`, handle: async (_payload, context) => applyEffect(context) });
  }
  const probe: Pick<EventProbe, 'reviewerOfficerId'> = { reviewerOfficerId: STAND_IN_REVIEWER_ID };
  dispatcher.register({
    definition: Events.DecisionProposed,
    name: 'legal-review-stand-in.onDecisionProposed',
    handle: async (payload, context) => {
      const proposal = payload as recordingV1.DecisionProposed;
      for (const [outcome, opinion] of [
        [legalReviewV1.ReviewOutcome.RETURNED, '证据不足，退回补充调查'],
        [legalReviewV1.ReviewOutcome.APPROVED, '事实清楚，证据确凿，适用依据正确，程序合法'],
      ] as const) {
        await context.emit(
          Events.ReviewConcluded,
          {
            reviewId: randomUUID(),
            caseId: proposal.caseId,
            outcome,
            opinion,
            reviewerOfficerId: probe.reviewerOfficerId,
            concludedAt: timestampFromDate(new Date()),
            // Recording opens its gate only for the proposal a conclusion names.
            proposalDigest: proposal.proposalDigest,
          },
          { partitionKey: proposal.caseId, actingUserId: probe.reviewerOfficerId },
        );
      }
    },
  });

  const deliveries: EventProbe['deliveries'] = { handled: 0, duplicate: 0, ignored: 0, 'dead-lettered': 0, rejected: 0 };
  await transport.subscribe(PROBE_CONSUMER, dispatcher.topics(), async (message) => {
    try {
      deliveries[await dispatcher.dispatch(message)]++;
    } catch (error) {
      deliveries.rejected++;
      throw error;
    }
  });
  relay.start();

  return Object.assign(probe, {
    database,
    dataSource,
    deliveries,
    stop: async () => {
      await relay.stop();
      await transport.close();
      await dataSource.destroy();
      await database.drop();
    },
  });
}
