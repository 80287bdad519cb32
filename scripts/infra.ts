// `npm run infra`: MariaDB, a Kafka broker and an S3 server on this machine for the integration tests and
// a distributed run, started in the background; `npm run infra -- --stop` stops what it started.
import { runningInfra, startInfra, stopInfra, type InfraState } from '@enforcement/testing';

const USAGE = `usage: npm run infra [-- options]
  (no option)        start MariaDB (installed when missing), Kafka and the S3 server; print their addresses
  --stop             stop Kafka, the S3 server, and MariaDB if this command started it
  --keep-mariadb     with --stop: leave MariaDB running
  --status           print the addresses if everything is up (exit 1 if not)
  --fresh            start with empty Kafka and S3 data
  --env              print only shell exports for the test helpers (TEST_KAFKA_BROKERS, TEST_S3_*)
  --kafka-port N     (default 9092; the controller takes N+1)
  --s3-port N        (default 9000)`;

function flag(name: string): boolean {
  return process.argv.includes(name);
}

function numberFlag(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 65534) throw new Error(`${name} needs a port number`);
  return value;
}

function describe(state: InfraState): string {
  return [
    `MariaDB   ${state.mariadb.url}            (TEST_MARIADB_URL; DATABASE_URL=${state.mariadb.url}/<database>)`,
    `Kafka     ${state.kafka.brokers.join(',')}  (KAFKA_BROKERS; topics of the registry created)`,
    `S3        ${state.s3.endpoint}  access key ${state.s3.accessKey}, secret ${state.s3.secretKey}, bucket ${state.s3.bucket} (object lock)`,
    `          MINIO_ENDPOINT=${state.s3.host} MINIO_PORT=${state.s3.port} MINIO_ACCESS_KEY=${state.s3.accessKey} MINIO_SECRET_KEY=${state.s3.secretKey}`,
  ].join('\n');
}

function exports(state: InfraState): string {
  return [
    `export TEST_MARIADB_URL=${state.mariadb.url}`,
    `export TEST_KAFKA_BROKERS=${state.kafka.brokers.join(',')}`,
    `export TEST_S3_ENDPOINT=${state.s3.endpoint}`,
    `export TEST_S3_ACCESS_KEY=${state.s3.accessKey}`,
    `export TEST_S3_SECRET_KEY=${state.s3.secretKey}`,
  ].join('\n');
}

async function main(): Promise<number> {
  if (flag('--help') || flag('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (flag('--stop')) {
    const stopped = await stopInfra({ keepMariadb: flag('--keep-mariadb') });
    console.log(stopped.length > 0 ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
    return 0;
  }
  if (flag('--status')) {
    const state = await runningInfra();
    console.log(state ? describe(state) : 'not running (npm run infra)');
    return state ? 0 : 1;
  }
  const kafkaPort = numberFlag('--kafka-port');
  const quiet = flag('--env');
  const { state, started } = await startInfra({
    kafkaPort,
    kafkaControllerPort: kafkaPort === undefined ? undefined : kafkaPort + 1,
    s3Port: numberFlag('--s3-port'),
    fresh: flag('--fresh'),
    log: (line) => (quiet ? console.error(line) : console.log(line)),
  });
  if (quiet) {
    console.log(exports(state));
    console.log(`export INFRA_STARTED=${started ? 1 : 0}`);
  } else {
    console.log(`${started ? 'started' : 'already running'}:\n${describe(state)}\nstop with: npm run infra -- --stop`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`infra: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
