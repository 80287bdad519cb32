import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';

// TypeORM accepts classes, schemas and glob strings; we pass only classes.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityList = MixedList<Function | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationList = MixedList<Function>;

export interface DatabaseOptions {
  /** `mysql://user:pass@host:port/db`; absent means the embedded SQLite file. */
  url?: string;
  /** SQLite file used when no URL is given. */
  sqliteFile: string;
  entities: EntityList;
  migrations: MigrationList;
  /** Connection pool size for MySQL. */
  poolSize?: number;
  /**
   * MySQL: let batchedTransaction send a transaction's writes that need no answer with its next statement, as one
   * multi-statement query (default). Off for a proxy between the service and MariaDB that cannot take them.
   */
  batchStatements?: boolean;
  logging?: boolean;
}

export type DatabaseDialect = 'mysql' | 'sqlite';

export function dialectOf(dataSource: DataSource): DatabaseDialect {
  return dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

export function buildDataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  const common = {
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'schema_migrations',
    // Never derive the schema from entities: every change goes through a versioned migration.
    synchronize: false,
    migrationsRun: false,
    logging: options.logging ?? false,
  } as const;
  if (options.url) {
    const url = new URL(options.url);
    if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
      throw new Error(`DATABASE_URL must be a mysql:// URL, got ${url.protocol}`);
    }
    return {
      ...common,
      type: 'mysql',
      connectorPackage: 'mysql2',
      host: url.hostname,
      port: url.port ? Number(url.port) : 3306,
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.replace(/^\//, ''),
      ...socketOf(url),
      charset: 'utf8mb4_unicode_ci',
      // Store and read every timestamp as UTC, whatever the server's zone.
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      poolSize: options.poolSize ?? 10,
      // batchedTransaction sends a transaction's waiting writes with its next statement in one round trip. Every
      // value reaches SQL bound by the driver (TypeORM's parameters, EntityRows), never spliced into the text.
      multipleStatements: options.batchStatements ?? true,
      extra: { connectionLimit: options.poolSize ?? 10 },
    };
  }
  fs.mkdirSync(path.dirname(options.sqliteFile), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: options.sqliteFile,
    // WAL lets the relay read while a request writes; the busy timeout waits instead of failing.
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}

/**
 * `?socket=/run/mysqld/mysqld.sock`: a database on the same host, reached through its Unix socket (host and port
 * are then ignored). A local socket costs the service less CPU per statement than loopback TCP.
 */
function socketOf(url: URL): { socketPath?: string } {
  const socketPath = url.searchParams.get('socket');
  if (socketPath === null) return {};
  if (!path.isAbsolute(socketPath)) throw new Error(`DATABASE_URL's socket must be an absolute path, got '${socketPath}'`);
  return { socketPath };
}

/** How long a replica waits for another one's migrations before it gives up starting. */
export const MIGRATION_LOCK_WAIT_SECONDS = 600;

/** Opens the data source and brings the schema to the latest migration. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource(buildDataSourceOptions(options));
  await dataSource.initialize();
  try {
    await migrateUnderLock(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * Replicas of a service that start together migrate one after the other: MySQL applies schema changes outside
 * transactions, so two replicas running the same migration would collide halfway. The lock is MySQL's named lock
 * for the database (server-wide, released when its connection ends, so a replica killed mid-way frees it); the
 * next replica then finds nothing left to run. SQLite is one process's file and needs none.
 */
export async function migrateUnderLock(dataSource: DataSource, waitSeconds = MIGRATION_LOCK_WAIT_SECONDS): Promise<void> {
  if (dialectOf(dataSource) === 'sqlite') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ name }] = (await runner.query('SELECT DATABASE() AS name')) as Array<{ name: string }>;
    // Lock names are at most 64 characters; a database name is at most 64 too.
    const lock = `migrations:${name}`.slice(0, 64);
    const [{ held }] = (await runner.query('SELECT GET_LOCK(?, ?) AS held', [lock, waitSeconds])) as Array<{ held: number | null }>;
    if (Number(held) !== 1) {
      throw new Error(`database ${name}: another replica has been migrating it for ${waitSeconds} s; not starting`);
    }
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } finally {
    await runner.release();
  }
}
