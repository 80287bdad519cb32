import {
  FieldCipher,
  rotateFieldKey,
  type EncryptedTable,
  type RotationOptions,
  type TableRotationReport,
} from '@enforcement/field-cipher';
import { buildDataSourceOptions } from '@enforcement/persistence';
import { ConfigError, loadServiceConfig } from '@enforcement/service-runtime';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { publicitySettings } from '../config/publicity-settings';

/** A decision's original text before redaction, with the context DisclosuresService seals it with. */
export const DISCLOSURE_ORIGINALS: EncryptedTable = {
  table: 'disclosures',
  primaryKey: 'id',
  columns: [{ column: 'original', context: (id) => `disclosures.original:${id}` }],
};

/** Every encrypted column of the publicity service. */
export const PUBLICITY_ENCRYPTED_TABLES = [DISCLOSURE_ORIGINALS] as const;

/**
 * `npm run rotate-field-key -- --service publicity`: moves the decisions' sealed originals to the current key, on
 * the service's own database, configured from the environment exactly as the service is.
 */
export async function rotatePublicityFieldKey(
  env: Record<string, string | undefined>,
  options: RotationOptions = {},
): Promise<{ reports: TableRotationReport[]; cipher: FieldCipher }> {
  const config = loadServiceConfig(publicitySettings, env);
  if (!config.database.url && !existsSync(config.database.sqliteFile)) {
    throw new ConfigError([`no publicity database at ${config.database.sqliteFile} (set DATABASE_URL or DATA_DIR)`]);
  }
  const cipher = await FieldCipher.fromConfig(config.settings.fieldEncryption);
  // Without entities or migrations: the command changes values, never the schema.
  const dataSource = new DataSource(
    buildDataSourceOptions({ url: config.database.url, sqliteFile: config.database.sqliteFile, poolSize: 2, entities: [], migrations: [] }),
  );
  await dataSource.initialize();
  try {
    return { reports: await rotateFieldKey(dataSource, cipher, PUBLICITY_ENCRYPTED_TABLES, options), cipher };
  } finally {
    await dataSource.destroy();
  }
}
