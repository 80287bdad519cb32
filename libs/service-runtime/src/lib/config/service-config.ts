import * as path from 'node:path';
import type { AuthConfig } from '@enforcement/auth';
import { z } from 'zod';

export type ServiceName = 'certificates' | 'recording' | 'legal-review' | 'publicity';

export const SERVICE_NAMES: readonly ServiceName[] = ['certificates', 'recording', 'legal-review', 'publicity'];

const DEFAULT_PORTS: Record<ServiceName, number> = {
  certificates: 3001,
  recording: 3002,
  'legal-review': 3003,
  publicity: 3004,
};

/** The environment variable that sets a service's HTTP port, e.g. LEGAL_REVIEW_PORT. */
export function portVariable(service: ServiceName): string {
  return `${service.toUpperCase().replace('-', '_')}_PORT`;
}

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/**
 * Every configuration knob, one environment variable each. `sensitive` values are never printed.
 * README.md and .env.example document exactly these (a test keeps them in step).
 */
export const ENV_SCHEMA = z
  .object({
    HOST: z.string().default('0.0.0.0').describe('Interface the HTTP servers listen on'),
    CERTIFICATES_PORT: port.default(DEFAULT_PORTS.certificates).describe('HTTP port of the certificates service'),
    RECORDING_PORT: port.default(DEFAULT_PORTS.recording).describe('HTTP port of the recording service'),
    LEGAL_REVIEW_PORT: port.default(DEFAULT_PORTS['legal-review']).describe('HTTP port of the legal-review service'),
    PUBLICITY_PORT: port.default(DEFAULT_PORTS.publicity).describe('HTTP port of the publicity service'),
    DATA_DIR: z.string().default('./data').describe('Embedded mode: folder for SQLite files and local objects'),
    DATABASE_URL: z
      .string()
      .regex(/^(mysql|mariadb):\/\//, 'must be a mysql:// URL')
      .optional()
      .describe('mysql://user:password@host:3306/database of this service (sensitive); unset: SQLite under DATA_DIR'),
    DATABASE_POOL_SIZE: positiveInt.default(10).describe('MySQL connection pool size'),
    KAFKA_BROKERS: z
      .string()
      .optional()
      .describe('Comma-separated Kafka bootstrap brokers; required when a service runs alone'),
    KAFKA_CLIENT_ID: z.string().optional().describe('Kafka client id; defaults to the service name'),
    KAFKA_TOPIC_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9._-]{0,100}$/, 'letters, digits, dot, underscore and hyphen only')
      .default('')
      .describe('Put before every topic and consumer-group name, to share one Kafka cluster between deployments'),
    OUTBOX_BATCH_SIZE: positiveInt.default(500).describe('Events the relay publishes per batch'),
    OUTBOX_POLL_INTERVAL_MS: positiveInt.default(500).describe('How often the relay looks for events nobody announced'),
    CONSUMER_MAX_ATTEMPTS: positiveInt.default(5).describe('Attempts at a failing event handler before dead-lettering'),
    MINIO_ENDPOINT: z.string().optional().describe('MinIO/S3 host; when set, objects go to MinIO instead of local disk'),
    MINIO_PORT: port.default(9000).describe('MinIO port'),
    MINIO_USE_SSL: bool.default(false).describe('Use HTTPS to MinIO'),
    MINIO_ACCESS_KEY: z.string().optional().describe('MinIO access key (sensitive)'),
    MINIO_SECRET_KEY: z.string().optional().describe('MinIO secret key (sensitive)'),
    MINIO_BUCKET: z.string().default('enforcement-evidence').describe('Bucket for evidence objects'),
    MINIO_REGION: z.string().default('us-east-1').describe('Bucket region'),
    MINIO_OBJECT_LOCK: bool.default(false).describe('Put retention on stored originals (bucket must have object lock)'),
    AUTH_ISSUER: z.string().default('enforcement-platform').describe('Expected `iss` of bearer tokens'),
    AUTH_AUDIENCE: z.string().default('enforcement-platform').describe('Expected `aud` of bearer tokens'),
    AUTH_JWKS_URL: z.string().url().optional().describe('JWKS URL of the identity provider that signs bearer tokens'),
    AUTH_PUBLIC_KEY: z
      .string()
      .optional()
      .describe('PEM public key that verifies bearer tokens, instead of AUTH_JWKS_URL'),
    PUBLIC_BASE_URL: z
      .string()
      .url()
      .default('http://localhost:3001')
      .describe('Public address of the certificates service, printed in certificate QR codes'),
    CERTIFICATE_EXPIRY_CHECK_INTERVAL_MS: positiveInt
      .default(60_000)
      .describe('How often the certificates service expires certificates past their last valid day'),
    PUBLIC_VERIFY_RATE_LIMIT: positiveInt
      .default(30)
      .describe('Public certificate look-ups allowed per client address and minute'),
    SEED_DEMO_DATA: bool.default(false).describe('Create a demo agency, officers and certificates on first start'),
    FIELD_ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64')
      .optional()
      .describe('Base64 AES-256 key for sensitive fields at rest (sensitive); unset: a key file under DATA_DIR/keys'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level'),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_BROKERS && !env.FIELD_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['FIELD_ENCRYPTION_KEY'], message: 'required with KAFKA_BROKERS (a key file is for embedded mode)' });
    }
    if (env.AUTH_JWKS_URL && env.AUTH_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_PUBLIC_KEY'], message: 'set AUTH_JWKS_URL or AUTH_PUBLIC_KEY, not both' });
    }
    // A service on its own must trust a real identity provider; only embedded mode signs its own tokens.
    if (env.KAFKA_BROKERS && !env.AUTH_JWKS_URL && !env.AUTH_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'AUTH_JWKS_URL or AUTH_PUBLIC_KEY is required with KAFKA_BROKERS' });
    }
    if (env.MINIO_ENDPOINT) {
      for (const key of ['MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when MINIO_ENDPOINT is set' });
      }
    }
  });

export const SENSITIVE_VARIABLES = new Set(['DATABASE_URL', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY', 'FIELD_ENCRYPTION_KEY']);

export type StorageConfig =
  | { driver: 'local'; root: string }
  | {
      driver: 'minio';
      endPoint: string;
      port: number;
      useSSL: boolean;
      accessKey: string;
      secretKey: string;
      bucket: string;
      region: string;
      objectLock: boolean;
    };

export interface ServiceConfig {
  service: { name: ServiceName; host: string; port: number };
  database: { url?: string; sqliteFile: string; poolSize: number };
  events: {
    kafka?: { brokers: string[]; clientId: string; topicPrefix: string };
    relay: { batchSize: number; pollIntervalMs: number };
    consumer: { maxAttempts: number };
  };
  storage: StorageConfig;
  auth: AuthConfig;
  publicBaseUrl: string;
  /** A fixed key, or the file embedded mode keeps its generated key in. */
  fieldEncryption: { key: string } | { keyFile: string };
  certificates: { expiryCheckIntervalMs: number; publicVerifyRateLimit: number; seedDemoData: boolean };
  log: { level: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once, at start-up, into the typed configuration of one service. */
export function loadServiceConfig(service: ServiceName, env: Record<string, string | undefined>): ServiceConfig {
  const parsed = ENV_SCHEMA.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  const dataDir = path.resolve(values.DATA_DIR);
  const brokers = values.KAFKA_BROKERS?.split(',').map((broker) => broker.trim()).filter(Boolean);
  return {
    service: { name: service, host: values.HOST, port: values[portVariable(service) as 'CERTIFICATES_PORT'] },
    database: {
      url: values.DATABASE_URL,
      sqliteFile: path.join(dataDir, `${service}.sqlite`),
      poolSize: values.DATABASE_POOL_SIZE,
    },
    events: {
      kafka: brokers && brokers.length > 0 ? { brokers, clientId: values.KAFKA_CLIENT_ID ?? service, topicPrefix: values.KAFKA_TOPIC_PREFIX } : undefined,
      relay: { batchSize: values.OUTBOX_BATCH_SIZE, pollIntervalMs: values.OUTBOX_POLL_INTERVAL_MS },
      consumer: { maxAttempts: values.CONSUMER_MAX_ATTEMPTS },
    },
    storage: values.MINIO_ENDPOINT
      ? {
          driver: 'minio',
          endPoint: values.MINIO_ENDPOINT,
          port: values.MINIO_PORT,
          useSSL: values.MINIO_USE_SSL,
          accessKey: values.MINIO_ACCESS_KEY ?? '',
          secretKey: values.MINIO_SECRET_KEY ?? '',
          bucket: values.MINIO_BUCKET,
          region: values.MINIO_REGION,
          objectLock: values.MINIO_OBJECT_LOCK,
        }
      : { driver: 'local', root: path.join(dataDir, 'objects') },
    auth: {
      issuer: values.AUTH_ISSUER,
      audience: values.AUTH_AUDIENCE,
      verification: values.AUTH_JWKS_URL
        ? { kind: 'jwks', url: values.AUTH_JWKS_URL }
        : values.AUTH_PUBLIC_KEY
          ? { kind: 'public-key', pem: values.AUTH_PUBLIC_KEY }
          : { kind: 'local', dir: path.join(dataDir, 'auth') },
    },
    publicBaseUrl: values.PUBLIC_BASE_URL.replace(/\/$/, ''),
    fieldEncryption: values.FIELD_ENCRYPTION_KEY
      ? { key: values.FIELD_ENCRYPTION_KEY }
      : { keyFile: path.join(dataDir, 'keys', 'field-encryption.key') },
    certificates: {
      expiryCheckIntervalMs: values.CERTIFICATE_EXPIRY_CHECK_INTERVAL_MS,
      publicVerifyRateLimit: values.PUBLIC_VERIFY_RATE_LIMIT,
      seedDemoData: values.SEED_DEMO_DATA,
    },
    log: { level: values.LOG_LEVEL },
  };
}

/** The process environment, read in this one place. */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}
