import { formatTable, machineInfo, runScenario, type ScenarioResult } from './harness';
import { SCENARIOS } from './scenarios';

const USAGE = `usage: npm run bench -- [scenario …] [--rounds=N] [--warmup=N] [--list]

Runs the named scenarios (all when none is named) and prints subject/baseline ratios.
Exits 1 when a scenario fails its target or errors, 2 on bad arguments.`;

interface Arguments {
  names: string[];
  rounds?: number;
  warmupRounds?: number;
  list: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const parsed: Arguments = { names: [], list: false };
  for (const argument of argv) {
    const [flag, value] = argument.split('=', 2);
    if (flag === '--list') parsed.list = true;
    else if (flag === '--rounds') parsed.rounds = positiveInteger(flag, value, 1);
    else if (flag === '--warmup') parsed.warmupRounds = positiveInteger(flag, value, 0);
    else if (flag === '--help' || flag === '-h') usage(0);
    else if (argument.startsWith('-')) usage(2, `unknown option ${argument}`);
    else parsed.names.push(argument);
  }
  return parsed;
}

function positiveInteger(flag: string, value: string | undefined, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) usage(2, `${flag} needs an integer ≥ ${min}`);
  return number;
}

function usage(code: number, problem?: string): never {
  if (problem) process.stderr.write(`${problem}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(code);
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  const available = SCENARIOS.map((create) => create());
  if (args.list) {
    for (const scenario of available) process.stdout.write(`${scenario.name}  ${scenario.description}\n`);
    return 0;
  }
  const unknown = args.names.filter((name) => !available.some((scenario) => scenario.name === name));
  if (unknown.length > 0) usage(2, `unknown scenario ${unknown.join(', ')}; known: ${available.map((s) => s.name).join(', ')}`);
  const selected = args.names.length ? available.filter((scenario) => args.names.includes(scenario.name)) : available;

  // The first Ctrl-C lets the running round finish and teardown drop what it made; the second exits now.
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\ninterrupted: cleaning up (press Ctrl-C again to exit at once)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  process.stdout.write(`${machineInfo().join('\n')}\n\n`);
  const results: ScenarioResult[] = [];
  for (const scenario of selected) {
    if (interrupted) break;
    results.push(await runScenario(scenario, { rounds: args.rounds, warmupRounds: args.warmupRounds, aborted: () => interrupted }));
  }

  process.stdout.write(`\n${formatTable(results)}\n`);
  process.stdout.write(
    '\nbaseline and subject are medians over the measured rounds; ratio is the median of per-round subject/baseline ratios.\n',
  );
  const failed = results.filter((result) => result.verdict === 'FAIL');
  if (interrupted) return 130;
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
