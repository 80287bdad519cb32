import { ALL_TOPICS } from '@enforcement/contracts';
import { randomBytes } from 'node:crypto';
import { Client } from 'minio';
import { runningInfra } from './infra/local-infra';
import { createTopics, startKafkaBroker } from './kafka-broker';
import { startS3Server } from './s3-server';

/**
 * Suites share one Kafka broker and one S3 server per test run (a JVM takes seconds to start): the test
 * runner starts them with `npm run infra` and passes their addresses in TEST_KAFKA_BROKERS and TEST_S3_*.
 * Each suite still gets its own world on them: a topic and consumer-group prefix, its own buckets. A suite
 * run on its own, with no shared infrastructure up, starts private servers instead. Suites that kill a
 * broker or a server start their own with startKafkaBroker() / startS3Server().
 */
export interface TestKafka {
  brokers: string[];
  /** This suite's KAFKA_TOPIC_PREFIX: its topics (already created) and groups are its own. */
  topicPrefix: string;
  /** Stops a private broker; leaves the shared one alone. */
  release(): Promise<void>;
}

export interface TestS3 {
  endpoint: string;
  host: string;
  port: number;
  accessKey: string;
  secretKey: string;
  region: string;
  /** A bucket made for this suite. */
  bucket: string;
  /** Stops a private server; leaves the shared one alone. */
  release(): Promise<void>;
}

function suitePrefix(): string {
  return `t${randomBytes(5).toString('hex')}.`;
}

async function sharedKafka(): Promise<string[] | undefined> {
  const fromEnv = process.env['TEST_KAFKA_BROKERS'];
  if (fromEnv) return fromEnv.split(',').map((broker) => broker.trim());
  return (await runningInfra())?.kafka.brokers;
}

export async function useKafka(options: { topics?: readonly string[]; partitions?: number } = {}): Promise<TestKafka> {
  const topicPrefix = suitePrefix();
  const names = (options.topics ?? ALL_TOPICS).map((topic) => topicPrefix + topic);
  const partitions = options.partitions ?? 3;
  const shared = await sharedKafka();
  if (shared) {
    await createTopics(shared, names, partitions);
    return { brokers: shared, topicPrefix, release: async () => undefined };
  }
  const broker = await startKafkaBroker();
  await broker.createTopics(names, partitions);
  return { brokers: broker.brokers, topicPrefix, release: () => broker.stop() };
}

interface SharedS3 {
  endpoint: string;
  accessKey: string;
  secretKey: string;
}

async function sharedS3(): Promise<SharedS3 | undefined> {
  const endpoint = process.env['TEST_S3_ENDPOINT'];
  const accessKey = process.env['TEST_S3_ACCESS_KEY'];
  const secretKey = process.env['TEST_S3_SECRET_KEY'];
  if (endpoint && accessKey && secretKey) return { endpoint, accessKey, secretKey };
  const state = (await runningInfra())?.s3;
  return state && { endpoint: state.endpoint, accessKey: state.accessKey, secretKey: state.secretKey };
}

async function removeBucket(client: Client, bucket: string): Promise<void> {
  const names: string[] = [];
  for await (const item of client.listObjectsV2(bucket, '', true)) if (item.name) names.push(item.name);
  for (let i = 0; i < names.length; i += 500) await client.removeObjects(bucket, names.slice(i, i + 500));
  await client.removeBucket(bucket);
}

/** An S3 server with a fresh bucket of this suite's own (with object lock, and so versioning, if asked). */
export async function useS3(options: { objectLock?: boolean } = {}): Promise<TestS3> {
  const bucket = `t-${randomBytes(6).toString('hex')}`;
  const shared = await sharedS3();
  if (shared) {
    const url = new URL(shared.endpoint);
    const region = 'us-east-1';
    const client = new Client({
      endPoint: url.hostname,
      port: Number(url.port),
      useSSL: false,
      accessKey: shared.accessKey,
      secretKey: shared.secretKey,
      region,
    });
    await client.makeBucket(bucket, region, { ObjectLocking: options.objectLock ?? false });
    // A locked bucket's originals cannot be removed through S3 (that is the point of the lock); they go with
    // the shared server's data (`npm test` starts it fresh). Any other bucket is emptied and removed.
    const release = options.objectLock ? async () => undefined : () => removeBucket(client, bucket);
    return { ...shared, host: url.hostname, port: Number(url.port), region, bucket, release };
  }
  const server = await startS3Server(options.objectLock ? { objectLockBuckets: [bucket] } : { buckets: [bucket] });
  return {
    endpoint: server.endpoint,
    host: server.host,
    port: server.port,
    accessKey: server.accessKey,
    secretKey: server.secretKey,
    region: server.region,
    bucket,
    release: () => server.stop(),
  };
}
