import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { portAnswers } from './infra/daemon';
import { startKafkaBroker, type KafkaBroker } from './kafka-broker';

/**
 * One private broker for the whole file, taken through its life in order (a JVM takes seconds to start on
 * two busy cores): it answers, creates topics, survives a SIGKILL with what it had acknowledged, and stops.
 */
describe(startKafkaBroker.name, () => {
  const START_MS = 180_000;
  let broker: KafkaBroker;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startKafkaBroker();
    kafka = new Kafka({ clientId: 'kafka-broker-spec', brokers: broker.brokers, logLevel: logLevel.NOTHING });
  }, START_MS);

  afterAll(async () => {
    await broker?.stop();
  }, START_MS);

  async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  }

  it('starts one broker, also the controller, on a free loopback port', async () => {
    expect(broker.brokers).toEqual([`127.0.0.1:${broker.port}`]);
    expect(broker.pid()).toBeGreaterThan(0);

    const cluster = await withAdmin((admin) => admin.describeCluster());

    expect(cluster.brokers).toEqual([expect.objectContaining({ host: '127.0.0.1', port: broker.port })]);
    expect(cluster.controller).toBe(cluster.brokers[0].nodeId);
  });

  it('creates topics idempotently, and no topic on its own', async () => {
    const prefix = `spec-${randomBytes(4).toString('hex')}.`;
    const names = [`${prefix}case.opened`, `${prefix}evidence.sealed`];

    await broker.createTopics(names, 4);
    await broker.createTopics([...names, `${prefix}case.closed`], 2);
    await broker.createTopics(names);

    const metadata = await withAdmin((admin) => admin.fetchTopicMetadata({ topics: [...names, `${prefix}case.closed`] }));
    const partitions = Object.fromEntries(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
    expect(partitions).toEqual({ [names[0]]: 4, [names[1]]: 4, [`${prefix}case.closed`]: 2 });
    // auto.create.topics.enable=false: a typo in a topic name fails instead of making a topic.
    const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 1 } });
    await producer.connect();
    try {
      const refused = await producer.send({ topic: `${prefix}typo`, messages: [{ value: 'x' }] }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ cause: { type: 'UNKNOWN_TOPIC_OR_PARTITION' } });
    } finally {
      await producer.disconnect();
    }
    expect(await withAdmin((admin) => admin.listTopics())).not.toContain(`${prefix}typo`);
  });

  it('creates the topics of suites setting up at the same moment, each call returning once its topics are led', async () => {
    const suites = Array.from({ length: 4 }, () => `spec-${randomBytes(4).toString('hex')}.`);
    const names = (prefix: string) =>
      ['case.opened', 'case.closed', 'evidence.sealed', 'penalty.decided', 'deadline.due'].map((topic) => prefix + topic);

    for (let round = 0; round < 3; round++) {
      await Promise.all(suites.map((prefix) => broker.createTopics(names(`${prefix}${round}.`), 3)));
    }

    const all = suites.flatMap((prefix) => [0, 1, 2].flatMap((round) => names(`${prefix}${round}.`)));
    const metadata = await withAdmin((admin) => admin.fetchTopicMetadata({ topics: all }));
    expect(metadata.topics.filter((topic) => topic.partitions.length === 3 && topic.partitions.every((p) => p.leader >= 0))).toHaveLength(
      all.length,
    );
  });

  it(
    'still has an acknowledged message after a SIGKILL and a restart on the same log and port',
    async () => {
      const topic = `spec-${randomBytes(4).toString('hex')}.evidence.sealed`;
      await broker.createTopics([topic], 1);
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      const value = `sealed ${randomBytes(8).toString('hex')}`;
      await producer.send({ topic, acks: -1, messages: [{ key: 'case-1', value }] });
      await producer.disconnect();
      const killedPid = broker.pid();
      const { port, logDir } = broker;

      await broker.kill();

      expect(processAlive(killedPid)).toBe(false);
      expect(await portAnswers(port)).toBe(false);

      await broker.restart();

      expect(broker.pid()).not.toBe(killedPid);
      expect([broker.port, broker.logDir, broker.brokers]).toEqual([port, logDir, [`127.0.0.1:${port}`]]);
      expect(await readAll(topic, 1)).toEqual([{ key: 'case-1', value }]);
      await expect(broker.restart()).rejects.toThrow(/still running/);
    },
    START_MS,
  );

  it(
    'stops idempotently and removes the temporary data it made',
    async () => {
      const dataDir = path.dirname(broker.logDir);
      const pid = broker.pid();
      expect(existsSync(broker.logDir)).toBe(true);

      await Promise.all([broker.stop(), broker.stop()]);
      await broker.stop();

      expect(processAlive(pid)).toBe(false);
      expect(await portAnswers(broker.port)).toBe(false);
      expect(existsSync(dataDir)).toBe(false);
    },
    START_MS,
  );

  it(
    'starts again on a data directory it was given and stopped on (npm run infra after --stop), with its topics',
    async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'kafka-kept-'));
      try {
        const first = await startKafkaBroker({ dataDir });
        await first.createTopics(['kept.topic'], 2);
        await first.stop();
        expect(existsSync(path.join(first.logDir, 'meta.properties'))).toBe(true);

        const second = await startKafkaBroker({ dataDir });
        try {
          const admin = new Kafka({ clientId: 'kept', brokers: second.brokers, logLevel: logLevel.NOTHING }).admin();
          await admin.connect();
          expect(await admin.listTopics()).toContain('kept.topic');
          await admin.disconnect();
        } finally {
          await second.stop();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    START_MS,
  );

  /** Every message of the topic from the beginning, as a consumer of a group of its own reads them. */
  async function readAll(topic: string, count: number): Promise<Array<{ key: string; value: string }>> {
    const consumer = kafka.consumer({ groupId: `spec-${randomBytes(4).toString('hex')}` });
    const received: Array<{ key: string; value: string }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              received.push({ key: String(message.key), value: String(message.value) });
              if (received.length >= count) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return received;
  }
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
