import { fieldEncryptionSettingOf, fieldEncryptionVariables, requireSharedFieldKey } from '@enforcement/field-cipher';
import { defineServiceSettings, type ServiceConfig } from '@enforcement/service-runtime';
import { z } from 'zod';
import { loadRedactionRules, redactionRulesFileProblems } from './redaction-rules-file';

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
    REDACTION_RULES_FILE: z
      .string()
      .min(1)
      .optional()
      .describe('JSON file of redaction rules set over the defaults (health terms, address labels, mask, replacements, which kinds)'),
    PUBLIC_API_RATE_LIMIT: z.coerce.number().int().min(1).default(120).describe('Requests to the public API per client address and minute'),
  },
  refine: (own, common, ctx) => {
    requireSharedFieldKey(own, common.KAFKA_BROKERS, ctx);
    for (const problem of own.REDACTION_RULES_FILE ? redactionRulesFileProblems(own.REDACTION_RULES_FILE) : []) {
      ctx.addIssue({ code: 'custom', path: ['REDACTION_RULES_FILE'], message: problem });
    }
  },
  build: (own, { dataDir }) => ({
    fieldEncryption: fieldEncryptionSettingOf(own, dataDir, 'publicity-field-encryption.key'),
    redactionRules: loadRedactionRules(own.REDACTION_RULES_FILE),
    checkIntervalMs: own.DISCLOSURE_CHECK_INTERVAL_MS,
    publicRateLimit: own.PUBLIC_API_RATE_LIMIT,
  }),
});

export type PublicitySettings = ReturnType<typeof publicitySettings.build>;
export type PublicityConfig = ServiceConfig<PublicitySettings>;
