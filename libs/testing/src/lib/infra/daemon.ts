import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import * as net from 'node:net';

/**
 * A server process the tests or `npm run infra` start (a JVM, a Go binary). Attached ones die with the
 * process that started them, even when it is killed: `setpriv --pdeathsig` asks the kernel to send SIGKILL
 * when the parent goes. Detached ones outlive it and write to a log file.
 */
export interface Daemon {
  readonly pid: number;
  /** Everything the process printed so far (attached) or the log file's path (detached). */
  output(): string;
  running(): boolean;
  /** SIGKILL, as a crash or an operator's kill -9 would. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
  readonly exited: Promise<void>;
}

export interface DaemonOptions {
  name: string;
  env?: Record<string, string>;
  cwd?: string;
  /** Outlive this process, printing into this file. */
  detachedLog?: string;
}

const PDEATHSIG = '/usr/bin/setpriv';

export function spawnDaemon(command: string, args: string[], options: DaemonOptions): Daemon {
  const env = { ...process.env, ...options.env };
  let child: ChildProcess;
  let output = '';
  if (options.detachedLog) {
    const fd = openSync(options.detachedLog, 'a');
    child = spawn(command, args, { cwd: options.cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child.unref();
  } else {
    const [file, fullArgs] = existsSync(PDEATHSIG) ? [PDEATHSIG, ['--pdeathsig', 'SIGKILL', '--', command, ...args]] : [command, args];
    child = spawn(file, fullArgs, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      // Keep the tail only: a long-running broker must not grow the test process without bound.
      output = (output + chunk.toString()).slice(-64_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      output += `\n${options.name} could not be started: ${error.message}`;
      resolve();
    });
  });
  // exit handlers must be synchronous; kill() is.
  const killOnExit = (): void => void child.kill('SIGKILL');
  if (!options.detachedLog) {
    process.on('exit', killOnExit);
    void exited.then(() => process.off('exit', killOnExit));
  }
  const running = (): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? -1,
    output: () => (options.detachedLog ? `(see ${options.detachedLog})` : output),
    running,
    exited,
    kill: async () => {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    stop: async (graceMs = 15_000) => {
      if (!running()) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on the port. */
export function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `ready` until it resolves true, failing early when the process died. */
export async function waitUntilReady(
  daemon: Pick<Daemon, 'running' | 'output'> & { name: string },
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!daemon.running()) throw new Error(`${daemon.name} exited while starting:\n${daemon.output()}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${daemon.name} was not ready after ${timeoutMs} ms:\n${daemon.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
