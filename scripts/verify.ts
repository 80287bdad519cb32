// `npm run verify -- --archive <case.zip>` verifies a case archive offline; `npm run verify -- --case <id>`
// verifies a case against the recording service's database and object storage, configured from the
// environment as the service is. Exit code 0 intact, 1 broken, 2 usage error. The logic lives in
// services/recording/src/chain/verify-cli.ts, where it is tested.
import { runVerifyCli } from '../services/recording/src/chain/verify-cli';

runVerifyCli(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`verify: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
