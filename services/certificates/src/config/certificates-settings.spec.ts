import { loadServiceConfig, undocumentedVariables } from '@enforcement/service-runtime';
import * as path from 'node:path';
import { certificatesSettings } from './certificates-settings';

describe('certificatesSettings', () => {
  it('gives the defaults: port 3001, QR codes on localhost, expiry every minute, 30 public look-ups, no demo data', () => {
    const sut = loadServiceConfig(certificatesSettings, { DATA_DIR: '/d' });

    expect(sut.service.port).toBe(3001);
    expect(sut.settings).toEqual({
      publicBaseUrl: 'http://localhost:3001',
      expiryCheckIntervalMs: 60_000,
      publicVerifyRateLimit: 30,
      seedDemoData: false,
      fieldEncryption: { keyFile: '/d/keys/certificates-field-encryption.key', previousKeys: [] },
    });
  });

  it('takes its own field key and the previous keys of a rotation, and needs a key once replicas run on Kafka', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const old = Buffer.alloc(32, 8).toString('base64');
    const distributed = { KAFKA_BROKERS: 'k:9092', AUTH_JWKS_URL: 'https://idp/jwks' };

    expect(
      loadServiceConfig(certificatesSettings, { ...distributed, FIELD_ENCRYPTION_KEY: key, FIELD_ENCRYPTION_PREVIOUS_KEYS: old }).settings
        .fieldEncryption,
    ).toEqual({ key, previousKeys: [old] });
    expect(() => loadServiceConfig(certificatesSettings, distributed)).toThrow(/FIELD_ENCRYPTION_KEY: required with KAFKA_BROKERS/);
    expect(() => loadServiceConfig(certificatesSettings, { FIELD_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      /FIELD_ENCRYPTION_KEY: must be 32 bytes/,
    );
    expect(() => loadServiceConfig(certificatesSettings, { FIELD_ENCRYPTION_PREVIOUS_KEYS: `${old},nope` })).toThrow(
      /FIELD_ENCRYPTION_PREVIOUS_KEYS: each key must be 32 bytes/,
    );
    // A refused key is not repeated in the message, which goes to the log.
    expect(() =>
      loadServiceConfig(certificatesSettings, { FIELD_ENCRYPTION_KEY: `${old}x`, FIELD_ENCRYPTION_PREVIOUS_KEYS: `${old}x` }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining(old) }));
  });

  it('reads its own variables and refuses bad ones with their names', () => {
    const env = {
      PUBLIC_BASE_URL: 'https://zfw.sh.gov.cn/',
      CERTIFICATE_EXPIRY_CHECK_INTERVAL_MS: '5000',
      SEED_DEMO_DATA: 'true',
      CERTIFICATES_PORT: '8443',
    };
    const sut = loadServiceConfig(certificatesSettings, env);

    expect(sut.settings).toMatchObject({ publicBaseUrl: 'https://zfw.sh.gov.cn', expiryCheckIntervalMs: 5000, seedDemoData: true });
    expect(sut.service.port).toBe(8443);
    expect(() => loadServiceConfig(certificatesSettings, { PUBLIC_VERIFY_RATE_LIMIT: '-1' })).toThrow(/PUBLIC_VERIFY_RATE_LIMIT/);
    expect(() => loadServiceConfig(certificatesSettings, { PUBLIC_BASE_URL: 'not a url' })).toThrow(/PUBLIC_BASE_URL/);
  });

  it('is documented variable by variable in README.md and .env.example', () => {
    expect(undocumentedVariables(certificatesSettings, path.resolve(__dirname, '../../../..'))).toEqual({ readme: [], envExample: [] });
  });
});
