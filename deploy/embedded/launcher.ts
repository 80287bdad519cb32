import type { INestApplication } from '@nestjs/common';
import { InProcessBroker } from '@enforcement/events';
import { loadServiceConfig, startService, type ServiceConfig, type ServiceDefinition } from '@enforcement/service-runtime';
import { certificatesService } from '../../services/certificates/src/service';
import { legalReviewService } from '../../services/legal-review/src/service';
import { publicityService } from '../../services/publicity/src/service';
import { recordingService } from '../../services/recording/src/service';

/**
 * The composition root of embedded mode: the only code that knows every service. It runs them in one
 * process on SQLite files, the in-process broker and local disk.
 */
export const SERVICES: readonly ServiceDefinition[] = [certificatesService, recordingService, legalReviewService, publicityService];

/** Settings that select distributed infrastructure; embedded mode ignores them. */
const DISTRIBUTED_ONLY = ['DATABASE_URL', 'KAFKA_BROKERS', 'MINIO_ENDPOINT'];

export interface EmbeddedPlatform {
  apps: ReadonlyMap<string, INestApplication>;
  configs: ReadonlyMap<string, ServiceConfig>;
  broker: InProcessBroker;
  ignoredVariables: string[];
  stop(): Promise<void>;
}

export async function startEmbedded(env: Record<string, string | undefined>, listen = true): Promise<EmbeddedPlatform> {
  const ignoredVariables = DISTRIBUTED_ONLY.filter((name) => env[name]);
  // A newcomer's first start comes with a demo agency and users to sign in as (`npm run token`).
  const embeddedEnv: Record<string, string | undefined> = { SEED_DEMO_DATA: 'true', API_DOCS: 'public', ...env };
  for (const name of DISTRIBUTED_ONLY) delete embeddedEnv[name];

  const broker = new InProcessBroker();
  const apps = new Map<string, INestApplication>();
  const configs = new Map<string, ServiceConfig>();
  const stop = async () => {
    for (const app of [...apps.values()].reverse()) await app.close();
    await broker.close();
  };
  try {
    for (const service of SERVICES) {
      const config = loadServiceConfig(service.settings, embeddedEnv);
      configs.set(service.name, config);
      apps.set(service.name, await startService(service, { config, broker, listen }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  // Every service has subscribed: events may flow now.
  broker.open();
  return { apps, configs, broker, ignoredVariables, stop };
}
