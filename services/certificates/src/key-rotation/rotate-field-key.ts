import { FieldCipher, rotateFieldKey, type RotationOptions, type TableRotationReport } from '@enforcement/field-cipher';
import { loadServiceConfig, withCommandDatabase } from '@enforcement/service-runtime';
import { certificatesSettings } from '../config/certificates-settings';
import { OFFICER_ID_NUMBERS } from '../officers/officer-id-number';

/** Every encrypted column of the certificates service. */
export const CERTIFICATES_ENCRYPTED_TABLES = [OFFICER_ID_NUMBERS] as const;

/**
 * `npm run rotate-field-key -- --service certificates`: moves officers' ID numbers and their blind indexes to
 * the current key, on the service's own database, configured from the environment exactly as the service is
 * (FIELD_ENCRYPTION_KEY, FIELD_ENCRYPTION_PREVIOUS_KEYS, DATABASE_URL or DATA_DIR). The service keeps running
 * meanwhile; it must have started once with the new settings (its migrations create the columns).
 */
export async function rotateCertificatesFieldKey(
  env: Record<string, string | undefined>,
  options: RotationOptions = {},
): Promise<{ reports: TableRotationReport[]; cipher: FieldCipher }> {
  const config = loadServiceConfig(certificatesSettings, env);
  const cipher = await FieldCipher.fromConfig(config.settings.fieldEncryption);
  return withCommandDatabase(config, async (dataSource) => ({
    reports: await rotateFieldKey(dataSource, cipher, CERTIFICATES_ENCRYPTED_TABLES, options),
    cipher,
  }));
}
