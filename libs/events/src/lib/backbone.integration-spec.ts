import { Logger } from '@nestjs/common';
import { ALL_TOPICS, create, encodeEnvelope, Events, type certificatesV1 } from '@enforcement/contracts';
import { createTestDatabase, eventually, startKafkaBroker, type KafkaBroker, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { agencyPayload, ledgerBinding, LedgerEntry, openTestDatabase } from '../test-support/ledger';
import { DeadLetterEntity } from './inbox/dead-letter.entity';
import { EventDispatcher } from './inbox/event-dispatcher';
import { TransactionalOutbox } from './outbox/transactional-outbox';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay } from './relay/outbox-relay';
import { KafkaTransport } from './transport/kafka-transport';

const quiet = new Logger('backbone-test');
quiet.warn = () => undefined;
quiet.error = () => undefined;
quiet.log = () => undefined;

/**
 * The backbone end to end on real parts: outbox rows committed on MariaDB, relayed through a real Kafka
 * broker, consumed into a second MariaDB database through the inbox. The suite has a broker of its own
 * because it kills it.
 */
describe('event backbone on MariaDB and Kafka', () => {
  let kafka: KafkaBroker;
  let producerDb: TestDatabase;
  let consumerDb: TestDatabase;
  let producerData: DataSource;
  let consumerData: DataSource;
  let publisher: KafkaTransport;
  let subscriber: KafkaTransport;
  let relay: OutboxRelay;
  let outbox: TransactionalOutbox;
  const handledInOrder: string[] = [];
  const prefix = 'backbone.';

  beforeAll(async () => {
    kafka = await startKafkaBroker();
    // Under a prefix, as when two deployments share a cluster: the services keep the registry's names.
    await kafka.createTopics(
      ALL_TOPICS.map((topic) => `${prefix}${topic}`),
      3,
    );
    [producerDb, consumerDb] = await Promise.all([createTestDatabase('backbone_producer'), createTestDatabase('backbone_consumer')]);
    [producerData, consumerData] = await Promise.all([
      openTestDatabase({ url: producerDb.url }),
      openTestDatabase({ url: consumerDb.url }),
    ]);
    publisher = new KafkaTransport(
      { brokers: kafka.brokers, clientId: 'producer', connectionTimeoutMs: 1000, requestTimeoutMs: 3000, topicPrefix: prefix },
      quiet,
    );
    // A short session lets the group drop the member that died during the outage quickly.
    subscriber = new KafkaTransport(
      { brokers: kafka.brokers, clientId: 'consumer', redeliveryDelayMs: 200, sessionTimeoutMs: 6000, topicPrefix: prefix },
      quiet,
    );
    relay = new OutboxRelay(
      producerData,
      publisher,
      { ...DEFAULT_RELAY_OPTIONS, name: 'producer', pollIntervalMs: 100, initialBackoffMs: 100, maxBackoffMs: 500 },
      quiet,
    );
    outbox = new TransactionalOutbox(producerData, () => relay.nudge());

    const dispatcher = new EventDispatcher(consumerData, { consumer: 'consumer', maxAttempts: 3, retryDelayMs: 10 }, quiet);
    dispatcher.register({
      ...ledgerBinding,
      handle: async (payload, context) => {
        await ledgerBinding.handle(payload, context);
        handledInOrder.push((payload as certificatesV1.AgencyRegistered).name);
      },
    });
    await subscriber.subscribe('backbone-consumer', dispatcher.topics(), async (message) => {
      await dispatcher.dispatch(message);
    });
    relay.start();
  }, 240_000);

  afterAll(async () => {
    await relay?.stop();
    await Promise.allSettled([publisher?.close(), subscriber?.close()]);
    await Promise.allSettled([producerData?.destroy(), consumerData?.destroy()]);
    await Promise.allSettled([producerDb?.drop(), consumerDb?.drop(), kafka?.stop()]);
  });

  const ledgerNames = async () => (await consumerData.getRepository(LedgerEntry).find()).map((entry) => entry.name);
  const emit = (name: string, key: string) =>
    outbox.run(({ emit: stage }) => stage(Events.AgencyRegistered, agencyPayload(name), { partitionKey: key }));

  it('carries committed events from the outbox through Kafka into the consumer, in order per key', async () => {
    for (let i = 0; i < 12; i++) await emit(`order-${i % 3}-${i}`, `key-${i % 3}`);

    await eventually(async () => expect((await ledgerNames()).filter((n) => n.startsWith('order-'))).toHaveLength(12), 60_000);

    for (const key of [0, 1, 2]) {
      const ofKey = handledInOrder.filter((name) => name.startsWith(`order-${key}-`));
      const sequence = ofKey.map((name) => Number(name.split('-')[2]));
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      expect(sequence).toHaveLength(4);
    }
  }, 90_000);

  it('has the effect of an event delivered twice only once', async () => {
    const eventId = '22222222-2222-4222-8222-222222222222';
    const value = encodeEnvelope(Events.AgencyRegistered, create(Events.AgencyRegistered.schema, agencyPayload('twice')), {
      eventId,
      occurredAt: new Date(),
      agencyId: 'twice',
      actingUserId: '',
      correlationId: eventId,
      causationId: '',
      partitionKey: 'twice',
    });
    const message = { topic: Events.AgencyRegistered.topic, key: 'twice', value, headers: {} };
    // As when the relay dies after the broker's ack and before it marks the row sent.
    await publisher.publish([message]);
    await publisher.publish([message]);
    await emit('after-twice', 'twice');

    await eventually(async () => expect(await ledgerNames()).toContain('after-twice'), 30_000);
    expect((await ledgerNames()).filter((name) => name === 'twice')).toHaveLength(1);
  }, 60_000);

  // A broker restarted on a loaded machine (a JVM, its log recovered, the group rejoined) can take minutes.
  it('commits writes while the broker is down and delivers their events once it is back', async () => {
    await kafka.kill();
    try {
      for (let i = 0; i < 3; i++) await emit(`outage-${i}`, 'outage');
      await eventually(async () => expect((await relay.status()).consecutiveFailures).toBeGreaterThan(0), 30_000);
      expect((await relay.status()).pending).toBeGreaterThanOrEqual(3);
      expect((await ledgerNames()).filter((n) => n.startsWith('outage-'))).toHaveLength(0);
    } finally {
      await kafka.restart();
    }

    await eventually(async () => expect((await ledgerNames()).filter((n) => n.startsWith('outage-'))).toHaveLength(3), 180_000);
    expect(handledInOrder.filter((n) => n.startsWith('outage-'))).toEqual(['outage-0', 'outage-1', 'outage-2']);
    expect((await relay.status()).pending).toBe(0);
  }, 420_000);

  it('dead-letters a poison event with its error and keeps later events flowing', async () => {
    await emit('poison-pill', 'poison');
    await emit('after-poison', 'poison');

    await eventually(async () => expect(await ledgerNames()).toContain('after-poison'), 90_000);
    const letters = await consumerData.getRepository(DeadLetterEntity).find();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ consumer: 'consumer', attempts: 3, partitionKey: 'poison' });
    expect(letters[0].error).toContain('cannot handle poison-pill');
    expect(await ledgerNames()).not.toContain('poison-pill');
  }, 120_000);
});
