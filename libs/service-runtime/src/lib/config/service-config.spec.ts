import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { COMMON_ENV_SCHEMA, ConfigError, defineServiceSettings, loadServiceConfig } from './service-config';

const root = path.resolve(__dirname, '../../../../..');

/** A service's own settings, as each service declares them (services/<name>/src/config). */
const settingsOf = (name: 'legal-review' | 'recording' | 'publicity', portVariable: string, defaultPort: number) =>
  defineServiceSettings({
    name,
    portVariable,
    defaultPort,
    shape: { AUDIT_TAG: z.string().min(2).optional() },
    refine: (own, common, ctx) => {
      if (common.KAFKA_BROKERS && !own.AUDIT_TAG)
        ctx.addIssue({ code: 'custom', path: ['AUDIT_TAG'], message: 'required with KAFKA_BROKERS' });
    },
    build: (own, { dataDir }) => ({ tag: own.AUDIT_TAG ?? 'none', dataDir }),
  });
const legalReview = settingsOf('legal-review', 'LEGAL_REVIEW_PORT', 3003);
const recording = settingsOf('recording', 'RECORDING_PORT', 3002);
const publicity = settingsOf('publicity', 'PUBLICITY_PORT', 3004);

describe(loadServiceConfig.name, () => {
  it('gives embedded defaults: SQLite under DATA_DIR, local objects, no Kafka, the service port', () => {
    const sut = loadServiceConfig(legalReview, { DATA_DIR: '/tmp/platform' });

    expect(sut.service).toEqual({ name: 'legal-review', host: '0.0.0.0', port: 3003 });
    expect(sut.database).toEqual({ url: undefined, sqliteFile: '/tmp/platform/legal-review.sqlite', poolSize: 10, batchStatements: true });
    expect(sut.events.kafka).toBeUndefined();
    expect(sut.storage).toEqual({ driver: 'local', root: '/tmp/platform/objects' });
  });

  it('selects MySQL, Kafka and MinIO when their variables are set', () => {
    const sut = loadServiceConfig(recording, {
      DATABASE_URL: 'mysql://u:p@db:3306/recording',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      MINIO_ENDPOINT: 'minio',
      MINIO_ACCESS_KEY: 'a',
      MINIO_SECRET_KEY: 's',
      MINIO_USE_SSL: 'true',
      AUTH_JWKS_URL: 'https://idp.example.gov.cn/jwks.json',
      AUDIT_TAG: 'x1',
    });

    expect(sut.database.url).toBe('mysql://u:p@db:3306/recording');
    expect(sut.events.kafka).toEqual({ brokers: ['k1:9092', 'k2:9092'], clientId: 'recording', topicPrefix: '' });
    expect(sut.storage).toMatchObject({ driver: 'minio', endPoint: 'minio', port: 9000, useSSL: true });
    expect(sut.auth.verification).toEqual({ kind: 'jwks', url: 'https://idp.example.gov.cn/jwks.json' });
  });

  it('turns statement batching off only when told, in so many words', () => {
    const base = { DATABASE_URL: 'mysql://u:p@db:3306/recording' };

    expect(loadServiceConfig(recording, { ...base, DATABASE_BATCH_STATEMENTS: 'false' }).database.batchStatements).toBe(false);
    expect(loadServiceConfig(recording, base).database.batchStatements).toBe(true);
    expect(() => loadServiceConfig(recording, { ...base, DATABASE_BATCH_STATEMENTS: 'no' })).toThrow(/DATABASE_BATCH_STATEMENTS/);
  });

  it('puts a topic prefix before topics and groups only in its own charset, so two deployments can share a cluster', () => {
    const base = { KAFKA_BROKERS: 'k:9092', AUTH_JWKS_URL: 'https://idp/jwks', AUDIT_TAG: 'x1' };

    expect(loadServiceConfig(publicity, { ...base, KAFKA_TOPIC_PREFIX: 'staging.' }).events.kafka?.topicPrefix).toBe('staging.');
    expect(() => loadServiceConfig(publicity, { ...base, KAFKA_TOPIC_PREFIX: 'a/b' })).toThrow(/KAFKA_TOPIC_PREFIX/);
  });

  it('exports no spans by default, and sends them to a collector only at an address it was given', () => {
    expect(loadServiceConfig(recording, {}).tracing).toEqual({ exporter: 'none', otlpEndpoint: undefined });
    expect(loadServiceConfig(recording, { OTEL_TRACES_EXPORTER: 'console' }).tracing.exporter).toBe('console');
    expect(
      loadServiceConfig(recording, { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' }).tracing,
    ).toEqual({ exporter: 'otlp', otlpEndpoint: 'http://otel-collector:4318' });

    expect(() => loadServiceConfig(recording, { OTEL_TRACES_EXPORTER: 'otlp' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: required/);
    expect(() => loadServiceConfig(recording, { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER/);
    expect(() =>
      loadServiceConfig(recording, { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' }),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('signs its own tokens only in embedded mode: a service on Kafka must name its identity provider', () => {
    expect(loadServiceConfig(publicity, { DATA_DIR: '/d' }).auth.verification).toEqual({ kind: 'local', dir: '/d/auth' });
    expect(() => loadServiceConfig(publicity, { KAFKA_BROKERS: 'k:9092', AUDIT_TAG: 'x1' })).toThrow(
      /AUTH_JWKS_URL or AUTH_PUBLIC_KEY is required/,
    );
    expect(() => loadServiceConfig(publicity, { AUTH_JWKS_URL: 'https://idp/jwks', AUTH_PUBLIC_KEY: 'pem' })).toThrow(/not both/);
  });

  it('refuses MinIO without credentials, a bad port and a non-MySQL URL, naming every problem', () => {
    let error: unknown;
    try {
      loadServiceConfig(recording, { MINIO_ENDPOINT: 'minio', RECORDING_PORT: '70000', DATABASE_URL: 'postgres://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/RECORDING_PORT/);
    expect(problems).toMatch(/DATABASE_URL: must be a mysql:\/\/ URL/);
    expect(problems).toMatch(/MINIO_ACCESS_KEY: required when MINIO_ENDPOINT is set/);
    expect(problems).toMatch(/MINIO_SECRET_KEY/);
  });

  it("validates a service's own settings with the common ones, at once, and builds them typed", () => {
    const sut = loadServiceConfig(legalReview, { DATA_DIR: '/d', LEGAL_REVIEW_PORT: '4100', AUDIT_TAG: 'q7' });

    expect(sut.service.port).toBe(4100);
    expect(sut.settings).toEqual({ tag: 'q7', dataDir: '/d' });
    let error: unknown;
    try {
      loadServiceConfig(legalReview, {
        KAFKA_BROKERS: 'k:9092',
        AUTH_JWKS_URL: 'https://idp/jwks',
        LEGAL_REVIEW_PORT: '0',
        AUDIT_TAG: 'q',
      });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).problems.join('\n')).toMatch(/LEGAL_REVIEW_PORT[\s\S]*AUDIT_TAG/);
    expect(() => loadServiceConfig(legalReview, { KAFKA_BROKERS: 'k:9092', AUTH_JWKS_URL: 'https://idp/jwks' })).toThrow(
      /AUDIT_TAG: required with KAFKA_BROKERS/,
    );
  });

  it('is documented variable by variable in README.md and .env.example', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    const variables = Object.keys(COMMON_ENV_SCHEMA.shape);

    expect(variables.length).toBeGreaterThan(10);
    expect(variables.filter((name) => !readme.includes(`| \`${name}\` |`))).toEqual([]);
    expect(variables.filter((name) => !new RegExp(`^${name}=`, 'm').test(example))).toEqual([]);
  });
});
