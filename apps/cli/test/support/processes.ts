import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
export const serverMain = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));

const tempDirs: string[] = [];

/** A fresh directory under the system's temp directory, removed by {@link removeTempDirs}. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** What a CLI run printed, how it exited and how long it took. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

/** A CLI process still running: what it printed so far, and how it ends. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr matches `pattern`; rejects after `timeoutMs` or when the process ends first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  readonly done: Promise<CliRun>;
}

/**
 * Starts the built CLI (`node apps/cli/dist/main.js ...`) as a process, with only the environment
 * given (plus PATH), and kills it if it outlives `killAfterMs`: a test never hangs on it.
 */
export function spawnCli(args: readonly string[], env: Record<string, string>, { killAfterMs = 30_000, stdin }: { killAfterMs?: number; stdin?: string } = {}): CliProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [cliMain, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const onOutput = () => {
    for (const check of waiters) check();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onOutput();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onOutput();
  });
  child.stdin.end(stdin ?? '');
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const done = new Promise<CliRun>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      onOutput();
      resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
  let ended = false;
  void done.then(() => (ended = true));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no ${pattern} within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
        const finish = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) finish();
          else if (ended || child.exitCode !== null || child.signalCode !== null) finish(new Error(`the CLI ended before printing ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Runs the built CLI to its end (see {@link spawnCli}). */
export function runCli(args: readonly string[], env: Record<string, string>, options: { killAfterMs?: number; stdin?: string } = {}): Promise<CliRun> {
  return spawnCli(args, env, options).done;
}

/** A server process started for a test. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node apps/server/dist/main.js` on a free port with its own data directory. */
export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = await tempDir('meshery-cli-server-');
  const child = spawn(process.execPath, [serverMain], {
    env: { PATH: process.env['PATH'] ?? '', HOME: dataDir, MESHERY_DATA_DIR: dataDir, MESHERY_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within 30 s:\n${output}`));
    }, 30_000);
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/\S+) /.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
