import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';

/** A throw-away database on the shared test MariaDB server, one per suite, so suites can run in parallel. */
export interface TestDatabase {
  /** Database (schema) name, e.g. 'certificates_repo_3f9a1c2e'. */
  name: string;
  /** Connection URL including the database, e.g. mysql://root:@127.0.0.1:3306/certificates_repo_3f9a1c2e */
  url: string;
  /** Drops the database. Safe to call more than once. */
  drop(): Promise<void>;
}

const DEFAULT_SERVER_URL = 'mysql://root@127.0.0.1:3306';
const CONNECT_TIMEOUT_MS = 5_000;
// MariaDB's identifier limit is 64; the suffix takes '_' + 8 hex characters.
const MAX_PREFIX_LENGTH = 64 - 9;

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const server = parseServerUrl(process.env['TEST_MARIADB_URL'] ?? DEFAULT_SERVER_URL);
  const name = `${sanitizePrefix(prefix)}_${randomBytes(4).toString('hex')}`;

  await withConnection(server, (connection) =>
    connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`),
  );

  return {
    name,
    url: `mysql://${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${name}`,
    drop: async () => {
      await withConnection(server, (connection) => connection.query(`DROP DATABASE IF EXISTS \`${name}\``));
    },
  };
}

interface ServerAddress {
  host: string;
  port: number;
  user: string;
  password: string;
}

function parseServerUrl(raw: string): ServerAddress {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new Error(`TEST_MARIADB_URL is not a valid URL: '${raw}'`, { cause: error });
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new Error(`TEST_MARIADB_URL must be a mysql:// URL, got '${redact(url)}'`);
  }
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
  };
}

/** Lower-case [a-z0-9_] only, so the name needs no quoting in URLs, shells or ORMs' config parsers. */
function sanitizePrefix(prefix: string): string {
  const cleaned = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, MAX_PREFIX_LENGTH)
    .replace(/_$/, '');
  return cleaned || 'test';
}

async function withConnection<T>(server: ServerAddress, work: (connection: Connection) => Promise<T>): Promise<T> {
  const where = `${server.user}@${server.host}:${server.port}`;
  let connection: Connection;
  try {
    connection = await createConnection({ ...server, connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `MariaDB is not reachable as ${where} (${reason}). Integration tests need a running MariaDB; ` +
        `start it or point TEST_MARIADB_URL at one (e.g. mysql://root@127.0.0.1:3306).`,
      { cause: error },
    );
  }
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
