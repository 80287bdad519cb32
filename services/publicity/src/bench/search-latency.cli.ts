// For `npm run bench` (test/bench/scenarios/publicity-search-latency.bench.ts), which runs it as a process of its own:
// the bench harness does not import a service's code.
//   seed    --url <mysql url> --decisions <n> [--fresh]   migrates, seeds (or reuses an equal seed), prints {"rare","reused","seedMs"}
//   measure --url <mysql url> --samples <n> --rare <a,b,…>   prints {"samples","p50Ms","p99Ms"}
import 'reflect-metadata';
import { openDatabase } from '@enforcement/persistence';
import { PUBLICITY_ENTITIES, PUBLICITY_MIGRATIONS } from '../app/publicity-app.module';
import { measureSearchLatency, seedPublishedDecisions } from './search-latency';

function option(name: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : undefined;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const dataSource = await openDatabase({
    url: option('url'),
    sqliteFile: ':memory:',
    entities: PUBLICITY_ENTITIES,
    migrations: PUBLICITY_MIGRATIONS,
  });
  try {
    if (process.argv[2] === 'seed') {
      const seeded = await seedPublishedDecisions(dataSource, option('url'), Number(option('decisions')), {
        fresh: process.argv.includes('--fresh'),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${JSON.stringify(seeded)}\n`);
    } else {
      const rare = option('rare')
        .split(',')
        .filter((k) => k !== '');
      process.stdout.write(`${JSON.stringify(await measureSearchLatency(dataSource, rare, Number(option('samples'))))}\n`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`search-latency: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
