import { PluginError } from '@meshery/plugin-api';
import { execFile, type ExecFileException } from 'node:child_process';
import { access, chmod, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** How a CLI run is bounded. */
export interface CliRunOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** The last lines of a CLI's error output, for error messages. */
export function stderrTail(stderr: string, lines = 8): string {
  const tail = stderr.trim().split('\n').slice(-lines).join('\n').trim();
  return tail.length > 2000 ? `…${tail.slice(-2000)}` : tail;
}

export function cancelled(): PluginError {
  return new PluginError('CANCELLED', 'The operation was cancelled', {
    remediation: 'Run it again to continue; every step is idempotent.',
  });
}

/**
 * istioctl, run without a shell and never against a cluster: `KUBECONFIG` points to an empty
 * file and `HOME` to a scratch directory, so whatever the user's kubeconfig says, the CLI only
 * renders manifests. The host's engine does every cluster change.
 */
export class Istioctl {
  /**
   * @param binary - the executable.
   * @param fromArchive - whether it was unpacked from a verified release archive into the host's
   *   cache (then a lost executable bit may be restored); a user's `cliPath` is never modified.
   */
  constructor(
    readonly binary: string,
    private readonly fromArchive: boolean,
  ) {}

  /** `istioctl version --remote=false -o json`: the client version. */
  async clientVersion(options: CliRunOptions): Promise<string> {
    const stdout = await this.run(['version', '--remote=false', '-o', 'json'], options);
    try {
      const parsed = JSON.parse(stdout) as { clientVersion?: { version?: unknown } };
      if (typeof parsed.clientVersion?.version === 'string') return parsed.clientVersion.version;
    } catch {
      // Older or unusual builds print text; read the version from it below.
    }
    const match = /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(stdout);
    if (match?.[1]) return match[1];
    throw new PluginError('PRECONDITION_FAILED', `Could not read the version from "${this.binary} version --remote=false -o json": ${stdout.slice(0, 200) || '(no output)'}`, {
      probableCause: 'The file is not istioctl, or a build that prints its version differently.',
      remediation: 'Point cliPath at an official istioctl release binary, or unset cliPath to use the release archive’s.',
    });
  }

  /** `istioctl manifest generate --set profile=default [--set k=v ...]`: the control plane's manifest. */
  async generateManifest(setArguments: readonly string[], options: CliRunOptions): Promise<string> {
    return this.run(['manifest', 'generate', '--set', 'profile=default', ...setArguments], options);
  }

  /** Runs istioctl and returns its standard output; failures are `PluginError`s. */
  async run(args: readonly string[], options: CliRunOptions): Promise<string> {
    if (options.signal.aborted) throw cancelled();
    await this.ensureExecutable();
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'meshery-istioctl-'));
    const kubeconfig = path.join(scratch, 'kubeconfig');
    await writeFile(kubeconfig, '', { mode: 0o600 });
    const command = `istioctl ${args.join(' ')}`;
    try {
      return await new Promise<string>((resolve, reject) => {
        execFile(
          this.binary,
          [...args],
          {
            env: { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', HOME: scratch, KUBECONFIG: kubeconfig },
            cwd: scratch,
            timeout: options.timeoutMs,
            killSignal: 'SIGKILL',
            maxBuffer: MAX_OUTPUT_BYTES,
            signal: options.signal,
            windowsHide: true,
          },
          (error: ExecFileException | null, stdout: string, stderr: string) => {
            if (!error) return resolve(stdout);
            reject(this.failure(command, error, stderr, options));
          },
        );
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private failure(command: string, error: ExecFileException, stderr: string, options: CliRunOptions): PluginError {
    if (options.signal.aborted || error.name === 'AbortError') return cancelled();
    if (error.code === 'ENOENT') {
      return new PluginError('PRECONDITION_FAILED', `istioctl was not found at ${this.binary}`, {
        probableCause: 'The configured cliPath does not exist, or the release archive lacks bin/istioctl.',
        remediation: 'Correct mesh-istio.cliPath, or unset it to use the istioctl of the release archive.',
      });
    }
    if (error.code === 'EACCES') {
      return new PluginError('PRECONDITION_FAILED', `istioctl at ${this.binary} cannot be run: permission denied`, {
        probableCause: 'The file is not executable by the server’s user.',
        remediation: `Make it executable (chmod +x ${this.binary}) or point cliPath at another istioctl.`,
      });
    }
    if (error.killed && !options.signal.aborted) {
      return new PluginError('TIMEOUT', `"${command}" did not finish within ${Math.round(options.timeoutMs / 1000)} s`, {
        probableCause: 'istioctl hung or the machine is overloaded.',
        remediation: 'Run the operation again, or raise mesh-istio.cliTimeoutSeconds.',
      });
    }
    const tail = stderrTail(stderr) || error.message;
    return new PluginError('PRECONDITION_FAILED', `"${command}" failed (exit ${String(error.code ?? error.signal ?? '?')}): ${tail}`, {
      probableCause: 'istioctl rejected the arguments (for example a value in the install option "set"), or the binary cannot run on this machine.',
      remediation: 'Read istioctl’s message above; correct the install options, or use a working istioctl (mesh-istio.cliPath).',
    });
  }

  /** Archives keep the executable bit, but an unpacker may drop it. */
  private async ensureExecutable(): Promise<void> {
    if (!this.fromArchive) return;
    try {
      await access(this.binary, constants.X_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // reported by the run itself
      await chmod(this.binary, 0o755).catch(() => undefined);
    }
  }
}
