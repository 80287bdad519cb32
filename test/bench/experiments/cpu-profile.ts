import { Session, type Profiler } from 'node:inspector';
import { OutboxRelay } from '@enforcement/events';
import { runScenario } from '../harness';
import { relayThroughput, type Drainer } from '../scenarios/relay-throughput.bench';
import { quietLogger } from '../support/quiet-logger';
import { CandidateRelay } from './candidate-relay';

/**
 * Where the relay process spends its CPU while draining (samples outside drain() are dropped), and how
 * much of the drain it is idle, i.e. waiting on MariaDB or the broker.
 *   node scripts/run-ts.js test/bench/experiments/cpu-profile.ts [leanSelect,leanMark,lazyLease,pipeline]
 */
const listed = process.argv[2];
const windows: Array<[number, number]> = [];
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

function windowed(inner: Drainer): Drainer {
  return {
    drain: async () => {
      const start = nowMicros();
      try {
        return await inner.drain();
      } finally {
        windows.push([start, nowMicros()]);
      }
    },
    stop: () => inner.stop(),
  };
}

async function main(): Promise<void> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  await runScenario(
    relayThroughput({
      rounds: 8,
      createRelay: (dataSource, publisher, options) =>
        windowed(
          listed === undefined
            ? new OutboxRelay(dataSource, publisher, options, quietLogger)
            : new CandidateRelay(dataSource, publisher, options, {
                leanSelect: listed.includes('leanSelect'),
                leanMark: listed.includes('leanMark'),
                lazyLease: listed.includes('lazyLease'),
                pipeline: listed.includes('pipeline'),
              }),
        ),
    }),
  );
  const { profile } = await post<{ profile: Profiler.Profile }>('Profiler.stop');
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfBy = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let time = profile.startTime;
  let total = 0;
  const inWindow = (t: number) => windows.some(([a, b]) => t >= a && t <= b);
  profile.samples?.forEach((id, index) => {
    const delta = profile.timeDeltas?.[index] ?? 0;
    time += delta;
    if (!inWindow(time)) return;
    const node = nodes.get(id);
    if (!node) return;
    total += delta;
    const { functionName, url, lineNumber } = node.callFrame;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/libs/') ? 'libs' : url.startsWith('node:') ? 'node' : url ? 'other' : functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    const key = `${functionName || '(anon)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/work\/main\//, '')}:${lineNumber}`;
    selfBy.set(key, (selfBy.get(key) ?? 0) + delta);
  });
  const share = (v: number) => `${((100 * v) / total).toFixed(1)}%`.padStart(6);
  process.stdout.write(`drain wall covered by samples: ${(total / 1000).toFixed(0)} ms over ${windows.length} drains\n`);
  for (const [pkg, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) process.stdout.write(`${share(v)}  ${pkg}\n`);
  process.stdout.write('--- top self time\n');
  for (const [fn, v] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stdout.write(`${share(v)}  ${fn}\n`);
  process.exit(0);
}
void main();
