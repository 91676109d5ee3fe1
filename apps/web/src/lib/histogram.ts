import { decodeFromCompressedBase64, type JsHistogram } from 'hdr-histogram-js';

/** One recorded value of an HDR histogram: the bucket's highest equivalent value and its count. */
export interface RecordedValue {
  /** Microseconds, as the server records latencies. */
  readonly us: number;
  readonly count: number;
}

/** A decoded latency histogram, as plain data the helpers below work on. */
export interface DecodedHistogram {
  readonly values: readonly RecordedValue[];
  readonly totalCount: number;
  readonly minUs: number;
  readonly maxUs: number;
  readonly meanUs: number;
}

/**
 * Decodes the API's histogram (HdrHistogram V2, compressed, base64; values in microseconds) into
 * its recorded values.
 */
export function decodeHistogram(base64: string): DecodedHistogram {
  const histogram = decodeFromCompressedBase64(base64, 32, false) as unknown as JsHistogram;
  const values: RecordedValue[] = [];
  const iterator = histogram.recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const step = iterator.next();
    if (step.countAddedInThisIterationStep > 0) {
      values.push({ us: step.valueIteratedTo, count: step.countAddedInThisIterationStep });
    }
  }
  const decoded = {
    values,
    totalCount: histogram.totalCount,
    minUs: histogram.totalCount > 0 ? histogram.minNonZeroValue : 0,
    maxUs: histogram.maxValue,
    meanUs: histogram.mean,
  };
  histogram.destroy();
  return decoded;
}

/** Sums the counts of recorded values. */
export function totalCount(values: readonly RecordedValue[]): number {
  return values.reduce((sum, v) => sum + v.count, 0);
}

/** A point of a cumulative distribution: share of requests (0–100 %) at or below `ms`. */
export interface CdfPoint {
  readonly ms: number;
  readonly percent: number;
}

/**
 * The cumulative distribution of recorded values: for each value, the percentage of requests
 * that took at most that long. With more than `maxPoints` values, points are thinned evenly
 * (the first and the last are always kept) so charts stay light.
 */
export function cumulativeDistribution(values: readonly RecordedValue[], maxPoints = 1500): CdfPoint[] {
  const total = totalCount(values);
  if (total === 0) return [];
  const points: CdfPoint[] = [];
  let running = 0;
  for (const v of values) {
    running += v.count;
    points.push({ ms: v.us / 1000, percent: (running / total) * 100 });
  }
  if (points.length <= maxPoints) return points;
  const step = (points.length - 1) / (maxPoints - 1);
  const thinned: CdfPoint[] = [];
  for (let i = 0; i < maxPoints; i += 1) thinned.push(points[Math.round(i * step)]!);
  return thinned;
}

/**
 * The value at a percentile (0–100), as HdrHistogram defines it: the smallest recorded value
 * with at least that share of requests at or below it. In milliseconds; null for no data.
 */
export function valueAtPercentile(values: readonly RecordedValue[], percentile: number): number | null {
  const total = totalCount(values);
  if (total === 0) return null;
  const wanted = Math.max(1, Math.ceil((Math.min(100, Math.max(0, percentile)) / 100) * total));
  let running = 0;
  for (const v of values) {
    running += v.count;
    if (running >= wanted) return v.us / 1000;
  }
  return values[values.length - 1]!.us / 1000;
}

/** Percentiles the result and comparison pages chart. */
export const CHART_PERCENTILES = [50, 75, 90, 95, 99, 99.9, 99.99, 100] as const;

/** Bucket edges in milliseconds, log-spaced from `minMs` to `maxMs` (n buckets, n + 1 edges). */
export function logBucketEdges(minMs: number, maxMs: number, buckets: number): number[] {
  const lo = Math.max(minMs, 0.001);
  const hi = Math.max(maxMs, lo * 1.0001);
  const ratio = Math.log(hi / lo) / buckets;
  const edges: number[] = [];
  for (let i = 0; i <= buckets; i += 1) edges.push(lo * Math.exp(ratio * i));
  edges[buckets] = hi;
  return edges;
}

/** Requests that fell into one latency bucket. */
export interface Bucket {
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
  /** Share of all requests, 0–100. */
  readonly percent: number;
}

/**
 * Sorts recorded values into buckets with the given edges (a value belongs to the bucket whose
 * upper edge it does not exceed; values outside the edges go to the first or last bucket).
 */
export function bucketize(values: readonly RecordedValue[], edges: readonly number[]): Bucket[] {
  const n = edges.length - 1;
  if (n < 1) return [];
  const counts = new Array<number>(n).fill(0);
  let j = 0;
  for (const v of [...values].sort((a, b) => a.us - b.us)) {
    const ms = v.us / 1000;
    while (j < n - 1 && ms > edges[j + 1]!) j += 1;
    counts[j]! += v.count;
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((count, i) => ({
    fromMs: edges[i]!,
    toMs: edges[i + 1]!,
    count,
    percent: total === 0 ? 0 : (count / total) * 100,
  }));
}

/** Edges covering every histogram given, so overlaid histograms share their buckets. */
export function sharedBucketEdges(histograms: readonly DecodedHistogram[], buckets: number): number[] {
  const withData = histograms.filter((h) => h.totalCount > 0);
  if (withData.length === 0) return [];
  const min = Math.min(...withData.map((h) => h.minUs)) / 1000;
  const max = Math.max(...withData.map((h) => h.maxUs)) / 1000;
  return logBucketEdges(min, max, buckets);
}
