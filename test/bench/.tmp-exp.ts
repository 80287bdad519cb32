import { runScenario } from './harness';
import { certificateGuardOverhead } from './scenarios/certificate-guard-overhead.bench';
async function main() {
  const configs = JSON.parse(process.argv[2]) as Array<{ requests: number; rounds: number; warmupRounds: number }>;
  for (const c of configs) {
    const r = await runScenario(certificateGuardOverhead(c), { log: () => undefined });
    const ratios = r.rounds.filter((x) => !x.warmup).map((x) => x.ratio.toFixed(2));
    console.log(JSON.stringify(c), 'ratio', r.ratio.toFixed(3), 'range', r.ratioMin.toFixed(2), r.ratioMax.toFixed(2), 'wall', (r.wallMs/1000).toFixed(0), 's', r.verdict, String(r.error ?? ''), ratios.join(' '));
  }
  process.exit(0);
}
void main();
