import { FIELD_KEY_TEXT, parseFieldKeyList, type FieldEncryptionSetting } from '@enforcement/field-cipher';
import { defineServiceSettings, positiveInt, type ServiceConfig } from '@enforcement/service-runtime';
import * as path from 'node:path';
import { z } from 'zod';

export type { FieldEncryptionSetting };

/** What only the recording service reads, validated at its boot besides the common settings. */
export const recordingSettings = defineServiceSettings({
  name: 'recording',
  portVariable: 'RECORDING_PORT',
  defaultPort: 3002,
  shape: {
    FIELD_ENCRYPTION_KEY: z
      .string()
      .regex(FIELD_KEY_TEXT, 'must be 32 bytes, base64')
      .optional()
      .describe('Base64 AES-256 key for sensitive fields at rest (sensitive); unset: a key file under DATA_DIR/keys'),
    FIELD_ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .optional()
      .refine(
        (text) => parseFieldKeyList(text).every((key) => FIELD_KEY_TEXT.test(key)),
        'each key must be 32 bytes, base64, comma-separated',
      )
      .describe('During a key rotation: the keys that were current before, comma-separated (sensitive); they decrypt, never encrypt'),
    EVIDENCE_MAX_OPEN_UPLOADS_PER_CASE: positiveInt.default(50).describe('Evidence uploads open at once in one case'),
    EVIDENCE_MAX_OPEN_UPLOADS_PER_OFFICER: positiveInt.default(20).describe('Evidence uploads open at once by one officer'),
    EVIDENCE_MAX_OPEN_BYTES_PER_OFFICER: positiveInt
      .default(64 * 1024 ** 3)
      .describe("Bytes declared by one officer's open evidence uploads together"),
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
      : { keyFile: path.join(dataDir, 'keys', 'field-encryption.key'), previousKeys };
    const evidenceQuotas = {
      maxOpenUploadsPerCase: own.EVIDENCE_MAX_OPEN_UPLOADS_PER_CASE,
      maxOpenUploadsPerOfficer: own.EVIDENCE_MAX_OPEN_UPLOADS_PER_OFFICER,
      maxOpenBytesPerOfficer: own.EVIDENCE_MAX_OPEN_BYTES_PER_OFFICER,
    };
    return { fieldEncryption, evidenceQuotas };
  },
});

export type RecordingSettings = ReturnType<typeof recordingSettings.build>;
export type RecordingConfig = ServiceConfig<RecordingSettings>;
