import { buildDataSourceOptions, type DatabaseOptions } from '@enforcement/persistence';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { ConfigError, type ServiceConfig } from './service-config';

export interface CommandDatabaseOptions {
  entities?: DatabaseOptions['entities'];
  /** The refusal when the service has no database here; a configuration error by default. */
  missing?: (message: string) => Error;
}

/**
 * A command run beside a service (key rotation, live verification) opens the service's own database from the same
 * configuration, but without migrations: it only reads or rewrites values, never the schema, and must not create an
 * empty SQLite file where a wrong DATA_DIR points. The connection is closed whatever `work` does.
 */
export async function withCommandDatabase<T>(
  config: Pick<ServiceConfig, 'service' | 'database'>,
  work: (dataSource: DataSource) => Promise<T>,
  options: CommandDatabaseOptions = {},
): Promise<T> {
  const { url, sqliteFile } = config.database;
  if (!url && !existsSync(sqliteFile)) {
    const message = `no ${config.service.name} database at ${sqliteFile} (set DATABASE_URL or DATA_DIR)`;
    throw options.missing ? options.missing(message) : new ConfigError([message]);
  }
  const dataSource = new DataSource(
    buildDataSourceOptions({ url, sqliteFile, poolSize: 2, entities: options.entities ?? [], migrations: [] }),
  );
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
