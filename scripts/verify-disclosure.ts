// `npm run verify-disclosure -- --decision <file> --proof <file> --root <hex>` (or `--url <portal> --id <id>
// --root <hex>`) checks a published decision against the Merkle root published for its day, offline. Exit code 0
// verified, 1 not verified, 2 usage error. The logic lives in services/publicity/src/cli/verify-disclosure-cli.ts,
// where it is tested.
import { runVerifyDisclosureCli } from '../services/publicity/src/cli/verify-disclosure-cli';

runVerifyDisclosureCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`verify-disclosure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
