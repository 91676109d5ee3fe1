import type { OperationContext } from './operation.js';

/**
 * HTTP methods a load test may use.
 *
 * @example
 * ```ts
 * const method: HttpMethod = 'POST';
 * ```
 */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/**
 * Every {@link HttpMethod}.
 *
 * @example
 * ```ts
 * HTTP_METHODS.includes(input.toUpperCase() as HttpMethod);
 * ```
 */
export const HTTP_METHODS: readonly HttpMethod[] = Object.freeze([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);

/**
 * How load is offered.
 * - `closed-loop`: N connections each send the next request as soon as the previous answer
 *   arrives (maximum rate the target sustains).
 * - `open-loop`: requests are scheduled at a target rate whatever the target does.
 *
 * @example
 * ```ts
 * const model: LoadModel = spec.rate === undefined ? 'closed-loop' : 'open-loop';
 * ```
 */
export type LoadModel = 'closed-loop' | 'open-loop';

/**
 * What a load generator can do, shown to users and used by the host to refuse a spec the
 * generator cannot run before starting it.
 *
 * @example
 * ```ts
 * const descriptor: LoadGeneratorDescriptor = {
 *   name: 'autocannon', displayName: 'Autocannon', engineVersion: '9.0.0',
 *   protocols: ['http', 'https'], methods: [...HTTP_METHODS], loadModels: ['closed-loop', 'open-loop'],
 *   maxConnections: 10_000, maxRate: 1_000_000, supportsWarmup: true,
 * };
 * ```
 */
export interface LoadGeneratorDescriptor {
  /** Unique within the plugin, e.g. `autocannon`; users pick a generator by this name. */
  readonly name: string;
  readonly displayName: string;
  /** Version of the engine doing the work (e.g. the autocannon package version). */
  readonly engineVersion: string;
  readonly protocols: readonly ('http' | 'https')[];
  readonly methods: readonly HttpMethod[];
  readonly loadModels: readonly LoadModel[];
  /** Largest number of concurrent connections supported. */
  readonly maxConnections: number;
  /** Largest target rate (requests per second) supported in open loop. */
  readonly maxRate?: number;
  /** Whether a warm-up phase, excluded from the result, is supported. */
  readonly supportsWarmup: boolean;
}

/**
 * One load test as the host hands it to a generator, already validated (URL scheme, ranges,
 * header syntax) against the generator's descriptor.
 *
 * @example
 * ```ts
 * const spec: LoadTestSpec = {
 *   url: 'http://127.0.0.1:8080/', method: 'GET', headers: {}, connections: 10,
 *   durationSeconds: 30, warmupSeconds: 0, requestTimeoutSeconds: 10,
 * };
 * ```
 */
export interface LoadTestSpec {
  readonly url: string;
  readonly method: HttpMethod;
  /** Header names as the user gave them; values as-is. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Sent as `content-type` unless `headers` has one. */
  readonly contentType?: string;
  readonly connections: number;
  /** Length of the measured phase, after any warm-up. */
  readonly durationSeconds: number;
  /** Target requests per second over all connections (open loop); absent for closed loop. */
  readonly rate?: number;
  /** Warm-up before measuring; its requests are not in the result. */
  readonly warmupSeconds: number;
  /** A request not answered within this many seconds counts as a timeout. */
  readonly requestTimeoutSeconds: number;
}

/**
 * A progress sample a generator emits at least once a second while it runs.
 *
 * @example
 * ```ts
 * ctx.emit({ type: 'progress', phase: 'measure', elapsedSeconds: 3, requests: 30000, errors: 0,
 *   currentRps: 10012, latencyP50Ms: 0.41, latencyP99Ms: 1.9 });
 * ```
 */
export interface LoadTestProgress {
  readonly type: 'progress';
  readonly phase: 'warmup' | 'measure';
  /** Seconds since the test (including warm-up) started. */
  readonly elapsedSeconds: number;
  /** Responses received so far in the current phase. */
  readonly requests: number;
  /** Failed requests (connection errors and timeouts) so far in the current phase. */
  readonly errors: number;
  /** Responses per second over the last sampling interval. */
  readonly currentRps: number;
  /** Median latency so far in the phase, `null` before the first response. */
  readonly latencyP50Ms: number | null;
  /** 99th-percentile latency so far in the phase, `null` before the first response. */
  readonly latencyP99Ms: number | null;
}

/**
 * Latency statistics in milliseconds (fractions allowed).
 *
 * @example
 * ```ts
 * const p99 = result.latencyMs?.p99;
 * ```
 */
export interface LatencySummaryMs {
  readonly min: number;
  readonly mean: number;
  readonly stddev: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/**
 * A latency histogram in the HdrHistogram V2 compressed encoding, base64 text, with values in
 * microseconds. Any HdrHistogram implementation can decode, merge and re-chart it.
 *
 * @example
 * ```ts
 * import * as hdr from 'hdr-histogram-js';
 * const histogram = hdr.decodeFromCompressedBase64(result.histogram.data);
 * ```
 */
export interface SerializedHistogram {
  readonly encoding: 'hdrhistogram-v2-compressed-base64';
  readonly unit: 'microseconds';
  readonly lowestDiscernibleValue: number;
  readonly highestTrackableValue: number;
  readonly significantDigits: number;
  readonly data: string;
}

/**
 * How well an open-loop schedule was kept, and what the target did without the correction for
 * coordinated omission. In open loop `latencyMs` and `histogram` are measured from each
 * request's *intended* send time, so a stalled target shows in them; these fields add the raw
 * service time and the generator's own lateness.
 *
 * @example
 * ```ts
 * if (result.openLoop && result.openLoop.lateSends > 0) {
 *   console.warn(`${result.openLoop.lateSends} sends were late by up to ${result.openLoop.lateness.maxMs} ms`);
 * }
 * ```
 */
export interface OpenLoopStats {
  /** Requests per second the schedule asked for. */
  readonly targetRate: number;
  /** Requests per second actually sent over the measured phase. */
  readonly achievedRate: number;
  /** Sends scheduled in the measured phase. */
  readonly scheduledSends: number;
  /** Sends that left later than their intended time by more than `lateThresholdMs`. */
  readonly lateSends: number;
  /** The lateness that counts a send as late (no free connection, or a busy event loop). */
  readonly lateThresholdMs: number;
  /** How late sends left, over all sends of the measured phase. */
  readonly lateness: { readonly meanMs: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  /** Service time (actual send to response), without the correction; `null` with no response. */
  readonly serviceTimeMs: LatencySummaryMs | null;
  /** Histogram of the service time, same encoding as `LoadTestResult.histogram`. */
  readonly serviceTimeHistogram: SerializedHistogram;
  /**
   * How long the generator's own thread was held up during the measured phase (garbage
   * collection, a CPU taken by other work), sampled every 10 ms: responses that arrived while it
   * was are recorded late by up to this much. Absent when the generator does not measure it.
   */
  readonly generatorDelayMs?: { readonly p99Ms: number; readonly maxMs: number };
}

/**
 * The measured outcome of a load test (the warm-up excluded). When the test was cancelled the
 * result holds what was measured until then and `cancelled` is true.
 *
 * @example
 * ```ts
 * console.log(`${result.throughputRps.toFixed(0)} req/s, p99 ${result.latencyMs?.p99} ms`);
 * ```
 */
export interface LoadTestResult {
  /** ISO-8601 start of the measured phase. */
  readonly startedAt: string;
  /** ISO-8601 end of the measured phase. */
  readonly endedAt: string;
  readonly measuredDurationSeconds: number;
  readonly loadModel: LoadModel;
  /** Responses received (any status). */
  readonly requests: number;
  /** Responses per second over the measured phase. */
  readonly throughputRps: number;
  /** Latency statistics; `null` when no response was received. */
  readonly latencyMs: LatencySummaryMs | null;
  readonly histogram: SerializedHistogram;
  /** Response counts by HTTP status code, e.g. `{ "200": 9990, "503": 10 }`. */
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Requests that got no response (connection errors and timeouts). */
  readonly errors: number;
  /** `errors` broken down by cause, e.g. `{ "ECONNREFUSED": 12, "timeout": 3 }`. */
  readonly errorsByType: Readonly<Record<string, number>>;
  readonly timeouts: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly engine: { readonly name: string; readonly version: string };
  readonly cancelled: boolean;
  /** Open loop only: the schedule kept and the uncorrected service time. */
  readonly openLoop?: OpenLoopStats;
}

/**
 * The load-generator extension point. `run` must honour `ctx.signal` (stop within a second and
 * resolve with the partial result, `cancelled: true`), emit a progress sample at least every
 * second, and count failing requests rather than throw for them. It throws a `PluginError` only
 * when the test cannot run at all.
 *
 * @example
 * ```ts
 * @injectable()
 * export class MyGenerator implements LoadGenerator {
 *   readonly descriptor = myDescriptor;
 *   async run(spec: LoadTestSpec, ctx: OperationContext<LoadTestProgress>) {
 *     return measure(spec, ctx);
 *   }
 * }
 * ```
 */
export interface LoadGenerator {
  readonly descriptor: LoadGeneratorDescriptor;
  run(spec: LoadTestSpec, ctx: OperationContext<LoadTestProgress>): Promise<LoadTestResult>;
}
