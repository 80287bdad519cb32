import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A single-broker Kafka-protocol cluster (librdkafka's mock cluster in a child process). No real broker can
 * be installed on the build machines, so this is what integration tests talk to.
 *
 * Known limits of the mock: admin CreateTopics is not supported (declare topics here), data lives only as
 * long as the process, and a consumer-group rejoin takes about 10 s.
 */
export interface KafkaMock {
  /** Bootstrap addresses, e.g. ['127.0.0.1:41035']. */
  brokers: string[];
  /** Takes the broker down: connections are dropped and refused until setUp(). Data is kept. */
  setDown(): Promise<void>;
  /** Brings the broker back after setDown(). */
  setUp(): Promise<void>;
  /** Terminates the mock; all data is lost. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface KafkaMockOptions {
  topics: Array<{ name: string; partitions?: number }>;
}

const STARTUP_TIMEOUT_MS = 15_000;
const COMMAND_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 5_000;
const INSTALL_HINT = 'install librdkafka-dev and gcc (Debian/Ubuntu: apt-get install librdkafka-dev gcc)';
const SOURCE = path.resolve(__dirname, '../../kafka-mock/kafka-mock.c');

export async function startKafkaMock(options: KafkaMockOptions): Promise<KafkaMock> {
  const args = options.topics.map(({ name, partitions = 1 }) => {
    // The launcher splits on the last ':' and topic names may not contain one, so reject early and clearly.
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(name)) throw new Error(`startKafkaMock: invalid topic name '${name}'`);
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new Error(`startKafkaMock: topic '${name}' needs a positive integer partition count, got ${partitions}`);
    }
    return `${name}:${partitions}`;
  });
  const binary = await ensureBinary();
  return launch(binary, args);
}

// --- build -------------------------------------------------------------------------------------------------

let building: Promise<string> | undefined;

/** One build per process; parallel jest workers (separate processes) are made safe by build-then-rename. */
function ensureBinary(): Promise<string> {
  building ??= buildIfStale().catch((error: unknown) => {
    // A failed build must not poison later attempts (e.g. after the developer installs the package).
    building = undefined;
    throw error;
  });
  return building;
}

async function buildIfStale(): Promise<string> {
  const outDir = path.join(findRepoRoot(), 'tmp', 'kafka-mock');
  const binary = path.join(outDir, 'kafka-mock');
  const source = await stat(SOURCE).catch(() => {
    throw new Error(`startKafkaMock: launcher source missing at ${SOURCE}`);
  });
  const built = await stat(binary).catch(() => undefined);
  if (built && built.mtimeMs >= source.mtimeMs) return binary;

  await mkdir(outDir, { recursive: true });
  // Rename is atomic within a directory, so a worker never executes another worker's half-written file.
  const temp = `${binary}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await runGcc(['-O2', '-Wall', '-o', temp, SOURCE, '-lrdkafka']);
    await rename(temp, binary);
  } finally {
    await rm(temp, { force: true });
  }
  return binary;
}

function findRepoRoot(): string {
  // Walk up rather than count '..' so the module still works if the library moves within the repo.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`startKafkaMock: no nx.json above ${__dirname}`);
  }
}

function runGcc(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const gcc = spawn('gcc', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    gcc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    gcc.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? 'gcc is not installed' : `gcc could not be started: ${error.message}`;
      reject(new Error(`startKafkaMock: ${reason}; ${INSTALL_HINT}`, { cause: error }));
    });
    gcc.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const missing = /rdkafka(_mock)?\.h|-lrdkafka|cannot find -lrdkafka/.test(stderr);
      const reason = missing ? 'librdkafka (with rdkafka_mock.h) was not found' : `gcc failed (${signal ?? `exit ${code}`})`;
      reject(new Error(`startKafkaMock: building the launcher failed: ${reason}; ${INSTALL_HINT}\n${stderr.trim()}`));
    });
  });
}

// --- run ---------------------------------------------------------------------------------------------------

function launch(binary: string, args: string[]): Promise<KafkaMock> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  // exit handlers must be synchronous; kill() is. A parent killed by a signal is covered by the launcher's
  // PR_SET_PDEATHSIG instead.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.on('exit', killOnExit);

  // 'close' rather than 'exit': it also fires when spawning failed, and only after stdout/stderr are drained,
  // so the last lines and the full stderr are in hand before anyone is told the process is gone.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void exited.then(() => process.off('exit', killOnExit));

  const lines = new LineQueue();
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  child.once('error', (error) => lines.close(`could not be started: ${error.message}`));
  child.once('close', (code, signal) => lines.close(`exited (${signal ?? `code ${code}`})`));

  const withStderr = (what: string): string => {
    const detail = stderr.trim() ? `\nstderr:\n${stderr.trim()}` : '';
    return `kafka-mock ${what}${detail}`;
  };

  const running = (): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;

  const stop = async (): Promise<void> => {
    if (!running()) return exited;
    child.kill('SIGTERM');
    // The launcher shuts down in milliseconds; a hung one must not hang the test run.
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  // Signals are sent one at a time and each waits for its acknowledgement, so lines and callers stay paired.
  let commands = Promise.resolve();
  const command = (signal: NodeJS.Signals, ack: string): Promise<void> => {
    const run = async (): Promise<void> => {
      if (!running()) throw new Error(withStderr('is not running'));
      child.kill(signal);
      const line = await lines.next(COMMAND_TIMEOUT_MS).catch((error: Error) => {
        throw new Error(withStderr(`did not acknowledge ${signal}: ${error.message}`));
      });
      if (line !== ack) throw new Error(withStderr(`answered '${line}' to ${signal}, expected '${ack}'`));
    };
    const result = commands.then(run);
    commands = result.catch(() => undefined);
    return result;
  };

  return lines.next(STARTUP_TIMEOUT_MS).then(
    (bootstrap) => ({
      brokers: bootstrap.split(',').map((broker) => broker.trim()),
      setDown: () => command('SIGUSR1', 'down'),
      setUp: () => command('SIGUSR2', 'up'),
      stop,
    }),
    async (error: Error) => {
      await stop();
      const hint = /error while loading shared libraries/.test(stderr) ? `; ${INSTALL_HINT}` : '';
      throw new Error(withStderr(`did not report its bootstrap address: ${error.message}${hint}`));
    },
  );
}

/** Lines from the launcher's stdout, handed out in order to whoever waits next. */
class LineQueue {
  private readonly buffered: string[] = [];
  private readonly waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  private closedReason: string | undefined;

  push(line: string): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(line);
    else this.buffered.push(line);
  }

  close(reason: string): void {
    this.closedReason ??= reason;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error(reason));
  }

  next(timeoutMs: number): Promise<string> {
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closedReason !== undefined) return Promise.reject(new Error(this.closedReason));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (value: string) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.push(waiter);
    });
  }
}
