import * as path from 'node:path';
import { z, type RefinementCtx } from 'zod';
import type { FieldEncryptionSetting } from './field-cipher';
import { FIELD_KEY_TEXT, parseFieldKeyList } from './field-key-file';

/**
 * The settings of a service that encrypts fields at rest, the same in each such service (recording: parties'
 * data; certificates: officers' ID numbers); each service validates its own at its boot.
 */
export function fieldEncryptionVariables(what: string) {
  return {
    FIELD_ENCRYPTION_KEY: z
      .string()
      .regex(FIELD_KEY_TEXT, 'must be 32 bytes, base64')
      .optional()
      .describe(`Base64 AES-256 key for ${what} at rest (sensitive); unset: a key file under DATA_DIR/keys`),
    FIELD_ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .optional()
      .refine(
        (text) => parseFieldKeyList(text).every((key) => FIELD_KEY_TEXT.test(key)),
        'each key must be 32 bytes, base64, comma-separated',
      )
      .describe('During a key rotation: the keys that were current before, comma-separated (sensitive); they decrypt, never encrypt'),
  };
}

interface FieldEncryptionVariables {
  FIELD_ENCRYPTION_KEY?: string;
  FIELD_ENCRYPTION_PREVIOUS_KEYS?: string;
}

/** Replicas on Kafka must share one key; a generated key file is for a single embedded process. */
export function requireSharedFieldKey(own: FieldEncryptionVariables, kafkaBrokers: string | undefined, ctx: RefinementCtx): void {
  if (kafkaBrokers && !own.FIELD_ENCRYPTION_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['FIELD_ENCRYPTION_KEY'],
      message: 'required with KAFKA_BROKERS (a key file is for embedded mode)',
    });
  }
}

/** The configured key, or the service's key file under `DATA_DIR/keys`, with the previous keys of a rotation. */
export function fieldEncryptionSettingOf(own: FieldEncryptionVariables, dataDir: string, keyFileName: string): FieldEncryptionSetting {
  const previousKeys = parseFieldKeyList(own.FIELD_ENCRYPTION_PREVIOUS_KEYS);
  return own.FIELD_ENCRYPTION_KEY
    ? { key: own.FIELD_ENCRYPTION_KEY, previousKeys }
    : { keyFile: path.join(dataDir, 'keys', keyFileName), previousKeys };
}
