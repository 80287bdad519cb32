import {
  FieldCipher,
  rotateFieldKey,
  type EncryptedTable,
  type RotationOptions,
  type TableRotationReport,
} from '@enforcement/field-cipher';
import { loadServiceConfig, withCommandDatabase } from '@enforcement/service-runtime';
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
  const cipher = await FieldCipher.fromConfig(config.settings.fieldEncryption);
  return withCommandDatabase(config, async (dataSource) => ({
    reports: await rotateFieldKey(dataSource, cipher, PUBLICITY_ENCRYPTED_TABLES, options),
    cipher,
  }));
}
