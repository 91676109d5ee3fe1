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
  /**
   * Latency of every response in whole microseconds (pure-JS HdrHistogram, 32-bit counts). In
   * open loop it is measured from the request's intended send time.
   */
  readonly histogram = buildHistogram();
  /** Open loop only: service time (actual send to response), microseconds. */
  readonly serviceTime: Histogram | undefined;
  /** Open loop only: how late each send left (actual minus intended send time), microseconds. */
  readonly lateness: Histogram | undefined;
  /** Open loop only: requests of this phase actually sent. */
  sends = 0;
  /** Open loop only: sends that left more than {@link lateThresholdUs} late. */
  lateSends = 0;
  /** Open loop only: when the latest send of this phase left (`performance.now()` ms). */
  lastSendMs = 0;
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

  /**
   * @param openLoop whether requests follow a schedule: then the service time and the lateness
   *   of sends are kept too, and a send more than `lateThresholdUs` microseconds late counts as late.
   */
  constructor(
    readonly name: 'warmup' | 'measure',
    openLoop = false,
    private readonly lateThresholdUs = 0,
  ) {
    this.serviceTime = openLoop ? buildHistogram() : undefined;
    this.lateness = openLoop ? buildHistogram() : undefined;
  }

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
   * One response: `latencyMs` is milliseconds with sub-microsecond resolution (differences of
   * `performance.now()`), recorded to the nearest microsecond.
   */
  recordResponse(statusCode: number, resBytes: number, latencyMs: number): void {
    this.histogram.recordValue(toHistogramUs(latencyMs));
    this.responses++;
    this.bytesRead += resBytes;
    if (statusCode >= 0 && statusCode < STATUS_SLOTS) this.statusCounts[statusCode]++;
  }

  /**
   * One open-loop response: `latencyMs` from the intended send time (the corrected latency),
   * `serviceTimeMs` from the actual send.
   */
  recordScheduledResponse(statusCode: number, resBytes: number, latencyMs: number, serviceTimeMs: number): void {
    this.serviceTime!.recordValue(toHistogramUs(serviceTimeMs));
    this.recordResponse(statusCode, resBytes, latencyMs);
  }

  /** One open-loop send that left `latenessMs` after its intended time, at `nowMs`. */
  recordSend(latenessMs: number, nowMs: number, requestBytes: number): void {
    let us = Math.round(latenessMs * 1000);
    if (us < 0) us = 0;
    else if (us > HISTOGRAM_HIGHEST_US) us = HISTOGRAM_HIGHEST_US;
    this.lateness!.recordValue(us);
    if (us > this.lateThresholdUs) this.lateSends++;
    this.sends++;
    this.lastSendMs = nowMs;
    this.bytesWritten += requestBytes;
  }

  /** Requests of this phase that have ended: answered or failed. */
  get completed(): number {
    return this.responses + this.errors;
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
    return percentileUs(this.histogram, percentile) / 1000;
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
    return summaryMs(this.histogram);
  }

  /** Open loop: service-time statistics in milliseconds, `null` when no response was received. */
  serviceTimeSummaryMs(): LatencySummaryMs | null {
    return this.serviceTime ? summaryMs(this.serviceTime) : null;
  }

  /** Open loop: how late sends left, in milliseconds (all zero when nothing was sent). */
  latenessMs(): { meanMs: number; p50Ms: number; p99Ms: number; maxMs: number } {
    const h = this.lateness;
    if (!h || h.totalCount === 0) return { meanMs: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
    const at = (p: number) => Math.min(h.getValueAtPercentile(p), h.maxValue) / 1000;
    return { meanMs: h.mean / 1000, p50Ms: at(50), p99Ms: at(99), maxMs: h.maxValue / 1000 };
  }

  /** The histogram in the HdrHistogram V2 compressed encoding, base64. */
  serializedHistogram(): SerializedHistogram {
    return serialize(this.histogram);
  }

  /** Open loop: the service-time histogram, same encoding. */
  serializedServiceTimeHistogram(): SerializedHistogram {
    return serialize(this.serviceTime ?? buildHistogram());
  }
}

type Histogram = ReturnType<typeof hdr.build>;

function buildHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: HISTOGRAM_LOWEST_US,
    highestTrackableValue: HISTOGRAM_HIGHEST_US,
    numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Milliseconds to whole microseconds within the histogram's range. */
function toHistogramUs(ms: number): number {
  const us = Math.round(ms * 1000);
  if (us < HISTOGRAM_LOWEST_US) return HISTOGRAM_LOWEST_US;
  if (us > HISTOGRAM_HIGHEST_US) return HISTOGRAM_HIGHEST_US;
  return us;
}

/**
 * Statistics of a histogram in milliseconds, `null` when it is empty. HdrHistogram reports a
 * percentile as the highest value of its bucket (up to 0.1 % above what was recorded); the exact
 * recorded minimum and maximum bound it.
 */
function summaryMs(h: Histogram): LatencySummaryMs | null {
  if (h.totalCount === 0) return null;
  const at = (p: number) => percentileUs(h, p) / 1000;
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

/** A percentile in microseconds, bounded by the exact recorded minimum and maximum. */
function percentileUs(h: Histogram, percentile: number): number {
  return Math.min(Math.max(h.getValueAtPercentile(percentile), h.minNonZeroValue), h.maxValue);
}

function serialize(h: Histogram): SerializedHistogram {
  return {
    encoding: 'hdrhistogram-v2-compressed-base64',
    unit: 'microseconds',
    lowestDiscernibleValue: HISTOGRAM_LOWEST_US,
    highestTrackableValue: HISTOGRAM_HIGHEST_US,
    significantDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
    data: hdr.encodeIntoCompressedBase64(h),
  };
}
