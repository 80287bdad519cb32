// For `npm run bench` (test/bench/scenarios/publicity-publication-latency.bench.ts), which runs it as a process of its
// own: the bench harness does not import a service's code.
//   --mode embedded --decisions <n> [--poll-ms <ms>]
//   --mode kafka --decisions <n> --url <mysql url> --brokers <a,b> --prefix <topic prefix> [--poll-ms <ms>]
// prints {"samples","p50Ms","p99Ms","queuedP50Ms","queuedP99Ms"}
import 'reflect-metadata';
import { measurePublicationLatency } from './publication-latency';

function option(name: string, fallback?: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const mode = option('mode');
  if (mode !== 'embedded' && mode !== 'kafka') throw new Error('--mode is embedded or kafka');
  const kafka = mode === 'kafka';
  const result = await measurePublicationLatency({
    mode,
    decisions: Number(option('decisions')),
    pollMs: Number(option('poll-ms', '2')),
    url: kafka ? option('url') : undefined,
    brokers: kafka ? option('brokers').split(',') : undefined,
    topicPrefix: kafka ? option('prefix', '') : undefined,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`publication-latency: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
