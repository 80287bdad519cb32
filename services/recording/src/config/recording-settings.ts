import {
  fieldEncryptionSettingOf,
  fieldEncryptionVariables,
  requireSharedFieldKey,
  type FieldEncryptionSetting,
} from '@enforcement/field-cipher';
import { bool, defineServiceSettings, positiveInt, type ServiceConfig } from '@enforcement/service-runtime';

export type { FieldEncryptionSetting };

/** What only the recording service reads, validated at its boot besides the common settings. */
export const recordingSettings = defineServiceSettings({
  name: 'recording',
  portVariable: 'RECORDING_PORT',
  defaultPort: 3002,
  shape: {
    ...fieldEncryptionVariables("parties' ID numbers and contacts"),
    EVIDENCE_MAX_OPEN_UPLOADS_PER_CASE: positiveInt.default(50).describe('Evidence uploads open at once in one case'),
    EVIDENCE_MAX_OPEN_UPLOADS_PER_OFFICER: positiveInt.default(20).describe('Evidence uploads open at once by one officer'),
    EVIDENCE_MAX_OPEN_BYTES_PER_OFFICER: positiveInt
      .default(64 * 1024 ** 3)
      .describe("Bytes declared by one officer's open evidence uploads together"),
    EVIDENCE_FIXITY_SWEEP: bool.default(true).describe('Whether the scheduled fixity sweep re-hashes stored evidence originals'),
    EVIDENCE_FIXITY_SWEEP_INTERVAL_MINUTES: positiveInt.default(60).describe('Minutes between runs of the fixity sweep'),
    EVIDENCE_FIXITY_SWEEP_BATCH_SIZE: positiveInt.default(20).describe('Evidence originals the fixity sweep re-hashes per run'),
  },
  refine: (own, common, ctx) => requireSharedFieldKey(own, common.KAFKA_BROKERS, ctx),
  build: (own, { dataDir }) => {
    const fieldEncryption = fieldEncryptionSettingOf(own, dataDir, 'field-encryption.key');
    const evidenceQuotas = {
      maxOpenUploadsPerCase: own.EVIDENCE_MAX_OPEN_UPLOADS_PER_CASE,
      maxOpenUploadsPerOfficer: own.EVIDENCE_MAX_OPEN_UPLOADS_PER_OFFICER,
      maxOpenBytesPerOfficer: own.EVIDENCE_MAX_OPEN_BYTES_PER_OFFICER,
    };
    const evidenceFixity = {
      fixitySweepIntervalMs: own.EVIDENCE_FIXITY_SWEEP ? own.EVIDENCE_FIXITY_SWEEP_INTERVAL_MINUTES * 60_000 : 0,
      fixitySweepBatchSize: own.EVIDENCE_FIXITY_SWEEP_BATCH_SIZE,
    };
    return { fieldEncryption, evidenceQuotas, evidenceFixity };
  },
});

export type RecordingSettings = ReturnType<typeof recordingSettings.build>;
export type RecordingConfig = ServiceConfig<RecordingSettings>;
