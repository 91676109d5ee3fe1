import type { LatencySummaryMs, SerializedHistogram } from '@meshery/plugin-api';
import hdr from 'hdr-histogram-js';

/** Histogram range and precision, in microseconds (part of the serialised result). */
export const HISTOGRAM_LOWEST_US = 1;
export const HISTOGRAM_HIGHEST_US = 60_000_000;
export const HISTOGRAM_SIGNIFICANT_DIGITS = 3;

/** Highest HTTP status code kept apart; autocannon's parser accepts any three digits. */
const STATUS_SLOTS = 1000;

/**
 * Everything measured in one phase (warm-up or measure) of a load test.
 *
 * The per-response path ({@link recordResponse}) is kept to a handful of arithmetic operations
 * and one histogram record, because it runs for every response at tens of thousands per second.
 */
export class PhaseStats {
  /** Latency of every response in whole microseconds (pure-JS HdrHistogram, 32-bit counts). */
  readonly histogram = hdr.build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: HISTOGRAM_LOWEST_US,
    highestTrackableValue: HISTOGRAM_HIGHEST_US,
    numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
  /** Responses received (any status). */
  responses = 0;
  /** Response bytes (headers and body) as autocannon counts them. */
  bytesRead = 0;
  /** Bytes of the requests handed to sockets that did connect. */
  bytesWritten = 0;
  /** Requests that got no response: connection errors and timeouts. */
  errors = 0;
  timeouts = 0;
  readonly errorsByType: Record<string, number> = {};
  /** Responses by status code, indexed by the code. */
  private readonly statusCounts = new Float64Array(STATUS_SLOTS);
  /** Monotonic start and end of the phase (ns) and its wall-clock start and end (ms). */
  startedNs = 0n;
  endedNs: bigint | undefined;
  startedAtMs = 0;
  endedAtMs: number | undefined;

  constructor(readonly name: 'warmup' | 'measure') {}

  /** Starts the phase clock. */
  start(nowNs: bigint, nowMs: number): void {
    this.startedNs = nowNs;
    this.startedAtMs = nowMs;
  }

  /** Stops the phase clock (once). */
  end(nowNs: bigint, nowMs: number): void {
    if (this.endedNs !== undefined) return;
    this.endedNs = nowNs;
    this.endedAtMs = nowMs;
  }

  /**
   * One response: `responseTimeMs` is autocannon's figure, milliseconds with nanosecond
   * resolution (from `process.hrtime`), recorded to the nearest microsecond.
   */
  recordResponse(statusCode: number, resBytes: number, responseTimeMs: number): void {
    let us = Math.round(responseTimeMs * 1000);
    if (us < HISTOGRAM_LOWEST_US) us = HISTOGRAM_LOWEST_US;
    else if (us > HISTOGRAM_HIGHEST_US) us = HISTOGRAM_HIGHEST_US;
    this.histogram.recordValue(us);
    this.responses++;
    this.bytesRead += resBytes;
    if (statusCode >= 0 && statusCode < STATUS_SLOTS) this.statusCounts[statusCode]++;
  }

  /** One request that got no response, keyed by its cause (an error code, or `timeout`). */
  recordError(type: string, isTimeout: boolean): void {
    this.errors++;
    if (isTimeout) this.timeouts++;
    this.errorsByType[type] = (this.errorsByType[type] ?? 0) + 1;
  }

  /** Seconds the phase lasted (so far, when still running). */
  durationSeconds(nowNs: bigint): number {
    return Number((this.endedNs ?? nowNs) - this.startedNs) / 1e9;
  }

  /** Latency at a percentile in milliseconds, or `null` before the first response. */
  percentileMs(percentile: number): number | null {
    if (this.histogram.totalCount === 0) return null;
    return this.clampUs(this.histogram.getValueAtPercentile(percentile)) / 1000;
  }

  /** Response counts by status code, e.g. `{ "200": 9990 }`. */
  statusCodes(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (let code = 0; code < STATUS_SLOTS; code++) {
      const count = this.statusCounts[code] ?? 0;
      if (count > 0) counts[String(code)] = count;
    }
    return counts;
  }

  /** Latency statistics in milliseconds, `null` when no response was received. */
  latencySummaryMs(): LatencySummaryMs | null {
    const h = this.histogram;
    if (h.totalCount === 0) return null;
    const at = (p: number) => this.clampUs(h.getValueAtPercentile(p)) / 1000;
    return {
      min: h.minNonZeroValue / 1000,
      mean: h.mean / 1000,
      stddev: h.stdDeviation / 1000,
      p50: at(50),
      p75: at(75),
      p90: at(90),
      p99: at(99),
      p999: at(99.9),
      max: h.maxValue / 1000,
    };
  }

  /** The histogram in the HdrHistogram V2 compressed encoding, base64. */
  serializedHistogram(): SerializedHistogram {
    return {
      encoding: 'hdrhistogram-v2-compressed-base64',
      unit: 'microseconds',
      lowestDiscernibleValue: HISTOGRAM_LOWEST_US,
      highestTrackableValue: HISTOGRAM_HIGHEST_US,
      significantDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
      data: hdr.encodeIntoCompressedBase64(this.histogram),
    };
  }

  /**
   * HdrHistogram reports a percentile as the highest value of its bucket (up to 0.1 % above what
   * was recorded); the exact recorded minimum and maximum bound it.
   */
  private clampUs(valueUs: number): number {
    const h = this.histogram;
    return Math.min(Math.max(valueUs, h.minNonZeroValue), h.maxValue);
  }
}
