import { formatDuration, parseDurationSeconds } from './duration.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for a Fortio JSON result (`fortio load -json FILE`, or the files its UI saves). */
export function isFortioResult(document: unknown): document is Record<string, unknown> {
  return isObject(document) && isObject(document['DurationHistogram']) && 'ActualQPS' in document;
}

interface Bucket {
  Start: number;
  End: number;
  Percent: number;
  Count: number;
}

/** A percentile (seconds) from Fortio's histogram buckets, interpolated inside the bucket as Fortio does. */
function percentileFromBuckets(buckets: readonly Bucket[], percentile: number): number | undefined {
  let previousPercent = 0;
  for (const bucket of buckets) {
    if (bucket.Percent >= percentile) {
      const span = bucket.Percent - previousPercent;
      const fraction = span > 0 ? (percentile - previousPercent) / span : 1;
      return bucket.Start + (bucket.End - bucket.Start) * fraction;
    }
    previousPercent = bucket.Percent;
  }
  return buckets.at(-1)?.End;
}

/** Go's RFC 3339 time with nanoseconds as an ISO string JavaScript reads exactly. */
function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const normalised = value.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const round = (value: number, digits = 6): number => Number(value.toFixed(digits));

/** An SMP document made from a Fortio result, and what it could not carry. */
export interface FortioConversion {
  readonly document: {
    performance_test_result: Record<string, unknown>;
    performance_test_config: Record<string, unknown>;
  };
  /** What the SMP document cannot carry, for the user to know. */
  readonly dropped: string[];
}

/**
 * Converts a Fortio JSON result into an SMP document the server imports: latencies (Fortio
 * writes seconds) become milliseconds, `ActualQPS` the actual QPS, `StartTime` plus
 * `ActualDuration` (nanoseconds) the start and end, `NumThreads` the connections,
 * `RequestedQPS` the rate ("max" or 0: as fast as possible), `URL` the endpoint. What SMP has
 * no field for (the exact request count, status codes, p75 and p99.9) is listed in `dropped`.
 */
export function fortioToSmp(fortio: Record<string, unknown>, labels: Record<string, string> = {}): FortioConversion {
  const histogram = fortio['DurationHistogram'] as Record<string, unknown>;
  const buckets = (Array.isArray(histogram['Data']) ? histogram['Data'] : []) as Bucket[];
  const percentiles = (Array.isArray(histogram['Percentiles']) ? histogram['Percentiles'] : []) as { Percentile: number; Value: number }[];
  const percentileMs = (p: number): number | undefined => {
    const listed = percentiles.find((x) => Math.abs(x.Percentile - p) < 1e-9)?.Value;
    const seconds = listed ?? percentileFromBuckets(buckets, p);
    return seconds === undefined ? undefined : round(seconds * 1000);
  };
  const ms = (key: string): number | undefined => (typeof histogram[key] === 'number' ? round((histogram[key] as number) * 1000) : undefined);
  const start = isoTime(fortio['StartTime']);
  const durationNs = typeof fortio['ActualDuration'] === 'number' ? (fortio['ActualDuration'] as number) : undefined;
  const end = start && durationNs !== undefined ? new Date(Date.parse(start) + durationNs / 1e6).toISOString() : undefined;
  const requested = String(fortio['RequestedQPS'] ?? '');
  const rps = Number(requested);
  const requestedDuration = typeof fortio['RequestedDuration'] === 'string' ? parseDurationSeconds(fortio['RequestedDuration']) : undefined;
  const durationSeconds = requestedDuration ?? (durationNs !== undefined ? durationNs / 1e9 : undefined);
  const payload = typeof fortio['Payload'] === 'string' && fortio['Payload'] !== '' ? Buffer.from(fortio['Payload'], 'base64').toString('utf8') : undefined;
  const method =
    typeof fortio['MethodOverride'] === 'string' && fortio['MethodOverride'] !== ''
      ? fortio['MethodOverride'].toUpperCase()
      : payload !== undefined
        ? 'POST'
        : 'GET';
  const timeoutNs = typeof fortio['HTTPReqTimeOut'] === 'number' ? (fortio['HTTPReqTimeOut'] as number) : undefined;
  const additional = {
    method,
    ...(timeoutNs ? { request_timeout_seconds: timeoutNs / 1e9 } : {}),
    load_model: Number.isFinite(rps) && rps > 0 ? 'open-loop' : 'closed-loop',
  };
  const name =
    typeof fortio['Labels'] === 'string' && fortio['Labels'].trim() !== ''
      ? fortio['Labels'].trim()
      : `Fortio ${typeof fortio['ID'] === 'string' ? fortio['ID'] : (start ?? '')}`.trim();
  const client: Record<string, unknown> = {
    internal: false,
    load_generator: 'fortio',
    protocol: 'http',
    ...(typeof fortio['NumThreads'] === 'number' ? { connections: fortio['NumThreads'] } : {}),
    ...(Number.isFinite(rps) && rps > 0 ? { rps } : {}),
    ...(typeof fortio['URL'] === 'string' ? { endpoint_urls: [fortio['URL']] } : {}),
    ...(payload !== undefined ? { body: payload } : {}),
    ...(typeof fortio['ContentType'] === 'string' && fortio['ContentType'] !== '' ? { content_type: fortio['ContentType'] } : {}),
    additional_options: JSON.stringify(additional),
  };
  const latencies = Object.fromEntries(
    Object.entries({
      min: ms('Min'),
      average: ms('Avg'),
      p50: percentileMs(50),
      p90: percentileMs(90),
      p99: percentileMs(99),
      max: ms('Max'),
    }).filter(([, v]) => v !== undefined),
  );
  const dropped: string[] = [];
  if (typeof histogram['Count'] === 'number') dropped.push(`the exact request count (${histogram['Count']}; the server derives it from QPS × duration)`);
  if (isObject(fortio['RetCodes'])) {
    dropped.push(`the status codes (${Object.entries(fortio['RetCodes']).map(([code, n]) => `${code}: ${String(n)}`).join(', ')})`);
  }
  if (percentiles.some((p) => p.Percentile === 75 || p.Percentile === 99.9)) dropped.push('p75 and p99.9 (SMP has p50, p90 and p99 only)');
  return {
    document: {
      performance_test_result: {
        smp_version: 'v0.0.1',
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
        ...(start ? { start_time: start } : {}),
        ...(end ? { end_time: end } : {}),
        latencies_ms: latencies,
        ...(typeof fortio['ActualQPS'] === 'number' ? { actual_qps: round(fortio['ActualQPS'] as number) } : {}),
      },
      performance_test_config: {
        smp_version: 'v0.0.1',
        name,
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
        clients: [client],
        ...(durationSeconds !== undefined ? { duration: formatDuration(durationSeconds) } : {}),
      },
    },
    dropped,
  };
}
