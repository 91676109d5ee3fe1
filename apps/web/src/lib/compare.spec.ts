import { describe, expect, it } from 'vitest';
import { differenceTone, percentDifference, withBaseline } from './compare.ts';
import { formatPercentDiff } from './format.ts';

describe('percentDifference', () => {
  it('is (value − base) / base in percent', () => {
    expect(percentDifference(10, 12)).toBeCloseTo(20);
    expect(percentDifference(10, 5)).toBeCloseTo(-50);
    expect(percentDifference(10, 10)).toBe(0);
  });

  it('is unknown for a zero or unknown base or value', () => {
    expect(percentDifference(0, 5)).toBeNull();
    expect(percentDifference(null, 5)).toBeNull();
    expect(percentDifference(5, undefined)).toBeNull();
    expect(percentDifference(5, Number.NaN)).toBeNull();
  });
});

describe('differenceTone', () => {
  it('calls lower latency and higher throughput better', () => {
    expect(differenceTone('p99Ms', -20)).toBe('better');
    expect(differenceTone('p99Ms', 20)).toBe('worse');
    expect(differenceTone('throughputRps', 20)).toBe('better');
    expect(differenceTone('throughputRps', -20)).toBe('worse');
    expect(differenceTone('errorRatePercent', 5)).toBe('worse');
  });

  it('ignores differences under the threshold and unknown ones', () => {
    expect(differenceTone('p50Ms', 0.5)).toBe('neutral');
    expect(differenceTone('p50Ms', null)).toBe('neutral');
  });
});

describe('formatPercentDiff', () => {
  it('shows the sign and one decimal', () => {
    expect(formatPercentDiff(12.345)).toBe('+12.3 %');
    expect(formatPercentDiff(-4)).toBe('−4 %');
    expect(formatPercentDiff(0.01)).toBe('0 %');
    expect(formatPercentDiff(250.4)).toBe('+250 %');
    expect(formatPercentDiff(null)).toBe('—');
  });
});

describe('withBaseline', () => {
  it('moves the chosen result to the front', () => {
    expect(withBaseline(['a', 'b', 'c'], 'c')).toEqual(['c', 'a', 'b']);
    expect(withBaseline(['a', 'b'], 'x')).toEqual(['a', 'b']);
  });
});
