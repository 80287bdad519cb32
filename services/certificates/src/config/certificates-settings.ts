import { fieldEncryptionSettingOf, fieldEncryptionVariables, requireSharedFieldKey } from '@enforcement/field-cipher';
import { bool, defineServiceSettings, positiveInt, type ServiceConfig } from '@enforcement/service-runtime';
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
    ...fieldEncryptionVariables("officers' ID numbers"),
  },
  refine: (own, common, ctx) => requireSharedFieldKey(own, common.KAFKA_BROKERS, ctx),
  build: (own, { dataDir }) => {
    const fieldEncryption = fieldEncryptionSettingOf(own, dataDir, CERTIFICATES_KEY_FILE);
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
