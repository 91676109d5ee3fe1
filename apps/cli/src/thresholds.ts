import { usageError } from './exit-codes.js';
import { errorRatePercent, type PerformanceResult } from './perf-model.js';

type Operator = '<' | '<=' | '>' | '>=';

/** Kinds of metric a threshold can check, and the unit their values are given in. */
type MetricKind = 'latency' | 'percent' | 'rate' | 'count';

interface MetricDefinition {
  readonly kind: MetricKind;
  readonly read: (result: PerformanceResult) => number | null | undefined;
}

const latency = (key: keyof NonNullable<PerformanceResult['latency']>) => (r: PerformanceResult) => r.latency?.[key];

const METRICS: Record<string, MetricDefinition> = {
  min: { kind: 'latency', read: latency('minMs') },
  mean: { kind: 'latency', read: latency('meanMs') },
  p50: { kind: 'latency', read: latency('p50Ms') },
  p75: { kind: 'latency', read: latency('p75Ms') },
  p90: { kind: 'latency', read: latency('p90Ms') },
  p99: { kind: 'latency', read: latency('p99Ms') },
  'p99.9': { kind: 'latency', read: latency('p999Ms') },
  max: { kind: 'latency', read: latency('maxMs') },
  error_rate: { kind: 'percent', read: errorRatePercent },
  rps: { kind: 'rate', read: (r) => r.throughputRps },
  requests: { kind: 'count', read: (r) => r.requests },
  errors: { kind: 'count', read: (r) => r.errors },
};

const ALIASES: Record<string, string> = { avg: 'mean', median: 'p50', p999: 'p99.9', 'p99_9': 'p99.9', errors_rate: 'error_rate', throughput: 'rps', qps: 'rps' };

/** Milliseconds per unit of a latency threshold. */
const LATENCY_UNITS: Record<string, number> = { ms: 1, s: 1000, us: 0.001, 'µs': 0.001 };

/** A parsed --threshold. */
export interface Threshold {
  /** As given, e.g. `p99<50ms`. */
  readonly text: string;
  readonly metric: string;
  readonly operator: Operator;
  /** In the metric's base unit: ms for latency, percent, requests/s, or a count. */
  readonly limit: number;
  /** The unit the limit was written in (for display). */
  readonly unit: string;
  /** Factor from the base unit to `unit`. */
  readonly displayFactor: number;
}

/** The outcome of one threshold against a result. */
export interface ThresholdOutcome {
  readonly threshold: Threshold;
  /** In the threshold's unit; null when the result does not have the metric. */
  readonly actual: number | null;
  readonly passed: boolean;
}

/**
 * Parses `METRIC OP VALUE[UNIT]`: latency metrics (min mean p50 p75 p90 p99 p99.9 max) take ms
 * (default), s or us; `error_rate` takes a percentage (`%` optional); `rps` requests per second;
 * `requests` and `errors` counts. Operators: < <= > >=.
 */
export function parseThreshold(text: string): Threshold {
  const match = /^\s*([a-z_][a-z0-9_.]*)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zµ%/]*)\s*$/i.exec(text);
  const usage =
    'Write METRIC OP VALUE, e.g. p99<50ms, error_rate<1%, rps>1000. Metrics: min mean p50 p75 p90 p99 p99.9 max (ms, s, us), error_rate (%), rps, requests, errors; operators: < <= > >=.';
  if (!match) throw usageError(`--threshold "${text}" is not a threshold`, usage);
  const name = match[1]!.toLowerCase();
  const metric = ALIASES[name] ?? name;
  const definition = METRICS[metric];
  if (!definition) throw usageError(`--threshold "${text}": unknown metric "${match[1]}"`, usage);
  const value = Number(match[3]);
  const unit = match[4]!.toLowerCase();
  if (definition.kind === 'latency') {
    const factor = LATENCY_UNITS[unit === '' ? 'ms' : unit];
    if (factor === undefined) throw usageError(`--threshold "${text}": "${match[4]}" is not a latency unit`, 'Use ms, s or us.');
    return { text: text.trim(), metric, operator: match[2] as Operator, limit: value * factor, unit: unit || 'ms', displayFactor: 1 / factor };
  }
  const allowed = definition.kind === 'percent' ? ['', '%'] : definition.kind === 'rate' ? ['', '/s', 'rps'] : [''];
  if (!allowed.includes(unit)) {
    throw usageError(`--threshold "${text}": "${match[4]}" is not a unit of ${metric}`, usage);
  }
  const shownUnit = definition.kind === 'percent' ? '%' : definition.kind === 'rate' ? ' req/s' : '';
  return { text: text.trim(), metric, operator: match[2] as Operator, limit: value, unit: shownUnit, displayFactor: 1 };
}

function holds(actual: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
  }
}

/** Checks every threshold; one whose metric the result lacks does not pass. */
export function evaluateThresholds(thresholds: readonly Threshold[], result: PerformanceResult): ThresholdOutcome[] {
  return thresholds.map((threshold) => {
    const raw = METRICS[threshold.metric]!.read(result);
    if (raw === null || raw === undefined || !Number.isFinite(raw)) return { threshold, actual: null, passed: false };
    return { threshold, actual: raw * threshold.displayFactor, passed: holds(raw, threshold.operator, threshold.limit) };
  });
}

/** `p99 < 50ms` as a threshold's expectation, and an actual value with the same unit. */
export function formatValue(threshold: Threshold, value: number | null): string {
  if (value === null) return 'unknown';
  const rounded = String(Math.abs(value) >= 100 ? Number(value.toFixed(1)) : Number(value.toPrecision(4)));
  return `${rounded}${threshold.unit}`;
}

export function formatExpectation(threshold: Threshold): string {
  return `${threshold.metric} ${threshold.operator} ${formatValue(threshold, threshold.limit * threshold.displayFactor)}`;
}
