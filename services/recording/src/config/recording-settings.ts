import { defineServiceSettings, type ServiceConfig } from '@enforcement/service-runtime';
import * as path from 'node:path';
import { z } from 'zod';

/** A fixed key, or the file embedded mode keeps its generated key in. */
export type FieldEncryptionSetting = { key: string } | { keyFile: string };

/** What only the recording service reads, validated at its boot besides the common settings. */
export const recordingSettings = defineServiceSettings({
  name: 'recording',
  portVariable: 'RECORDING_PORT',
  defaultPort: 3002,
  shape: {
    FIELD_ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64')
      .optional()
      .describe('Base64 AES-256 key for sensitive fields at rest (sensitive); unset: a key file under DATA_DIR/keys'),
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
    const fieldEncryption: FieldEncryptionSetting = own.FIELD_ENCRYPTION_KEY
      ? { key: own.FIELD_ENCRYPTION_KEY }
      : { keyFile: path.join(dataDir, 'keys', 'field-encryption.key') };
    return { fieldEncryption };
  },
});

export type RecordingSettings = ReturnType<typeof recordingSettings.build>;
export type RecordingConfig = ServiceConfig<RecordingSettings>;
