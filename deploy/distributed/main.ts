// `npm run start:distributed`: the four services as separate processes on the infrastructure that
// `npm run infra` keeps on this machine (MariaDB, Kafka, the S3 server), as they run in production.
// The local token issuer under DATA_DIR/auth plays the identity provider, so `npm run token` works as in
// embedded mode. Ctrl-C stops the services (SIGTERM: each one finishes what it is doing).
import { LOCAL_ISSUER_FILES, LocalIssuer } from '@enforcement/auth';
import { runningInfra } from '@enforcement/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { createConnection } from 'mysql2/promise';

const SERVICES = [
  { name: 'certificates', port: 3001 },
  { name: 'recording', port: 3002 },
  { name: 'legal-review', port: 3003 },
  { name: 'publicity', port: 3004 },
] as const;

const root = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  const infra = await runningInfra();
  if (!infra) throw new Error('the infrastructure is not running: start it with `npm run infra`');
  const dataDir = path.resolve(process.env['DATA_DIR'] ?? path.join(root, 'data-distributed'));
  const authDir = path.join(dataDir, 'auth');
  const issuer = { dir: authDir, issuer: 'enforcement-platform', audience: 'enforcement-platform' };
  // Signing once creates the key pair the services are told to trust.
  await new LocalIssuer(issuer).sign({ userId: 'bootstrap', agencyId: '', roles: ['system-admin'] }, { ttlSeconds: 60 });
  const publicKey = fs.readFileSync(path.join(authDir, LOCAL_ISSUER_FILES.publicKey), 'utf8');
  // Each service that encrypts fields at rest has a key of its own (docs/operations.md).
  const fieldKeys: Partial<Record<string, string>> = {
    recording: persistentKey(path.join(dataDir, 'keys', 'field-encryption.key')),
    certificates: persistentKey(path.join(dataDir, 'keys', 'certificates-field-encryption.key')),
    publicity: persistentKey(path.join(dataDir, 'keys', 'publicity-field-encryption.key')),
  };

  const connection = await createConnection(infra.mariadb.url);
  for (const { name } of SERVICES) {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database(name)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }
  await connection.end();

  const children: ChildProcess[] = [];
  for (const { name, port } of SERVICES) {
    const child = spawn(process.execPath, ['scripts/run-ts.js', `services/${name}/src/main.ts`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        [`${name.toUpperCase().replace('-', '_')}_PORT`]: String(port),
        DATA_DIR: path.join(dataDir, name),
        DATABASE_URL: `${infra.mariadb.url}/${database(name)}`,
        KAFKA_BROKERS: infra.kafka.brokers.join(','),
        MINIO_ENDPOINT: infra.s3.host,
        MINIO_PORT: String(infra.s3.port),
        MINIO_ACCESS_KEY: infra.s3.accessKey,
        MINIO_SECRET_KEY: infra.s3.secretKey,
        MINIO_BUCKET: infra.s3.bucket,
        MINIO_OBJECT_LOCK: 'true',
        AUTH_PUBLIC_KEY: publicKey,
        ...(fieldKeys[name] ? { FIELD_ENCRYPTION_KEY: fieldKeys[name] } : {}),
        SEED_DEMO_DATA: process.env['SEED_DEMO_DATA'] ?? 'true',
      },
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
    }
    child.once('exit', (code, signal) => console.log(`[${name}] exited (${signal ?? `code ${code}`})`));
    children.push(child);
  }
  console.log(
    `services starting on ports ${SERVICES.map((s) => `${s.name} ${s.port}`).join(', ')}; ` +
      `tokens: DATA_DIR=${dataDir} npm run -s token -- admin`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
}

function database(service: string): string {
  return `enforcement_${service.replace('-', '_')}`;
}

/** The field-encryption key of this local deployment, made once and kept beside its data. */
function persistentKey(file: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

main().catch((error: unknown) => {
  console.error(`start:distributed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
