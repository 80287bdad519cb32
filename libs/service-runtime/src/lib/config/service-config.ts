import type { AuthConfig } from '@enforcement/auth';
import type { TracesExporter } from '@enforcement/observability';
import * as path from 'node:path';
import { z } from 'zod';

export type ServiceName = 'certificates' | 'recording' | 'legal-review' | 'publicity';

export const SERVICE_NAMES: readonly ServiceName[] = ['certificates', 'recording', 'legal-review', 'publicity'];

export const port = z.coerce.number().int().min(1).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/**
 * The settings every service has, one environment variable each: where it listens, its database, the event
 * backbone, object storage, authentication and logging. A service adds its own (ServiceSettings) and both are
 * validated together at its boot. README.md and .env.example document every variable (tests keep them in step).
 */
export const COMMON_ENV_SCHEMA = z
  .object({
    HOST: z.string().default('0.0.0.0').describe('Interface the HTTP servers listen on'),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'each origin is scheme://host[:port]')))
      .describe('Comma-separated browser origins allowed to call the API (CORS); empty: none'),
    API_DOCS: z
      .enum(['public', 'authenticated', 'off'])
      .default('authenticated')
      .describe('Who gets the OpenAPI document (/docs, /docs-json): anyone, callers with a valid token, or nobody'),
    DATA_DIR: z.string().default('./data').describe('Embedded mode: folder for SQLite files and local objects'),
    DATABASE_URL: z
      .string()
      .regex(/^(mysql|mariadb):\/\//, 'must be a mysql:// URL')
      .optional()
      .describe(
        'mysql://user:password@host:3306/database of this service (sensitive; ?socket=/path for a same-host Unix socket); unset: SQLite under DATA_DIR',
      ),
    DATABASE_POOL_SIZE: positiveInt.default(10).describe('MySQL connection pool size'),
    DATABASE_BATCH_STATEMENTS: bool
      .default(true)
      .describe(
        "Send a transaction's writes that need no answer with its next statement (multi-statement queries); false behind a proxy that cannot take them",
      ),
    KAFKA_BROKERS: z.string().optional().describe('Comma-separated Kafka bootstrap brokers; required when a service runs alone'),
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
    AUTH_MAX_TOKEN_LIFETIME_SECONDS: positiveInt
      .default(12 * 3600)
      .describe('Longest validity (exp − iat) of a bearer token the services accept, whatever the token says'),
    AUTH_PUBLIC_KEY: z.string().optional().describe('PEM public key that verifies bearer tokens, instead of AUTH_JWKS_URL'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level'),
    OTEL_TRACES_EXPORTER: z
      .enum(['none', 'otlp', 'console'])
      .default('none')
      .describe('Where spans go: nowhere (trace ids still reach logs and events), an OTLP/HTTP collector, or standard output'),
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .string()
      .regex(/^https?:\/\/[^/\s]+/, 'must be an http(s):// URL')
      .optional()
      .describe('Base URL of the OTLP/HTTP collector (e.g. http://collector:4318); required with OTEL_TRACES_EXPORTER=otlp'),
  })
  .superRefine((env, ctx) => {
    if (env.AUTH_JWKS_URL && env.AUTH_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_PUBLIC_KEY'], message: 'set AUTH_JWKS_URL or AUTH_PUBLIC_KEY, not both' });
    }
    // A service on its own must trust a real identity provider; only embedded mode signs its own tokens.
    if (env.KAFKA_BROKERS && !env.AUTH_JWKS_URL && !env.AUTH_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'AUTH_JWKS_URL or AUTH_PUBLIC_KEY is required with KAFKA_BROKERS' });
    }
    // Spans sent to a default address nobody listens on would be lost without a word.
    if (env.OTEL_TRACES_EXPORTER === 'otlp' && !env.OTEL_EXPORTER_OTLP_ENDPOINT) {
      ctx.addIssue({ code: 'custom', path: ['OTEL_EXPORTER_OTLP_ENDPOINT'], message: 'required when OTEL_TRACES_EXPORTER=otlp' });
    }
    if (env.MINIO_ENDPOINT) {
      for (const key of ['MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when MINIO_ENDPOINT is set' });
      }
    }
  });

export type CommonEnv = z.output<typeof COMMON_ENV_SCHEMA>;

/** Values that are never printed; a service's own sensitive settings say so in their description. */
export const SENSITIVE_VARIABLES = new Set(['DATABASE_URL', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY']);

/**
 * A service's own settings: its port and the variables only it reads, validated at its boot besides the
 * common ones, into the typed `settings` of its ServiceConfig.
 */
export interface ServiceSettings<S = unknown> {
  name: ServiceName;
  portVariable: string;
  defaultPort: number;
  /** The service's own variables (besides its port). */
  shape: z.ZodRawShape;
  /** Rules across its own and the common values, e.g. a key required once the service runs on Kafka. */
  refine?: (own: Record<string, unknown>, common: CommonEnv, ctx: z.RefinementCtx) => void;
  build(own: Record<string, unknown>, context: { dataDir: string }): S;
}

/** Declares a service's settings with the types of its own variables carried through to `build` and `refine`. */
export function defineServiceSettings<Shape extends z.ZodRawShape, S>(definition: {
  name: ServiceName;
  portVariable: string;
  defaultPort: number;
  shape: Shape;
  refine?: (own: z.output<z.ZodObject<Shape>>, common: CommonEnv, ctx: z.RefinementCtx) => void;
  build: (own: z.output<z.ZodObject<Shape>>, context: { dataDir: string }) => S;
}): ServiceSettings<S> {
  return definition as unknown as ServiceSettings<S>;
}

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

export interface ServiceConfig<S = unknown> {
  service: { name: ServiceName; host: string; port: number };
  http: { corsOrigins: string[]; apiDocs: 'public' | 'authenticated' | 'off' };
  database: { url?: string; sqliteFile: string; poolSize: number; batchStatements: boolean };
  events: {
    kafka?: { brokers: string[]; clientId: string; topicPrefix: string };
    relay: { batchSize: number; pollIntervalMs: number };
    consumer: { maxAttempts: number };
  };
  storage: StorageConfig;
  auth: AuthConfig;
  log: { level: string };
  tracing: { exporter: TracesExporter; otlpEndpoint?: string };
  /** The service's own settings (ServiceSettings.build). */
  settings: S;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once, at start-up, into the typed configuration of one service. */
export function loadServiceConfig<S>(settings: ServiceSettings<S>, env: Record<string, string | undefined>): ServiceConfig<S> {
  const ownSchema = z.object({ [settings.portVariable]: port.default(settings.defaultPort), ...settings.shape });
  const common = COMMON_ENV_SCHEMA.safeParse(env);
  const own = ownSchema.safeParse(env);
  const issues = [...(common.success ? [] : common.error.issues), ...(own.success ? [] : own.error.issues)];
  if (common.success && own.success && settings.refine) {
    const refined = ownSchema.superRefine((values, ctx) => settings.refine?.(values, common.data, ctx)).safeParse(env);
    if (!refined.success) issues.push(...refined.error.issues);
  }
  if (issues.length > 0 || !common.success || !own.success) {
    throw new ConfigError(issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = common.data;
  const service = settings.name;
  const dataDir = path.resolve(values.DATA_DIR);
  const brokers = values.KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  return {
    service: { name: service, host: values.HOST, port: own.data[settings.portVariable] as number },
    http: { corsOrigins: values.CORS_ORIGINS, apiDocs: values.API_DOCS },
    database: {
      url: values.DATABASE_URL,
      sqliteFile: path.join(dataDir, `${service}.sqlite`),
      poolSize: values.DATABASE_POOL_SIZE,
      batchStatements: values.DATABASE_BATCH_STATEMENTS,
    },
    events: {
      kafka:
        brokers && brokers.length > 0
          ? { brokers, clientId: values.KAFKA_CLIENT_ID ?? service, topicPrefix: values.KAFKA_TOPIC_PREFIX }
          : undefined,
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
      maxTokenLifetimeSeconds: values.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
      audience: values.AUTH_AUDIENCE,
      verification: values.AUTH_JWKS_URL
        ? { kind: 'jwks', url: values.AUTH_JWKS_URL }
        : values.AUTH_PUBLIC_KEY
          ? { kind: 'public-key', pem: values.AUTH_PUBLIC_KEY }
          : { kind: 'local', dir: path.join(dataDir, 'auth') },
    },
    log: { level: values.LOG_LEVEL },
    tracing: { exporter: values.OTEL_TRACES_EXPORTER, otlpEndpoint: values.OTEL_EXPORTER_OTLP_ENDPOINT },
    settings: settings.build(own.data, { dataDir }),
  };
}

/** The process environment, read in this one place. */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}
