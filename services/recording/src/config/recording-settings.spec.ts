import { loadServiceConfig, undocumentedVariables } from '@enforcement/service-runtime';
import * as path from 'node:path';
import { recordingSettings } from './recording-settings';

describe('recordingSettings', () => {
  const key = Buffer.alloc(32, 7).toString('base64');

  it('keeps a generated field key under DATA_DIR in embedded mode, and takes a given one', () => {
    expect(loadServiceConfig(recordingSettings, { DATA_DIR: '/d' }).settings.fieldEncryption).toEqual({
      keyFile: '/d/keys/field-encryption.key',
      previousKeys: [],
    });
    expect(loadServiceConfig(recordingSettings, { FIELD_ENCRYPTION_KEY: key }).settings.fieldEncryption).toEqual({ key, previousKeys: [] });
    expect(loadServiceConfig(recordingSettings, {}).service.port).toBe(3002);
  });

  it('needs a shared key once replicas run on Kafka, and refuses a key of the wrong size', () => {
    const distributed = { KAFKA_BROKERS: 'k:9092', AUTH_JWKS_URL: 'https://idp/jwks' };

    expect(() => loadServiceConfig(recordingSettings, distributed)).toThrow(/FIELD_ENCRYPTION_KEY: required with KAFKA_BROKERS/);
    expect(() => loadServiceConfig(recordingSettings, { FIELD_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      /FIELD_ENCRYPTION_KEY: must be 32 bytes/,
    );
    expect(loadServiceConfig(recordingSettings, { ...distributed, FIELD_ENCRYPTION_KEY: key }).settings.fieldEncryption).toEqual({
      key,
      previousKeys: [],
    });
  });

  it('takes the previous keys of a rotation, comma-separated, and refuses a bad one', () => {
    const old = Buffer.alloc(32, 8).toString('base64');
    const older = Buffer.alloc(32, 9).toString('base64');

    expect(
      loadServiceConfig(recordingSettings, { FIELD_ENCRYPTION_KEY: key, FIELD_ENCRYPTION_PREVIOUS_KEYS: `${old}, ${older}` }).settings
        .fieldEncryption,
    ).toEqual({ key, previousKeys: [old, older] });
    expect(() =>
      loadServiceConfig(recordingSettings, { FIELD_ENCRYPTION_KEY: key, FIELD_ENCRYPTION_PREVIOUS_KEYS: `${old},c2hvcnQ=` }),
    ).toThrow(/FIELD_ENCRYPTION_PREVIOUS_KEYS: each key must be 32 bytes/);
  });

  it('is documented variable by variable in README.md and .env.example', () => {
    expect(undocumentedVariables(recordingSettings, path.resolve(__dirname, '../../../..'))).toEqual({ readme: [], envExample: [] });
  });
});
