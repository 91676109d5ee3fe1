/**
 * The closed set of error codes a plugin may raise. The host maps each to a GraphQL error
 * extension and to operation events, so clients can branch on them.
 *
 * - `INVALID_REQUEST`: the caller asked for something malformed or out of range.
 * - `UNSUPPORTED_VERSION`: a version (of a mesh, a spec, a target) the plugin does not handle.
 * - `CLUSTER_UNREACHABLE`: the Kubernetes API server (or another remote) could not be reached.
 * - `PRECONDITION_FAILED`: the world is not in the state the action needs (e.g. already installed).
 * - `TIMEOUT`: the action did not finish in its time budget.
 * - `CANCELLED`: the action was aborted through its `AbortSignal`.
 * - `INTERNAL`: a bug or an unexpected failure inside the plugin.
 *
 * @example
 * ```ts
 * const code: PluginErrorCode = 'PRECONDITION_FAILED';
 * ```
 */
export type PluginErrorCode =
  | 'INVALID_REQUEST'
  | 'UNSUPPORTED_VERSION'
  | 'CLUSTER_UNREACHABLE'
  | 'PRECONDITION_FAILED'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'INTERNAL';

/**
 * Every {@link PluginErrorCode}, in a stable order, for validation and documentation.
 *
 * @example
 * ```ts
 * PLUGIN_ERROR_CODES.includes(value as PluginErrorCode);
 * ```
 */
export const PLUGIN_ERROR_CODES: readonly PluginErrorCode[] = Object.freeze([
  'INVALID_REQUEST',
  'UNSUPPORTED_VERSION',
  'CLUSTER_UNREACHABLE',
  'PRECONDITION_FAILED',
  'TIMEOUT',
  'CANCELLED',
  'INTERNAL',
]);

/**
 * What a user needs besides the message to act on an error.
 *
 * @example
 * ```ts
 * const details: PluginErrorDetails = {
 *   probableCause: 'The target refused the connection.',
 *   remediation: 'Check that the service listens on the URL given.',
 * };
 * ```
 */
export interface PluginErrorDetails {
  /** Why this most likely happened, in the user's terms. */
  readonly probableCause?: string;
  /** What the user can do about it. */
  readonly remediation?: string;
  /** The input field at fault, for `INVALID_REQUEST` (e.g. `spec.url`). */
  readonly field?: string;
}

/**
 * The plain-data form of a {@link PluginError}: what crosses a worker-thread boundary and what
 * the host stores with a failed operation.
 *
 * @example
 * ```ts
 * const data: SerializedPluginError = { name: 'PluginError', code: 'TIMEOUT', message: 'Took too long' };
 * ```
 */
export interface SerializedPluginError extends PluginErrorDetails {
  readonly name: 'PluginError';
  readonly code: PluginErrorCode;
  readonly message: string;
}

/**
 * The one error type plugins throw. Anything else a plugin throws is reported as `INTERNAL`.
 *
 * @example
 * ```ts
 * throw new PluginError('INVALID_REQUEST', 'Duration must be at least 1 second', {
 *   field: 'durationSeconds',
 *   probableCause: 'A duration of 0 was given.',
 *   remediation: 'Set durationSeconds to 1 or more.',
 * });
 * ```
 */
export class PluginError extends Error implements PluginErrorDetails {
  readonly code: PluginErrorCode;
  readonly probableCause?: string;
  readonly remediation?: string;
  readonly field?: string;

  constructor(code: PluginErrorCode, message: string, details: PluginErrorDetails = {}) {
    super(message);
    this.name = 'PluginError';
    this.code = code;
    if (details.probableCause !== undefined) this.probableCause = details.probableCause;
    if (details.remediation !== undefined) this.remediation = details.remediation;
    if (details.field !== undefined) this.field = details.field;
  }

  /**
   * Turns any thrown value into a `PluginError`, keeping a `PluginError` as it is and wrapping
   * anything else as `INTERNAL` with its message.
   *
   * @example
   * ```ts
   * try { await work(); } catch (e) { const err = PluginError.from(e); console.log(err.code); }
   * ```
   */
  static from(error: unknown): PluginError {
    if (error instanceof PluginError) return error;
    if (isSerializedPluginError(error)) return PluginError.fromJSON(error);
    const message = error instanceof Error ? error.message : String(error);
    return new PluginError('INTERNAL', message, {
      probableCause: 'An unexpected error inside the plugin.',
      remediation: 'Check the server log for the stack trace and report it to the plugin author.',
    });
  }

  /**
   * Rebuilds a `PluginError` from its plain-data form.
   *
   * @example
   * ```ts
   * const err = PluginError.fromJSON(JSON.parse(text));
   * ```
   */
  static fromJSON(data: SerializedPluginError): PluginError {
    return new PluginError(data.code, data.message, data);
  }

  /**
   * The plain-data form of this error.
   *
   * @example
   * ```ts
   * port.postMessage({ ok: false, error: err.toJSON() });
   * ```
   */
  toJSON(): SerializedPluginError {
    return {
      name: 'PluginError',
      code: this.code,
      message: this.message,
      ...(this.probableCause !== undefined ? { probableCause: this.probableCause } : {}),
      ...(this.remediation !== undefined ? { remediation: this.remediation } : {}),
      ...(this.field !== undefined ? { field: this.field } : {}),
    };
  }
}

/**
 * Whether a value is the plain-data form of a {@link PluginError}.
 *
 * @example
 * ```ts
 * if (isSerializedPluginError(reply.error)) throw PluginError.fromJSON(reply.error);
 * ```
 */
export function isSerializedPluginError(value: unknown): value is SerializedPluginError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate['name'] === 'PluginError' &&
    typeof candidate['message'] === 'string' &&
    PLUGIN_ERROR_CODES.includes(candidate['code'] as PluginErrorCode)
  );
}
