import { buildDataSourceOptions } from './data-source.factory';
import { isDatabaseUnavailableError, isTransientDatabaseError } from './transient-errors';

describe(buildDataSourceOptions.name, () => {
  /** The data source options for a service database at `url`; `extra` as the service's config adds them. */
  const optionsFor = (url: string, extra: { batchStatements?: boolean } = {}) =>
    buildDataSourceOptions({ url, sqliteFile: '/unused', entities: [], migrations: [], ...extra });

  it('uses mysql2 with UTC and utf8mb4 for a mysql:// URL, decoding credentials', () => {
    const sut = optionsFor('mysql://app%40x:p%2Fw@db.internal:3307/recording');

    expect(sut).toMatchObject({
      type: 'mysql',
      connectorPackage: 'mysql2',
      host: 'db.internal',
      port: 3307,
      username: 'app@x',
      password: 'p/w',
      database: 'recording',
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      synchronize: false,
      migrationsTableName: 'schema_migrations',
      multipleStatements: true,
    });
  });

  it('opens the pool for single statements only when batching is turned off', () => {
    const sut = optionsFor('mysql://u@db/recording', { batchStatements: false });
    expect(sut).toMatchObject({ type: 'mysql', multipleStatements: false });
  });

  it('reaches a database on the same host through the Unix socket a ?socket= names', () => {
    const sut = optionsFor('mysql://u@localhost/recording?socket=%2Frun%2Fmysqld%2Fmysqld.sock');
    expect(sut).toMatchObject({ type: 'mysql', socketPath: '/run/mysqld/mysqld.sock', database: 'recording' });
    const tcp = optionsFor('mysql://u@db/recording');
    expect(tcp).not.toHaveProperty('socketPath');
  });

  it('refuses a socket that is not an absolute path', () => {
    expect(() => optionsFor('mysql://u@localhost/recording?socket=mysqld.sock')).toThrow(/absolute path/);
  });

  it('uses a better-sqlite3 file when no URL is given, never synchronising', () => {
    const sut = buildDataSourceOptions({ sqliteFile: '/tmp/x/certificates.sqlite', entities: [], migrations: [] });
    expect(sut).toMatchObject({ type: 'better-sqlite3', database: '/tmp/x/certificates.sqlite', synchronize: false });
  });

  it('refuses a URL of another database kind', () => {
    expect(() => optionsFor('postgres://h/db')).toThrow(/mysql:\/\//);
  });
});

describe(isTransientDatabaseError.name, () => {
  it('treats lost connections, deadlocks and a busy SQLite as transient, also when wrapped', () => {
    expect(isTransientDatabaseError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientDatabaseError({ driverError: { code: 'ER_LOCK_DEADLOCK' } })).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isTransientDatabaseError(new Error('Connection lost: The server closed the connection.'))).toBe(true);
  });

  it('treats constraint violations and programming errors as permanent', () => {
    expect(isTransientDatabaseError(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' }))).toBe(false);
    expect(isTransientDatabaseError(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientDatabaseError(undefined)).toBe(false);
  });
});

describe(isDatabaseUnavailableError.name, () => {
  it('recognises a database that cannot be reached, also when TypeORM wraps the driver error', () => {
    expect(isDatabaseUnavailableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isDatabaseUnavailableError({ driverError: { code: 'PROTOCOL_CONNECTION_LOST' } })).toBe(true);
    expect(isDatabaseUnavailableError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
  });

  it('leaves lock conflicts and constraint violations to the caller', () => {
    expect(isDatabaseUnavailableError({ driverError: { code: 'ER_LOCK_DEADLOCK' } })).toBe(false);
    expect(isDatabaseUnavailableError(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' }))).toBe(false);
    expect(isDatabaseUnavailableError(new TypeError('x is undefined'))).toBe(false);
  });
});
