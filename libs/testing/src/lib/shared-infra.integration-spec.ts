import { ALL_TOPICS } from '@enforcement/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'minio';
import { portAnswers } from './infra/daemon';
import { runningInfra } from './infra/local-infra';
import { useKafka, useS3, type TestKafka, type TestS3 } from './shared-infra';

// runningInfra stays the real one unless a test says otherwise: the private path pretends nothing is up.
jest.mock('./infra/local-infra', () => {
  const actual: typeof import('./infra/local-infra') = jest.requireActual('./infra/local-infra');
  return { ...actual, runningInfra: jest.fn(actual.runningInfra) };
});

const SHARED_ENV = ['TEST_KAFKA_BROKERS', 'TEST_S3_ENDPOINT', 'TEST_S3_ACCESS_KEY', 'TEST_S3_SECRET_KEY'] as const;
const PREFIX = /^t[0-9a-f]{10}\.$/;

/** What the helpers are expected to hand out: the shared servers named in the environment or by npm run infra. */
async function sharedAddresses(): Promise<{ brokers: string[]; s3Endpoint: string }> {
  const state = await runningInfra();
  const brokers = process.env['TEST_KAFKA_BROKERS']?.split(',').map((broker) => broker.trim()) ?? state?.kafka.brokers;
  const s3Endpoint = process.env['TEST_S3_ENDPOINT'] ?? state?.s3.endpoint;
  if (!brokers || !s3Endpoint) throw new Error('this suite checks the shared infrastructure: start it with `npm run infra`');
  return { brokers, s3Endpoint };
}

function s3Client(s3: TestS3): Client {
  return new Client({
    endPoint: s3.host,
    port: s3.port,
    useSSL: false,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    region: s3.region,
  });
}

async function topicsOn(brokers: string[]): Promise<Map<string, number>> {
  const admin = new Kafka({ clientId: 'shared-infra-spec', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata();
    return new Map(topics.map((topic) => [topic.name, topic.partitions.length]));
  } finally {
    await admin.disconnect();
  }
}

describe('useKafka and useS3 on the shared infrastructure', () => {
  let shared: { brokers: string[]; s3Endpoint: string };

  beforeAll(async () => {
    shared = await sharedAddresses();
  });

  it('gives each suite its own topic prefix on the shared broker, with its topics created', async () => {
    const [first, second] = await Promise.all([useKafka(), useKafka({ topics: [ALL_TOPICS[0]], partitions: 2 })]);

    expect([first.brokers, second.brokers]).toEqual([shared.brokers, shared.brokers]);
    expect(first.topicPrefix).toMatch(PREFIX);
    expect(second.topicPrefix).toMatch(PREFIX);
    expect(first.topicPrefix).not.toBe(second.topicPrefix);
    const topics = await topicsOn(shared.brokers);
    for (const topic of ALL_TOPICS) expect([topic, topics.get(first.topicPrefix + topic)]).toEqual([topic, 3]);
    expect(topics.get(second.topicPrefix + ALL_TOPICS[0])).toBe(2);
    expect([...topics.keys()].filter((name) => name.startsWith(second.topicPrefix))).toEqual([second.topicPrefix + ALL_TOPICS[0]]);

    await Promise.all([first.release(), second.release()]);

    expect(await portAnswers(Number(shared.brokers[0].split(':')[1]))).toBe(true);
  });

  it('gives each suite a bucket of its own on the shared S3 server, with object lock when asked', async () => {
    const [first, second, locked] = await Promise.all([useS3(), useS3(), useS3({ objectLock: true })]);

    expect([first.endpoint, second.endpoint, locked.endpoint]).toEqual([shared.s3Endpoint, shared.s3Endpoint, shared.s3Endpoint]);
    expect(new Set([first.bucket, second.bucket, locked.bucket]).size).toBe(3);
    const client = s3Client(first);
    await client.putObject(first.bucket, 'only-here', Buffer.from('first'));
    await expect(client.statObject(second.bucket, 'only-here')).rejects.toMatchObject({ code: 'NotFound' });
    await expect(client.getObjectLockConfig(first.bucket)).rejects.toMatchObject({ code: 'ObjectLockConfigurationNotFoundError' });
    expect(await client.getObjectLockConfig(locked.bucket)).toMatchObject({ objectLockEnabled: 'Enabled' });

    await client.putObject(locked.bucket, 'original', Buffer.from('kept'));
    await Promise.all([first.release(), second.release(), locked.release()]);

    // The shared server does not grow run after run; only what a lock protects stays until the server goes.
    expect(await client.bucketExists(first.bucket)).toBe(false);
    expect(await client.bucketExists(second.bucket)).toBe(false);
    expect(await client.bucketExists(locked.bucket)).toBe(true);
  });
});

describe('useKafka and useS3 with nothing shared up', () => {
  const saved: Partial<Record<(typeof SHARED_ENV)[number], string>> = {};

  beforeAll(() => {
    for (const name of SHARED_ENV) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    jest.mocked(runningInfra).mockResolvedValue(undefined);
  });

  afterAll(() => {
    for (const name of SHARED_ENV) if (saved[name] !== undefined) process.env[name] = saved[name];
    jest.mocked(runningInfra).mockReset();
  });

  it('starts a private S3 server with the bucket, and release() stops it', async () => {
    const s3 = await useS3({ objectLock: true });
    try {
      expect(s3.endpoint).toBe(`http://127.0.0.1:${s3.port}`);
      const client = s3Client(s3);
      expect((await client.listBuckets()).map((bucket) => bucket.name)).toEqual([s3.bucket]);
      expect(await client.getObjectLockConfig(s3.bucket)).toMatchObject({ objectLockEnabled: 'Enabled' });
    } finally {
      await s3.release();
    }

    expect(await portAnswers(s3.port)).toBe(false);
  });

  it('starts a private Kafka broker with the topics, and release() stops it', async () => {
    let kafka: TestKafka | undefined;
    try {
      kafka = await useKafka({ topics: ALL_TOPICS.slice(0, 2), partitions: 1 });
      const topics = await topicsOn(kafka.brokers);
      expect(ALL_TOPICS.slice(0, 2).map((topic) => topics.get(kafka?.topicPrefix + topic))).toEqual([1, 1]);
    } finally {
      await kafka?.release();
    }

    expect(await portAnswers(Number(kafka.brokers[0].split(':')[1]))).toBe(false);
  }, 180_000);
});
