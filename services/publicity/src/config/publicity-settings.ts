import { fieldEncryptionSettingOf, fieldEncryptionVariables, requireSharedFieldKey } from '@enforcement/field-cipher';
import { defineServiceSettings, type ServiceConfig } from '@enforcement/service-runtime';
import { z } from 'zod';

/** What only the publicity service reads, validated at its boot besides the common settings. */
export const publicitySettings = defineServiceSettings({
  name: 'publicity',
  portVariable: 'PUBLICITY_PORT',
  defaultPort: 3004,
  shape: {
    ...fieldEncryptionVariables("decisions' original text before redaction"),
    DISCLOSURE_CHECK_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(60_000)
      .describe(
        'How often decisions past their publication deadline are announced (DisclosureOverdue) and expired ones leave the portal; 0: never',
      ),
    PUBLIC_API_RATE_LIMIT: z.coerce.number().int().min(1).default(120).describe('Requests to the public API per client address and minute'),
  },
  refine: (own, common, ctx) => requireSharedFieldKey(own, common.KAFKA_BROKERS, ctx),
  build: (own, { dataDir }) => ({
    fieldEncryption: fieldEncryptionSettingOf(own, dataDir, 'publicity-field-encryption.key'),
    checkIntervalMs: own.DISCLOSURE_CHECK_INTERVAL_MS,
    publicRateLimit: own.PUBLIC_API_RATE_LIMIT,
  }),
});

export type PublicitySettings = ReturnType<typeof publicitySettings.build>;
export type PublicityConfig = ServiceConfig<PublicitySettings>;
