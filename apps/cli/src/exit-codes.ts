/**
 * Exit codes of mesheryctl. Each kind of failure has its own code so a pipeline can tell a
 * latency budget that was exceeded from a server that could not be reached. Documented in the
 * root README ("Command line").
 */
export const ExitCode = {
  /** Everything worked (and every threshold held). */
  OK: 0,
  /** An unexpected error inside mesheryctl. */
  INTERNAL: 1,
  /** The command line is wrong: unknown command or option, bad value, unreadable input file. */
  USAGE: 2,
  /** The server could not be reached, did not answer within --timeout, or the connection was lost. */
  UNREACHABLE: 3,
  /** The server answered with an error (bad input, unknown id, missing token, ...). */
  API_ERROR: 4,
  /** The test ran, but at least one --threshold was violated (or could not be measured). */
  THRESHOLD_VIOLATED: 5,
  /** `mesh status`: the checks ran, but the mesh is not installed or a check failed (like a violated threshold). */
  NOT_HEALTHY: 5,
  /** The test failed or was interrupted on the server (no complete result). */
  RUN_FAILED: 6,
  /** A mesh operation (install, uninstall, sample app, injection) failed or was interrupted on the server. */
  OPERATION_FAILED: 6,
  /** The test was cancelled on the server by someone else. */
  RUN_CANCELLED: 7,
  /** A mesh operation was cancelled on the server by someone else. */
  OPERATION_CANCELLED: 7,
  /** The run stopped reporting progress for --stall-timeout (or a mesh operation did not end within --timeout). */
  STALLED: 8,
  /** `system start|stop` could not start or stop the local server. */
  SYSTEM: 9,
  /** Interrupted with Ctrl-C (a running test or mesh operation is cancelled on the server first). */
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Details printed under an error's message. */
export interface CliErrorDetails {
  /** Stable code, e.g. the API's extensions.code. */
  readonly code?: string;
  readonly field?: string;
  /** Why it happened. */
  readonly cause?: string;
  /** What to do about it. */
  readonly remedy?: string;
  /** Further lines (e.g. every input problem). */
  readonly lines?: readonly string[];
}

/** An error meant for the user: printed as message plus details, then the process exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
    readonly details: CliErrorDetails = {},
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A usage error (exit code 2). */
export function usageError(message: string, remedy?: string): CliError {
  return new CliError(ExitCode.USAGE, message, remedy ? { remedy } : {});
}

/** The text printed for an error, on stderr. */
export function formatError(error: CliError): string {
  const lines = [`Error: ${error.message}`];
  const { code, field, cause, remedy, lines: extra } = error.details;
  if (code) lines.push(`  code:        ${code}`);
  if (field) lines.push(`  field:       ${field}`);
  if (cause) lines.push(`  cause:       ${cause}`);
  if (remedy) lines.push(`  remediation: ${remedy}`);
  for (const line of extra ?? []) lines.push(`  ${line}`);
  return `${lines.join('\n')}\n`;
}
