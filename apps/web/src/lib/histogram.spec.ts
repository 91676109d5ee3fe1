import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  bucketize,
  cumulativeDistribution,
  decodeHistogram,
  logBucketEdges,
  sharedBucketEdges,
  valueAtPercentile,
  type RecordedValue,
} from './histogram.ts';

const values: RecordedValue[] = [
  { us: 1000, count: 50 },
  { us: 2000, count: 30 },
  { us: 5000, count: 15 },
  { us: 20000, count: 5 },
];

describe('cumulativeDistribution', () => {
  it('gives the share of requests at or below each value, ending at 100 %', () => {
    expect(cumulativeDistribution(values)).toEqual([
      { ms: 1, percent: 50 },
      { ms: 2, percent: 80 },
      { ms: 5, percent: 95 },
      { ms: 20, percent: 100 },
    ]);
  });

  it('is empty without data', () => {
    expect(cumulativeDistribution([])).toEqual([]);
  });

  it('thins long distributions evenly, keeping the first and the last point', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ us: (i + 1) * 10, count: 1 }));
    const cdf = cumulativeDistribution(many, 100);
    expect(cdf).toHaveLength(100);
    expect(cdf[0]).toEqual({ ms: 0.01, percent: 0.02 });
    expect(cdf.at(-1)).toEqual({ ms: 50, percent: 100 });
    for (let i = 1; i < cdf.length; i += 1) expect(cdf[i]!.ms).toBeGreaterThan(cdf[i - 1]!.ms);
  });
});

describe('valueAtPercentile', () => {
  it('picks the smallest value with at least that share at or below it', () => {
    expect(valueAtPercentile(values, 50)).toBe(1);
    expect(valueAtPercentile(values, 50.1)).toBe(2);
    expect(valueAtPercentile(values, 95)).toBe(5);
    expect(valueAtPercentile(values, 99)).toBe(20);
    expect(valueAtPercentile(values, 100)).toBe(20);
    expect(valueAtPercentile(values, 0)).toBe(1);
    expect(valueAtPercentile([], 50)).toBeNull();
  });
});

describe('buckets', () => {
  it('spaces edges logarithmically between min and max', () => {
    const edges = logBucketEdges(1, 1000, 3);
    expect(edges).toHaveLength(4);
    expect(edges[0]).toBeCloseTo(1);
    expect(edges[1]).toBeCloseTo(10);
    expect(edges[2]).toBeCloseTo(100);
    expect(edges[3]).toBe(1000);
  });

  it('sorts every request into one bucket; shares add up to 100 %', () => {
    const buckets = bucketize(values, logBucketEdges(0.5, 20, 4));
    expect(buckets.map((b) => b.count)).toEqual([50, 30, 15, 5]);
    expect(buckets.reduce((s, b) => s + b.percent, 0)).toBeCloseTo(100);
    expect(bucketize(values, [0.5, 100]).map((b) => b.count)).toEqual([100]);
  });
});

describe('decodeHistogram', () => {
  it('reads the values of an HdrHistogram V2 compressed base64 histogram (microseconds)', () => {
    const h = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
    h.recordValueWithCount(1000, 90);
    h.recordValueWithCount(10_000, 9);
    h.recordValue(100_000);
    const decoded = decodeHistogram(encodeIntoCompressedBase64(h));
    expect(decoded.totalCount).toBe(100);
    expect(decoded.minUs).toBe(1000);
    expect(decoded.maxUs).toBeGreaterThanOrEqual(100_000);
    expect(decoded.maxUs).toBeLessThan(100_100);
    expect(decoded.values.map((v) => v.count)).toEqual([90, 9, 1]);
    expect(valueAtPercentile(decoded.values, 90)).toBeCloseTo(1, 2);
    expect(valueAtPercentile(decoded.values, 99)).toBeCloseTo(10, 1);
    expect(cumulativeDistribution(decoded.values).map((p) => p.percent)).toEqual([90, 99, 100]);
    const edges = sharedBucketEdges([decoded], 10);
    expect(edges[0]).toBeCloseTo(1, 5);
    expect(edges.at(-1)).toBeCloseTo(decoded.maxUs / 1000, 5);
  });
});
