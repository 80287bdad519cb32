import 'reflect-metadata';
import { processEnv } from '@enforcement/service-runtime';
import { startEmbedded } from './launcher';

async function main(): Promise<void> {
  const platform = await startEmbedded(processEnv());
  if (platform.ignoredVariables.length > 0) {
    console.warn(`embedded mode ignores ${platform.ignoredVariables.join(', ')} (run the services alone to use them)`);
  }
  const lines = [...platform.configs.values()].map((config) => {
    const base = `http://localhost:${config.service.port}`;
    return `  ${config.service.name.padEnd(13)} ${base}   health ${base}/health   API docs ${base}/docs`;
  });
  console.log(
    `\nEnforcement platform (embedded) is running:\n${lines.join('\n')}\n\nData: ${platform.configs.get('certificates')?.database.sqliteFile.replace(/certificates\.sqlite$/, '')}\nSign in as a demo user: TOKEN=$(npm run -s token -- officer1)   (also officer2, reviewer, admin, supervisor, sysadmin)\nStop with Ctrl+C.\n`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
