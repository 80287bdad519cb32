import { FIELD_KEY_TEXT, parseFieldKeyList, type FieldEncryptionSetting } from '@enforcement/field-cipher';
import { bool, defineServiceSettings, positiveInt, type ServiceConfig } from '@enforcement/service-runtime';
import * as path from 'node:path';
import { z } from 'zod';

/** Embedded mode's key file for the certificates service: its own, beside recording's `field-encryption.key`. */
export const CERTIFICATES_KEY_FILE = 'certificates-field-encryption.key';

/** What only the certificates service reads, validated at its boot besides the common settings. */
export const certificatesSettings = defineServiceSettings({
  name: 'certificates',
  portVariable: 'CERTIFICATES_PORT',
  defaultPort: 3001,
  shape: {
    PUBLIC_BASE_URL: z
      .string()
      .url()
      .default('http://localhost:3001')
      .describe('Public address of the certificates service, printed in certificate QR codes'),
    CERTIFICATE_EXPIRY_CHECK_INTERVAL_MS: positiveInt
      .default(60_000)
      .describe('How often the certificates service expires certificates past their last valid day'),
    PUBLIC_VERIFY_RATE_LIMIT: positiveInt.default(30).describe('Public certificate look-ups allowed per client address and minute'),
    SEED_DEMO_DATA: bool.default(false).describe('Create a demo agency, officers and certificates on first start'),
    FIELD_ENCRYPTION_KEY: z
      .string()
      .regex(FIELD_KEY_TEXT, 'must be 32 bytes, base64')
      .optional()
      .describe("Base64 AES-256 key for officers' ID numbers at rest (sensitive); unset: a key file under DATA_DIR/keys"),
    FIELD_ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .optional()
      .refine(
        (text) => parseFieldKeyList(text).every((key) => FIELD_KEY_TEXT.test(key)),
        'each key must be 32 bytes, base64, comma-separated',
      )
      .describe('During a key rotation: the keys that were current before, comma-separated (sensitive); they decrypt, never encrypt'),
  },
  refine: (own, common, ctx) => {
    // Replicas on Kafka must share one key; a generated key file is for a single embedded process.
    if (common.KAFKA_BROKERS && !own.FIELD_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['FIELD_ENCRYPTION_KEY'],
        message: 'required with KAFKA_BROKERS (a key file is for embedded mode)',
      });
    }
  },
  build: (own, { dataDir }) => {
    const previousKeys = parseFieldKeyList(own.FIELD_ENCRYPTION_PREVIOUS_KEYS);
    const fieldEncryption: FieldEncryptionSetting = own.FIELD_ENCRYPTION_KEY
      ? { key: own.FIELD_ENCRYPTION_KEY, previousKeys }
      : { keyFile: path.join(dataDir, 'keys', CERTIFICATES_KEY_FILE), previousKeys };
    return {
      publicBaseUrl: own.PUBLIC_BASE_URL.replace(/\/$/, ''),
      expiryCheckIntervalMs: own.CERTIFICATE_EXPIRY_CHECK_INTERVAL_MS,
      publicVerifyRateLimit: own.PUBLIC_VERIFY_RATE_LIMIT,
      seedDemoData: own.SEED_DEMO_DATA,
      fieldEncryption,
    };
  },
});

export type CertificatesSettings = ReturnType<typeof certificatesSettings.build>;
export type CertificatesConfig = ServiceConfig<CertificatesSettings>;
