import type { LoggerService } from '@nestjs/common';
import { eventually, useKafka, type TestKafka } from '@enforcement/testing';
import { KafkaTransport } from './kafka-transport';

const quiet: LoggerService = { log: () => undefined, warn: () => undefined, error: () => undefined };
const TOPIC = 'enforcement.certificates.v1';

/** consumer_lag_events on Kafka: the high watermark minus what the group committed, per partition. */
describe('KafkaTransport consumer lag', () => {
  let kafka: TestKafka;
  const transports: KafkaTransport[] = [];

  beforeAll(async () => {
    kafka = await useKafka({ topics: [TOPIC], partitions: 2 });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(transports.map((transport) => transport.close()));
    await kafka?.release();
  });

  const transport = (clientId: string) => {
    const created = new KafkaTransport({ brokers: kafka.brokers, clientId, topicPrefix: kafka.topicPrefix }, quiet);
    transports.push(created);
    return created;
  };
  const totalLag = async (consumer: KafkaTransport) => (await consumer.consumerLag('lag-group')).reduce((sum, p) => sum + p.lag, 0);

  it('counts what the group has not consumed, per partition of its topics, down to 0 once it has', async () => {
    const publisher = transport('lag-publisher');
    const consumer = transport('lag-consumer');
    expect(await consumer.consumerLag('lag-group')).toEqual([]);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await consumer.subscribe('lag-group', [TOPIC], () => held);
    // Every message on one key: one partition, the group stuck on its first.
    await publisher.publish(Array.from({ length: 5 }, (_, i) => ({ topic: TOPIC, key: 'k', value: Buffer.from(`m${i}`), headers: {} })));

    const lags = await consumer.consumerLag('lag-group');
    expect(lags.map(({ topic, partition }) => [topic, partition]).sort()).toEqual([
      [TOPIC, 0],
      [TOPIC, 1],
    ]);
    expect(await totalLag(consumer)).toBe(5);

    release();
    await eventually(async () => expect(await totalLag(consumer)).toBe(0), 30_000, 200);
  }, 90_000);
});
