/** Helpers of the comparison page: percent differences and which direction is better. */

/** (value − base) / base in percent; null when either is unknown or the base is 0. */
export function percentDifference(base: number | null | undefined, value: number | null | undefined): number | null {
  if (base === null || base === undefined || value === null || value === undefined) return null;
  if (!Number.isFinite(base) || !Number.isFinite(value) || base === 0) return null;
  return ((value - base) / base) * 100;
}

/** Metrics where a larger value is better; for every other metric (latencies, error rate) smaller is. */
const HIGHER_IS_BETTER = new Set(['throughputRps']);

/** Whether a difference is an improvement, a regression, or too small to matter (under `threshold` %). */
export function differenceTone(metric: string, differencePercent: number | null, threshold = 1): 'better' | 'worse' | 'neutral' {
  if (differencePercent === null || Math.abs(differencePercent) < threshold) return 'neutral';
  const higherIsBetter = HIGHER_IS_BETTER.has(metric);
  return differencePercent > 0 === higherIsBetter ? 'better' : 'worse';
}

/** Display names of the comparison's metrics. */
export const METRIC_LABELS: Record<string, string> = {
  minMs: 'min',
  p50Ms: 'p50',
  p90Ms: 'p90',
  p99Ms: 'p99',
  p999Ms: 'p99.9',
  maxMs: 'max',
  meanMs: 'mean',
  throughputRps: 'throughput',
  errorRatePercent: 'error rate',
};

/** The latency metrics charted per run, in order. */
export const LATENCY_METRICS = ['minMs', 'p50Ms', 'p90Ms', 'p99Ms', 'p999Ms', 'maxMs'] as const;

/** Moves one id to the front (the baseline) keeping the others in order. */
export function withBaseline(ids: readonly string[], baseline: string): string[] {
  return ids.includes(baseline) ? [baseline, ...ids.filter((id) => id !== baseline)] : [...ids];
}
