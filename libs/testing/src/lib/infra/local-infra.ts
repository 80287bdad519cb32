import { ALL_TOPICS } from '@enforcement/contracts';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { startKafkaBroker } from '../kafka-broker';
import { startS3Server } from '../s3-server';
import { portAnswers } from './daemon';
import { repoRoot, writeFileAtomic } from './tools';

/**
 * The infrastructure of a distributed run on this machine, as `npm run infra` brings it up: MariaDB (the
 * system's), a Kafka broker and an S3 server as detached processes, their addresses kept in a state file
 * that `--stop`, the test runner and the test helpers read.
 */
export interface InfraState {
  kafka: { brokers: string[]; port: number; controllerPort: number; pid: number; dataDir: string };
  s3: {
    endpoint: string;
    host: string;
    port: number;
    pid: number;
    accessKey: string;
    secretKey: string;
    region: string;
    bucket: string;
    dataDir: string;
  };
  mariadb: { url: string; startedHere: boolean };
}

export interface InfraOptions {
  kafkaPort?: number;
  kafkaControllerPort?: number;
  s3Port?: number;
  /** Wipe the broker's and the S3 server's data before starting them. */
  fresh?: boolean;
  log?: (line: string) => void;
}

/** Local development credentials of the S3 server; it listens on loopback only. */
const S3_ACCESS_KEY = 'enforcement';
const S3_SECRET_KEY = 'enforcement-local-secret';
const EVIDENCE_BUCKET = 'enforcement-evidence';
const MARIADB_URL = 'mysql://root@127.0.0.1:3306';

export function infraDir(): string {
  return path.join(repoRoot(), 'tmp', 'infra');
}

function stateFile(): string {
  return path.join(infraDir(), 'state.json');
}

export function readInfraState(): InfraState | undefined {
  if (!existsSync(stateFile())) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile(), 'utf8')) as InfraState;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The state of infrastructure that is up and answering, or undefined. */
export async function runningInfra(): Promise<InfraState | undefined> {
  const state = readInfraState();
  if (!state) return undefined;
  const up = alive(state.kafka.pid) && alive(state.s3.pid) && (await portAnswers(state.kafka.port)) && (await portAnswers(state.s3.port));
  return up ? state : undefined;
}

export async function startInfra(options: InfraOptions = {}): Promise<{ state: InfraState; started: boolean }> {
  const log = options.log ?? (() => undefined);
  const running = await runningInfra();
  if (running) return { state: running, started: false };
  await stopInfra({ keepMariadb: true });

  const startedMariadb = ensureMariadb(log);
  const kafkaPort = options.kafkaPort ?? 9092;
  const kafkaControllerPort = options.kafkaControllerPort ?? 9093;
  const s3Port = options.s3Port ?? 9000;
  for (const [name, port] of [
    ['Kafka', kafkaPort],
    ['Kafka controller', kafkaControllerPort],
    ['S3', s3Port],
  ] as const) {
    if (await portAnswers(port))
      throw new Error(`port ${port} for ${name} is taken by another program; choose another (see npm run infra -- --help)`);
  }
  const kafkaDir = path.join(infraDir(), 'kafka');
  const s3Dir = path.join(infraDir(), 's3');
  if (options.fresh) await Promise.all([kafkaDir, s3Dir].map((dir) => rm(dir, { recursive: true, force: true })));
  await Promise.all([kafkaDir, s3Dir].map((dir) => mkdir(dir, { recursive: true })));

  log(`starting Kafka on 127.0.0.1:${kafkaPort} (data in ${kafkaDir})`);
  const kafka = await startKafkaBroker({
    port: kafkaPort,
    controllerPort: kafkaControllerPort,
    dataDir: kafkaDir,
    detachedLog: path.join(infraDir(), 'kafka.log'),
  });
  await kafka.createTopics(ALL_TOPICS, 6);
  log(`starting the S3 server on 127.0.0.1:${s3Port} (data in ${s3Dir})`);
  const s3 = await startS3Server({
    port: s3Port,
    dataDir: s3Dir,
    accessKey: S3_ACCESS_KEY,
    secretKey: S3_SECRET_KEY,
    objectLockBuckets: [EVIDENCE_BUCKET],
    detachedLog: path.join(infraDir(), 's3.log'),
  });
  const state: InfraState = {
    kafka: { brokers: kafka.brokers, port: kafkaPort, controllerPort: kafkaControllerPort, pid: kafka.pid(), dataDir: kafkaDir },
    s3: {
      endpoint: s3.endpoint,
      host: s3.host,
      port: s3.port,
      pid: s3.pid(),
      accessKey: S3_ACCESS_KEY,
      secretKey: S3_SECRET_KEY,
      region: s3.region,
      bucket: EVIDENCE_BUCKET,
      dataDir: s3Dir,
    },
    mariadb: { url: MARIADB_URL, startedHere: startedMariadb },
  };
  await writeFileAtomic(stateFile(), `${JSON.stringify(state, null, 2)}\n`);
  return { state, started: true };
}

export async function stopInfra(options: { keepMariadb?: boolean } = {}): Promise<string[]> {
  const state = readInfraState();
  if (!state) return [];
  const stopped: string[] = [];
  for (const [name, pid] of [
    ['Kafka', state.kafka.pid],
    ['S3 server', state.s3.pid],
  ] as const) {
    if (pid > 0 && alive(pid)) {
      await terminate(pid);
      stopped.push(name);
    }
  }
  if (!options.keepMariadb && state.mariadb.startedHere) {
    spawnSync('mariadb-admin', ['--protocol=tcp', '-h', '127.0.0.1', '-u', 'root', 'shutdown'], { stdio: 'ignore' });
    stopped.push('MariaDB');
  }
  await rm(stateFile(), { force: true });
  return stopped;
}

async function terminate(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

const mariadbAnswers = (): boolean =>
  spawnSync('mariadb-admin', ['--protocol=tcp', '-h', '127.0.0.1', '-u', 'root', 'ping'], { stdio: 'ignore' }).status === 0;

/**
 * MariaDB from Debian's packages, installed and started when missing, with root reachable over TCP without a
 * password (Debian's default is socket authentication only). Returns whether it was started here.
 */
function ensureMariadb(log: (line: string) => void): boolean {
  if (mariadbAnswers()) return false;
  const sh = (script: string, what: string): void => {
    const result = spawnSync('bash', ['-c', script], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}); MariaDB is needed on 127.0.0.1:3306`);
  };
  if (!existsSync('/usr/sbin/mariadbd')) {
    log('installing MariaDB (apt-get)');
    sh(
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null',
      'installing mariadb-server',
    );
  }
  // Running already (reachable through its socket) but refusing root over TCP: only the login needs fixing.
  const runningBefore = spawnSync('mariadb-admin', ['ping'], { stdio: 'ignore' }).status === 0;
  if (!runningBefore) log('starting MariaDB');
  // A 2 GiB buffer pool and a 1 GiB redo log: publicity's search bench loads and reads a term index of about 11 GB
  // (a million decisions), which the defaults (128 MiB, 96 MiB) turn into page flushing at every checkpoint.
  const server = '/usr/sbin/mariadbd -- --user=root --innodb-buffer-pool-size=2G --innodb-log-file-size=1G';
  sh(
    `${runningBefore ? '' : `start-stop-daemon --start --oknodo --background --exec ${server}`}
     for _ in $(seq 1 60); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 0.5; done
     mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"`,
    'starting MariaDB',
  );
  if (!mariadbAnswers()) throw new Error('MariaDB did not answer on 127.0.0.1:3306 after starting');
  return !runningBefore;
}
