import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export { freePort } from '@enforcement/testing';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface RunningProcess {
  readonly pid: number;
  output(): string;
  running(): boolean;
  /** SIGTERM, then SIGKILL after 10 s: a graceful stop, as an orchestrator does it. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies at once, mid-request, as on a crash. */
  kill(): Promise<void>;
  readonly exited: Promise<void>;
}

/** Starts a Node script of the repo as its own process, as an operator would. */
export function startNodeProcess(args: string[], env: Record<string, string>): RunningProcess {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // The tail is enough to explain a failure; a long-running service must not grow the test process.
  const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-200_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.on('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  return {
    pid: child.pid ?? -1,
    output: () => output,
    running,
    exited,
    stop: async () => {
      if (running()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    kill: async () => {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function waitForHealthy(url: string, processes: RunningProcess, timeoutMs = 90_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return await response.json();
    } catch {
      // not listening yet
    }
    if (!processes.running()) throw new Error(`${url} exited before it became healthy; output:\n${processes.output()}`);
    if (Date.now() > deadline) throw new Error(`${url} did not become healthy; output:\n${processes.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
