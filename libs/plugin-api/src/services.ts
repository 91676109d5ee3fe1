/**
 * Structured fields attached to a log line. Values must be JSON-serialisable.
 *
 * @example
 * ```ts
 * const fields: LogFields = { url: 'http://127.0.0.1:8080/', connections: 10 };
 * ```
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logger a plugin receives. Lines are tagged with the plugin id (and the operation id when
 * obtained from an {@link OperationContext}).
 *
 * @example
 * ```ts
 * constructor(@inject(PluginTokens.logger) private readonly logger: PluginLogger) {}
 * // ...
 * this.logger.warn('target answered 503', { status: 503 });
 * ```
 */
export interface PluginLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * The plugin's configuration, validated by the host against the manifest's `configSchema`
 * before the plugin starts.
 *
 * @example
 * ```ts
 * const limit = config.get<number>('maxConnections') ?? 1000;
 * ```
 */
export interface PluginConfig {
  /** The value under a top-level key, or `undefined` when unset. */
  get<T = unknown>(key: string): T | undefined;
  /** The whole configuration object (a frozen copy). */
  all(): Readonly<Record<string, unknown>>;
}

/**
 * Time, behind an interface so tests can control it.
 *
 * @example
 * ```ts
 * const started = clock.now();
 * await clock.sleep(1000, ctx.signal);
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** A monotonic timestamp in nanoseconds, for measuring intervals. */
  monotonicNs(): bigint;
  /** Resolves after `ms` milliseconds, or rejects with a `CANCELLED` error when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Facts about the host and the plugin, for results' environment metadata.
 *
 * @example
 * ```ts
 * result.environment = { hostname: host.hostname, hostVersion: host.hostVersion };
 * ```
 */
export interface HostInfo {
  /** Version of the Meshery server running the plugin. */
  readonly hostVersion: string;
  /** Name of the machine the plugin runs on. */
  readonly hostname: string;
  /** `process.platform` and `process.arch`, e.g. `linux-x64`. */
  readonly platform: string;
  /** Node.js version, e.g. `v20.20.2`. */
  readonly nodeVersion: string;
  /** Number of logical CPUs. */
  readonly cpus: number;
  /** This plugin's id. */
  readonly pluginId: string;
  /** This plugin's package version. */
  readonly pluginVersion: string;
  /** A directory this plugin may write to; it persists across restarts. */
  readonly dataDir: string;
}
