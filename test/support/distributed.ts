import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import { ALL_TOPICS } from '@enforcement/contracts';
import {
  createTestDatabase,
  startKafkaBroker,
  startS3Server,
  useKafka,
  useS3,
  type KafkaBroker,
  type S3Server,
  type TestDatabase,
} from '@enforcement/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startNodeProcess, waitForHealthy, type RunningProcess } from './processes';

export type ServiceName = 'certificates' | 'recording' | 'legal-review' | 'publicity';

export interface ServiceInstance {
  service: ServiceName;
  url: string;
  process: RunningProcess;
}

export interface DistributedOptions {
  /** Extra environment for every service process. */
  env?: Record<string, string>;
  /** A Kafka broker of this platform's own, which the test may kill and restart (platform.broker). */
  ownBroker?: boolean;
  /** An S3 server of this platform's own, which the test may kill and restart (platform.s3Server). */
  ownS3?: boolean;
  /** Rewrites a service's database URL, e.g. to route it through a proxy the test can cut. */
  databaseUrl?: (service: ServiceName, url: string) => string;
}

export interface DistributedPlatform {
  kafka: { brokers: string[]; topicPrefix: string };
  s3: { host: string; port: number; accessKey: string; secretKey: string; bucket: string };
  /** Set with ownBroker / ownS3. */
  broker?: KafkaBroker;
  s3Server?: S3Server;
  /** The first instance's URL per service. */
  urls: Record<string, string>;
  databases: Record<string, TestDatabase>;
  /** The first instance's process per service. */
  processes: Record<string, RunningProcess>;
  /** Every instance started, per service, in start order (stopped ones included). */
  instances: Record<string, ServiceInstance[]>;
  /** Starts one more instance of a service on its own port (same database, same consumer group). */
  startInstance(service: ServiceName, env?: Record<string, string>): Promise<ServiceInstance>;
  /** Starts a stopped or killed instance again on its port. */
  restartInstance(instance: ServiceInstance): Promise<void>;
  /** Plays the identity provider the services trust. */
  sign(user: AuthenticatedUser): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The distributed deployment on one machine: each service a process of its own on its own MariaDB database,
 * a real Kafka broker, a real S3 server, and a test identity provider. By default the broker and the S3
 * server are the test run's shared ones, with this platform's own topic prefix and bucket.
 */
export async function startDistributed(services: ServiceName[], options: DistributedOptions = {}): Promise<DistributedPlatform> {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idp-'));
  const issuer = new LocalIssuer({ dir: keyDir, issuer: 'enforcement-platform', audience: 'enforcement-platform' });
  await issuer.sign({ userId: 'warm-up', agencyId: '', roles: ['system-admin'] }, { ttlSeconds: 60 });
  const publicKey = fs.readFileSync(path.join(keyDir, 'public-key.pem'), 'utf8');
  const cleanups: Array<() => Promise<void>> = [async () => fs.rmSync(keyDir, { recursive: true, force: true })];
  const urls: Record<string, string> = {};
  const databases: Record<string, TestDatabase> = {};
  const processes: Record<string, RunningProcess> = {};
  const instances: Record<string, ServiceInstance[]> = {};
  const envs = new Map<ServiceInstance, Record<string, string>>();

  const stop = async () => {
    const all = Object.values(instances).flat();
    await Promise.allSettled(all.map((instance) => instance.process.stop()));
    await Promise.allSettled([...Object.values(databases).map((database) => database.drop()), ...cleanups.map((cleanup) => cleanup())]);
  };

  try {
    let kafka: DistributedPlatform['kafka'];
    let broker: KafkaBroker | undefined;
    if (options.ownBroker) {
      broker = await startKafkaBroker();
      cleanups.push(() => broker!.stop());
      await broker.createTopics(ALL_TOPICS, 3);
      kafka = { brokers: broker.brokers, topicPrefix: '' };
    } else {
      const shared = await useKafka();
      cleanups.push(() => shared.release());
      kafka = { brokers: shared.brokers, topicPrefix: shared.topicPrefix };
    }

    let s3: DistributedPlatform['s3'];
    let s3Server: S3Server | undefined;
    if (options.ownS3) {
      s3Server = await startS3Server({ objectLockBuckets: ['enforcement-evidence'] });
      cleanups.push(() => s3Server!.stop());
      s3 = {
        host: s3Server.host,
        port: s3Server.port,
        accessKey: s3Server.accessKey,
        secretKey: s3Server.secretKey,
        bucket: 'enforcement-evidence',
      };
    } else {
      const shared = await useS3({ objectLock: true });
      cleanups.push(() => shared.release());
      s3 = { host: shared.host, port: shared.port, accessKey: shared.accessKey, secretKey: shared.secretKey, bucket: shared.bucket };
    }

    const launch = async (service: ServiceName, port: number, env: Record<string, string>): Promise<RunningProcess> => {
      const running = startNodeProcess(['scripts/run-ts.js', `services/${service}/src/main.ts`], {
        HOST: '127.0.0.1',
        [`${service.toUpperCase().replace('-', '_')}_PORT`]: String(port),
        DATABASE_URL: options.databaseUrl ? options.databaseUrl(service, databases[service].url) : databases[service].url,
        KAFKA_BROKERS: kafka.brokers.join(','),
        KAFKA_TOPIC_PREFIX: kafka.topicPrefix,
        MINIO_ENDPOINT: s3.host,
        MINIO_PORT: String(s3.port),
        MINIO_ACCESS_KEY: s3.accessKey,
        MINIO_SECRET_KEY: s3.secretKey,
        MINIO_BUCKET: s3.bucket,
        MINIO_OBJECT_LOCK: 'true',
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), `distributed-${service}-`)),
        OUTBOX_POLL_INTERVAL_MS: '100',
        AUTH_PUBLIC_KEY: publicKey,
        FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
        LOG_LEVEL: 'warn',
        ...options.env,
        ...env,
      });
      await waitForHealthy(`http://127.0.0.1:${port}`, running);
      return running;
    };

    const startInstance = async (service: ServiceName, env: Record<string, string> = {}): Promise<ServiceInstance> => {
      const port = await freePort();
      const instance: ServiceInstance = { service, url: `http://127.0.0.1:${port}`, process: await launch(service, port, env) };
      envs.set(instance, env);
      (instances[service] ??= []).push(instance);
      return instance;
    };

    for (const service of services) databases[service] = await createTestDatabase(`e2e_${service.replace('-', '_')}`);
    // One at a time: the first start of each service runs its migrations.
    for (const service of services) {
      const instance = await startInstance(service);
      urls[service] = instance.url;
      processes[service] = instance.process;
    }

    return {
      kafka,
      s3,
      broker,
      s3Server,
      urls,
      databases,
      processes,
      instances,
      startInstance,
      restartInstance: async (instance) => {
        if (instance.process.running()) throw new Error(`${instance.url} is still running`);
        instance.process = await launch(instance.service, Number(new URL(instance.url).port), envs.get(instance) ?? {});
        if (processes[instance.service] && instances[instance.service]?.[0] === instance) processes[instance.service] = instance.process;
      },
      sign: (user) => issuer.sign(user, { ttlSeconds: 3600 }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
