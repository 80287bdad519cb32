// `npm run rotate-field-key -- --service certificates|recording|publicity [--batch-size N] [--after <id>]` (or the
// service named alone: `npm run rotate-field-key -- publicity`) re-encrypts a
// service's encrypted columns and recomputes their blind indexes under the current key, configured from the
// environment exactly as the service is (FIELD_ENCRYPTION_KEY, FIELD_ENCRYPTION_PREVIOUS_KEYS, DATABASE_URL or
// DATA_DIR). Idempotent: run it again after a stop, it only reads what is done. See docs/operations.md.
// Exit code 0 done, 1 some values under a key that is not configured, 2 usage or configuration error.
import { formatRotationReport, type RotationOptions } from '@enforcement/field-cipher';
import { ConfigError } from '@enforcement/service-runtime';
import { rotateCertificatesFieldKey } from '../services/certificates/src/key-rotation/rotate-field-key';
import { rotatePublicityFieldKey } from '../services/publicity/src/key-rotation/rotate-field-key';
import { rotateRecordingFieldKey } from '../services/recording/src/crypto/rotate-field-key';

const USAGE = `usage: npm run rotate-field-key -- [--service] certificates|recording|publicity [--batch-size 500] [--after <row id>]`;
const SERVICES = {
  certificates: rotateCertificatesFieldKey,
  recording: rotateRecordingFieldKey,
  publicity: rotatePublicityFieldKey,
} as const;

function isService(name: string | undefined): name is keyof typeof SERVICES {
  return name !== undefined && Object.prototype.hasOwnProperty.call(SERVICES, name);
}

function parse(argv: readonly string[]): { service: keyof typeof SERVICES; options: RotationOptions } {
  let service: string | undefined;
  const options: RotationOptions = {};
  for (let index = 0; index < argv.length; index++) {
    const value = () => {
      const next = argv[++index];
      if (next === undefined || next.startsWith('--')) throw new Error(`${argv[index - 1]} needs a value`);
      return next;
    };
    const argument = argv[index];
    if (argument === '--service') service = value();
    else if (argument === '--batch-size') options.batchSize = Number(value());
    else if (argument === '--after') options.after = value();
    else if (!argument.startsWith('--') && service === undefined) service = argument;
    else throw new Error(`unknown argument ${argument}`);
  }
  if (!isService(service)) throw new Error(`give the service: ${Object.keys(SERVICES).join(', ')}`);
  return { service, options };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`rotate-field-key: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  try {
    const { reports, cipher } = await SERVICES[parsed.service](process.env, {
      ...parsed.options,
      onBatch: (progress) =>
        process.stdout.write(
          `  ${progress.table}: ${progress.rows} row(s) read, ${progress.rewritten} rewritten, up to ${progress.lastRowId}\n`,
        ),
    });
    process.stdout.write(formatRotationReport(reports, cipher));
    return reports.some((report) => report.failed.length > 0) ? 1 : 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rotate-field-key: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rotate-field-key: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
