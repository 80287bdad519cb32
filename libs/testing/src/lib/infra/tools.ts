import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * The programs behind the real test infrastructure, fetched once per machine through the ordinary package
 * clients and cached under <repo>/tmp/tools: the Kafka broker's jars (Maven, from the pom kept beside this
 * library) and the versitygw S3 server (built by `go install` at a pinned version).
 */

export const VERSITYGW_MODULE = 'github.com/versity/versitygw/cmd/versitygw';
export const VERSITYGW_VERSION = 'v1.7.0';

const INFRA_DIR = path.resolve(__dirname, '../../../infra');
const KAFKA_POM = path.join(INFRA_DIR, 'kafka-pom.xml');
export const KAFKA_LOG4J_CONFIG = path.join(INFRA_DIR, 'kafka-log4j2.properties');

export function repoRoot(): string {
  // Walk up rather than count '..' so the module still works if the library moves within the repo.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no nx.json above ${__dirname}`);
  }
}

export function toolsDir(): string {
  return path.join(repoRoot(), 'tmp', 'tools');
}

/** One resolution per process; parallel jest workers (separate processes) are safe through write-then-rename. */
let classpath: Promise<string> | undefined;

/** The Kafka broker's Java classpath; Maven resolves it on first use (its cache makes later runs offline). */
export function kafkaClasspath(): Promise<string> {
  classpath ??= resolveClasspath().catch((error: unknown) => {
    classpath = undefined;
    throw error;
  });
  return classpath;
}

async function resolveClasspath(): Promise<string> {
  const file = path.join(toolsDir(), 'kafka-classpath.txt');
  const [pom, cached] = await Promise.all([stat(KAFKA_POM), stat(file).catch(() => undefined)]);
  if (cached && cached.mtimeMs >= pom.mtimeMs) {
    const value = (await readFile(file, 'utf8')).trim();
    // A cleaned Maven cache leaves a stale list behind; resolve again then.
    if (value.split(':').every((jar) => existsSync(jar))) return value;
  }
  await mkdir(toolsDir(), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await run('mvn', ['-q', '-B', '-f', KAFKA_POM, 'dependency:build-classpath', `-Dmdep.outputFile=${temp}`], {
    what: 'resolving the Kafka broker with Maven',
    hint: 'install Java 17+ and Maven (Debian: apt-get install openjdk-17-jre-headless maven); Maven Central must be reachable',
  });
  await rename(temp, file);
  return (await readFile(file, 'utf8')).trim();
}

let versitygw: Promise<string> | undefined;

/** Path of the versitygw binary at the pinned version, built with `go install` on first use. */
export function versitygwBinary(): Promise<string> {
  versitygw ??= installVersitygw().catch((error: unknown) => {
    versitygw = undefined;
    throw error;
  });
  return versitygw;
}

async function installVersitygw(): Promise<string> {
  const dir = path.join(toolsDir(), `versitygw-${VERSITYGW_VERSION}`);
  const binary = path.join(dir, 'versitygw');
  if (existsSync(binary)) return binary;
  const staging = `${dir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await run('go', ['install', `${VERSITYGW_MODULE}@${VERSITYGW_VERSION}`], {
      what: `building versitygw ${VERSITYGW_VERSION} with go install`,
      hint: 'install Go 1.24+ (the Go module proxy must be reachable)',
      env: { GOBIN: staging },
    });
    await rename(staging, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished first: its copy is as good as ours.
      if (!existsSync(binary)) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return binary;
}

interface RunOptions {
  what: string;
  hint: string;
  env?: Record<string, string>;
}

function run(command: string, args: string[], options: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: repoRoot(),
      // Debian's Go packages and the upstream tarball put `go` in different places.
      env: { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/local/go/bin:/usr/lib/go/bin`, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? `${command} is not installed` : error.message;
      reject(new Error(`${options.what} failed: ${reason}; ${options.hint}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      reject(new Error(`${options.what} failed (${signal ?? `exit ${code}`}); ${options.hint}\n${output.trim().slice(-4000)}`));
    });
  });
}

/** Writes a file atomically, so a concurrent reader never sees half of it. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
}
