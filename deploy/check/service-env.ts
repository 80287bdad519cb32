import {
  COMMON_ENV_SCHEMA,
  ConfigError,
  loadServiceConfig,
  port,
  type ServiceConfig,
  type ServiceDefinition,
} from '@enforcement/service-runtime';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { z } from 'zod';
import type { ProvidedEnv } from './deployment-files';

/** Read by the image (deploy/docker/Dockerfile), not by the service's configuration. */
const IMAGE_VARIABLES = new Set(['SERVICE']);

/**
 * Stand-ins for what the operator supplies (a Secret's value is not in the files): for each variable the first
 * one its schema accepts, so that the rest of the configuration can be checked as the service will.
 */
const OPERATOR_SAMPLES = [
  randomBytes(32).toString('base64'),
  'https://idp.example.org/.well-known/jwks.json',
  'mysql://user:secret@db.example.org:3306/database',
];

function schemaOf(service: ServiceDefinition, name: string): z.core.$ZodType | undefined {
  if (name === service.settings.portVariable) return port;
  const common: Record<string, z.core.$ZodType> = COMMON_ENV_SCHEMA.shape;
  return service.settings.shape[name] ?? common[name];
}

export interface ServiceEnvCheck {
  problems: string[];
  /** The configuration the service would run with, when it would start at all. */
  config?: ServiceConfig;
}

/**
 * What the service's own configuration code (loadServiceConfig with its settings) makes of the variables a
 * deployment gives it: the variables it refuses or misses, then whatever would fall back to embedded mode, which
 * keeps state on the container's own disk or in its own process.
 */
export function checkServiceEnv(service: ServiceDefinition, provided: ProvidedEnv): ServiceEnvCheck {
  const problems: string[] = [];
  const env: Record<string, string> = {};
  for (const [name, value] of provided) {
    const schema = schemaOf(service, name);
    if (!schema) {
      if (!IMAGE_VARIABLES.has(name)) problems.push(`${name} is not a setting of the ${service.name} service`);
      continue;
    }
    if (value.kind === 'literal') env[name] = value.value;
    else {
      const sample = OPERATOR_SAMPLES.find((candidate) => z.safeParse(schema, candidate).success);
      if (sample === undefined) problems.push(`${name} (from ${value.from}): no sample value fits its schema; extend OPERATOR_SAMPLES`);
      else env[name] = sample;
    }
  }
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(service.settings, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { problems: [...problems, ...error.problems] };
  }
  if (!config.database.url) problems.push("DATABASE_URL is missing: the service would keep its data in SQLite on the container's disk");
  if (!config.events.kafka) problems.push('KAFKA_BROKERS is missing: events would never leave the process');
  if (config.auth.verification.kind === 'local') {
    problems.push('AUTH_JWKS_URL or AUTH_PUBLIC_KEY is missing: the service would trust a key pair it makes itself');
  }
  if (config.storage.driver === 'local') problems.push("MINIO_ENDPOINT is missing: objects would go to the container's disk");
  else if (!config.storage.objectLock) problems.push('MINIO_OBJECT_LOCK is not true: stored evidence would get no retention');
  const dataDir = path.dirname(config.database.sqliteFile);
  for (const [where, value] of stringsIn(config.settings, 'settings')) {
    if (value.startsWith(dataDir + path.sep)) {
      problems.push(`${where} is a file on the container's disk (${value}): set the variable that replaces it`);
    }
  }
  return { problems, config };
}

function* stringsIn(value: unknown, where: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [where, value];
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) yield* stringsIn(inner, `${where}.${key}`);
  }
}
