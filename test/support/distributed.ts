import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import { ALL_TOPICS } from '@enforcement/contracts';
import {
  createTestDatabase,
  startKafkaMock,
  startS3Server,
  type KafkaMock,
  type S3Server,
  type TestDatabase,
} from '@enforcement/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startNodeProcess, waitForHealthy, type RunningProcess } from './processes';

export interface DistributedPlatform {
  kafka: KafkaMock;
  s3: S3Server;
  urls: Record<string, string>;
  databases: Record<string, TestDatabase>;
  processes: Record<string, RunningProcess>;
  /** Plays the identity provider the services trust. */
  sign(user: AuthenticatedUser): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Services as separate processes on their own MariaDB databases, the Kafka-protocol mock, an S3 server
 * for objects and a test identity provider: the distributed deployment on one machine.
 */
export async function startDistributed(services: string[], extraEnv: Record<string, string> = {}): Promise<DistributedPlatform> {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idp-'));
  const issuer = new LocalIssuer({ dir: keyDir, issuer: 'enforcement-platform', audience: 'enforcement-platform' });
  await issuer.sign({ userId: 'warm-up', agencyId: '', roles: ['system-admin'] }, { ttlSeconds: 60 });
  const publicKey = fs.readFileSync(path.join(keyDir, 'public-key.pem'), 'utf8');
  const kafka = await startKafkaMock({ topics: ALL_TOPICS.map((name) => ({ name, partitions: 3 })) });
  const s3 = await startS3Server({ buckets: ['enforcement-evidence'] });
  const urls: Record<string, string> = {};
  const databases: Record<string, TestDatabase> = {};
  const processes: Record<string, RunningProcess> = {};
  const stop = async () => {
    await Promise.allSettled(Object.values(processes).map((running) => running.stop()));
    await Promise.allSettled([...Object.values(databases).map((database) => database.drop()), kafka.stop(), s3.stop()]);
    fs.rmSync(keyDir, { recursive: true, force: true });
  };
  try {
    for (const service of services) {
      databases[service] = await createTestDatabase(`e2e_${service.replace('-', '_')}`);
      const port = await freePort();
      urls[service] = `http://127.0.0.1:${port}`;
      processes[service] = startNodeProcess(['scripts/run-ts.js', `services/${service}/src/main.ts`], {
        HOST: '127.0.0.1',
        [`${service.toUpperCase().replace('-', '_')}_PORT`]: String(port),
        DATABASE_URL: databases[service].url,
        KAFKA_BROKERS: kafka.brokers.join(','),
        MINIO_ENDPOINT: s3.host,
        MINIO_PORT: String(s3.port),
        MINIO_ACCESS_KEY: s3.accessKey,
        MINIO_SECRET_KEY: s3.secretKey,
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), `distributed-${service}-`)),
        OUTBOX_POLL_INTERVAL_MS: '100',
        AUTH_PUBLIC_KEY: publicKey,
        FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
        LOG_LEVEL: 'warn',
        ...extraEnv,
      });
    }
    for (const service of services) await waitForHealthy(urls[service], processes[service]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { kafka, s3, urls, databases, processes, sign: (user) => issuer.sign(user, { ttlSeconds: 3600 }), stop };
}
