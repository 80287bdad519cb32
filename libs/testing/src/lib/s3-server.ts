import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'minio';
import { freePort, spawnDaemon, waitUntilReady, type Daemon } from './infra/daemon';
import { versitygwBinary } from './infra/tools';

/**
 * A real S3 server for integration tests and local distributed runs: versitygw on its posix backend, with
 * bucket versioning and object lock available. It can be killed and started again on the same data and port.
 */
export interface S3Server {
  /** e.g. http://127.0.0.1:41235 */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
  /** The server's process id (changes with restart()). */
  pid(): number;
  /** Creates buckets that do not exist yet; with objectLock they accept retention and legal holds. */
  createBuckets(names: readonly string[], options?: { objectLock?: boolean }): Promise<void>;
  /** SIGKILL. */
  kill(): Promise<void>;
  /** Starts the server again on the same data and port; resolves when it answers. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data unless it was given a data directory. Idempotent. */
  stop(): Promise<void>;
}

export interface S3ServerOptions {
  /** Buckets that exist from the start. */
  buckets?: string[];
  /** Buckets with object lock (and so versioning) that exist from the start. */
  objectLockBuckets?: string[];
  port?: number;
  /** Where objects live; kept after stop(). Default: a temporary directory removed by stop(). */
  dataDir?: string;
  /** Credentials; default: fresh random ones. */
  accessKey?: string;
  secretKey?: string;
  /** Outlive this process, logging into this file (for `npm run infra`). */
  detachedLog?: string;
}

const HOST = '127.0.0.1';
const REGION = 'us-east-1';

export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const ownsData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 's3-')));
  const [root, versions, iam] = ['objects', 'versions', 'iam'].map((name) => path.join(dataDir, name));
  const port = options.port ?? (await freePort());
  const accessKey = options.accessKey ?? `test${randomBytes(6).toString('hex')}`;
  const secretKey = options.secretKey ?? randomBytes(24).toString('base64url');
  const endpoint = `http://${HOST}:${port}`;
  const client = new Client({ endPoint: HOST, port, useSSL: false, accessKey, secretKey, region: REGION });

  let daemon: Daemon | undefined;
  const launch = async (): Promise<void> => {
    const binary = await versitygwBinary();
    await Promise.all([root, versions, iam].map((dir) => mkdir(dir, { recursive: true })));
    daemon = spawnDaemon(
      binary,
      ['--port', `${HOST}:${port}`, '--iam-dir', iam, '--region', REGION, '--quiet', 'posix', '--versioning-dir', versions, root],
      { name: 'versitygw', env: { ROOT_ACCESS_KEY: accessKey, ROOT_SECRET_KEY: secretKey }, detachedLog: options.detachedLog },
    );
    const started = daemon;
    await waitUntilReady(
      { name: `S3 server on ${endpoint}`, running: started.running, output: started.output },
      async () => (await client.listBuckets(), true),
      30_000,
    );
  };

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await daemon?.stop(5_000);
    if (ownsData) await rm(dataDir, { recursive: true, force: true });
  };

  const createBuckets = async (names: readonly string[], bucketOptions: { objectLock?: boolean } = {}): Promise<void> => {
    for (const name of names) {
      if (await client.bucketExists(name)) continue;
      await client.makeBucket(name, REGION, { ObjectLocking: bucketOptions.objectLock ?? false }).catch(async (error: unknown) => {
        // A parallel suite may have made it in between.
        if (!(await client.bucketExists(name))) throw error;
      });
    }
  };

  try {
    await launch();
    await createBuckets(options.buckets ?? []);
    await createBuckets(options.objectLockBuckets ?? [], { objectLock: true });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    endpoint,
    host: HOST,
    port,
    accessKey,
    secretKey,
    region: REGION,
    pid: () => daemon?.pid ?? -1,
    createBuckets,
    kill: async () => {
      await daemon?.kill();
    },
    restart: async () => {
      if (daemon?.running()) throw new Error('restart(): the S3 server is still running; kill() or stop() it first');
      await launch();
    },
    stop: () => (stopped ??= stop()),
  };
}
