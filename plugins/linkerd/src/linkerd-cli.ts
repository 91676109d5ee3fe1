import { PluginError, type OperationContext } from '@meshery/plugin-api';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n').slice(-2000);
}

/**
 * Runs `fn` with a private working directory (mode 0700) that holds an empty kubeconfig, so the
 * CLI can never reach a cluster, and removes the directory afterwards whatever happens — it may
 * hold certificate keys.
 */
export async function withPrivateDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshery-linkerd-'));
  try {
    await chmod(dir, 0o700);
    await writeFile(path.join(dir, 'kubeconfig'), '', { mode: 0o600 });
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes a file only its owner can read (certificates and keys). */
export async function writePrivateFile(dir: string, name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content, { mode: 0o600 });
  return file;
}

/** The linkerd CLI of one release, run without a shell and without any cluster access. */
export class LinkerdCli {
  constructor(
    readonly executable: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Runs the CLI in `dir` (from {@link withPrivateDir}) with `KUBECONFIG` pointing at its empty
   * kubeconfig, and returns its standard output. Aborting `ctx.signal` kills it (`CANCELLED`); it
   * is killed after the timeout (`TIMEOUT`); a non-zero exit is a `PRECONDITION_FAILED` carrying
   * the end of its standard error.
   */
  run(args: readonly string[], dir: string, ctx: Pick<OperationContext, 'signal'>): Promise<string> {
    const command = `linkerd ${args.join(' ')}`;
    if (ctx.signal.aborted) return Promise.reject(new PluginError('CANCELLED', `${command} was not run: the operation was cancelled`));
    return new Promise((resolve, reject) => {
      execFile(
        this.executable,
        [...args],
        {
          cwd: dir,
          env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', HOME: dir, KUBECONFIG: path.join(dir, 'kubeconfig') },
          timeout: this.timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: MAX_OUTPUT_BYTES,
          signal: ctx.signal,
          windowsHide: true,
        },
        (error, stdout, stderr) => {
          if (!error) {
            resolve(stdout);
            return;
          }
          const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number | null };
          if (ctx.signal.aborted || failure.name === 'AbortError') {
            reject(new PluginError('CANCELLED', `${command} was stopped: the operation was cancelled`, { remediation: 'Run the operation again to continue.' }));
          } else if (failure.code === 'ENOENT' || failure.code === 'EACCES') {
            reject(
              new PluginError('PRECONDITION_FAILED', `The linkerd CLI at ${this.executable} cannot be run (${failure.code})`, {
                probableCause: 'The file does not exist or is not executable.',
                remediation: 'Check the plugin\'s "cliPath" configuration, or remove it to let the plugin download the CLI.',
              }),
            );
          } else if (failure.killed) {
            reject(
              new PluginError('TIMEOUT', `${command} did not finish within ${Math.round(this.timeoutMs / 1000)} s and was stopped`, {
                probableCause: 'The CLI hangs, or the machine is overloaded.',
                remediation: 'Raise the plugin\'s "cliTimeoutSeconds" setting, or run the same command by hand to see what it waits for.',
              }),
            );
          } else {
            const detail = tail(String(stderr || stdout || failure.message));
            reject(
              new PluginError('PRECONDITION_FAILED', `${command} failed (exit code ${String(failure.code)}): ${detail}`, {
                probableCause: 'The linkerd CLI refused the arguments or the certificates it was given.',
                remediation: `Read the CLI's message above; run "${path.basename(this.executable)} ${args.join(' ')}" by hand with the same files to look closer.`,
              }),
            );
          }
        },
      );
    });
  }

  /** The CLI's own version (`linkerd version --client --short`), e.g. `stable-2.14.10`. */
  async version(dir: string, ctx: Pick<OperationContext, 'signal'>): Promise<string> {
    const out = await this.run(['version', '--client', '--short'], dir, ctx);
    const lines = out.trim().split('\n').map((line) => line.trim()).filter(Boolean);
    return lines[lines.length - 1] ?? '';
  }
}
