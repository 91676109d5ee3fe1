import { keyValues, num, table } from '../output.js';
import { errorRatePercent, type PerformanceProfile, type PerformanceResult } from '../perf-model.js';
import { formatExpectation, formatValue, type ThresholdOutcome } from '../thresholds.js';

const labelsText = (labels: readonly { key: string; value: string }[]): string =>
  labels.length > 0 ? labels.map((l) => `${l.key}=${l.value}`).join(', ') : '-';

/** The overview and latency tables of a result. */
export function resultSummary(result: PerformanceResult): string {
  const errorRate = errorRatePercent(result);
  const codes = result.statusCodes.map((c) => `${c.key}: ${c.count}`).join(', ');
  const errorTypes = result.errorsByType.map((c) => `${c.key}: ${c.count}`).join(', ');
  const spec = result.spec;
  const rows: [string, string | number | null | undefined][] = [
    ['id', result.id],
    ['name', result.name],
    ['status', result.status],
    ['source', result.source],
    ['labels', labelsText(result.labels)],
    ['target', spec ? `${spec.method} ${spec.url}` : null],
    [
      'load',
      spec
        ? `${spec.connections} connections, ${spec.rate ? `${spec.rate} req/s (open loop)` : 'as fast as possible (closed loop)'}, ${spec.durationSeconds} s${spec.warmupSeconds ? ` + ${spec.warmupSeconds} s warm-up` : ''}`
        : null,
    ],
    ['load generator', [result.environment['loadGenerator'], result.environment['loadGeneratorVersion']].filter(Boolean).join(' ') || null],
    ['started', result.startedAt],
    ['measured', result.measuredDurationSeconds !== null && result.measuredDurationSeconds !== undefined ? `${num(result.measuredDurationSeconds, 3)} s` : null],
    ['requests', num(result.requests, 0)],
    ['throughput', result.throughputRps !== null && result.throughputRps !== undefined ? `${num(result.throughputRps, 1)} req/s` : null],
    ['errors', result.errors !== null && result.errors !== undefined ? `${result.errors}${errorTypes ? ` (${errorTypes})` : ''}` : null],
    ['error rate', errorRate !== null ? `${num(errorRate, 2)} %` : null],
    ['status codes', codes || null],
  ];
  if (result.openLoop) {
    rows.push([
      'open loop',
      `target ${num(result.openLoop.targetRate, 1)} req/s, sent ${num(result.openLoop.achievedRate, 1)} req/s, ${result.openLoop.lateSends} of ${result.openLoop.scheduledSends} sends late (> ${result.openLoop.lateThresholdMs} ms)`,
    ]);
    const delay = result.openLoop.generatorDelay;
    if (delay) {
      rows.push(['generator held up', `at most ${num(delay.maxMs, 1)} ms (p99 ${num(delay.p99Ms, 1)} ms): responses arriving meanwhile were recorded late by up to that much`]);
    }
  }
  if (result.failure) {
    rows.push(['failure', `${result.failure.code}: ${result.failure.message}`]);
    if (result.failure.probableCause) rows.push(['probable cause', result.failure.probableCause]);
    if (result.failure.remediation) rows.push(['remediation', result.failure.remediation]);
  }
  const overview = keyValues(rows.filter(([, v]) => v !== null && v !== undefined));
  const l = result.latency;
  const latency = l
    ? table(
        ['latency (ms)', 'min', 'mean', 'p50', 'p75', 'p90', 'p99', 'p99.9', 'max'],
        [['', num(l.minMs, 3), num(l.meanMs, 3), num(l.p50Ms, 3), num(l.p75Ms, 3), num(l.p90Ms, 3), num(l.p99Ms, 3), num(l.p999Ms, 3), num(l.maxMs, 3)]],
      )
    : 'latency: no measurements';
  return `${overview}\n${latency}`;
}

/** One line per threshold: expectation, actual, pass or fail. */
export function thresholdTable(outcomes: readonly ThresholdOutcome[]): string {
  return table(
    ['threshold', 'expected', 'actual', 'result'],
    outcomes.map((o) => [o.threshold.text, formatExpectation(o.threshold), formatValue(o.threshold, o.actual), o.passed ? 'PASS' : 'FAIL']),
  );
}

/** Thresholds as data, for -o json|yaml. */
export function thresholdData(outcomes: readonly ThresholdOutcome[]) {
  return outcomes.map((o) => ({
    threshold: o.threshold.text,
    expected: formatExpectation(o.threshold),
    actual: o.actual,
    unit: o.threshold.unit.trim(),
    passed: o.passed,
  }));
}

export function resultRows(results: readonly PerformanceResult[]): string {
  return table(
    ['id', 'name', 'status', 'started', 'duration (s)', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'labels'],
    results.map((r) => [
      r.id,
      r.name,
      r.status,
      r.startedAt,
      num(r.measuredDurationSeconds, 1),
      num(r.requests, 0),
      num(r.throughputRps, 1),
      num(r.latency?.p50Ms, 3),
      num(r.latency?.p99Ms, 3),
      labelsText(r.labels),
    ]),
  );
}

export function profileRows(profiles: readonly PerformanceProfile[]): string {
  return table(
    ['id', 'name', 'target', 'connections', 'rate', 'duration (s)', 'labels', 'updated'],
    profiles.map((p) => [p.id, p.name, `${p.method} ${p.url}`, p.connections, p.rate ?? 'max', p.durationSeconds, labelsText(p.labels), p.updatedAt]),
  );
}

export function profileDetails(p: PerformanceProfile): string {
  return keyValues([
    ['id', p.id],
    ['name', p.name],
    ['url', p.url],
    ['method', p.method],
    ['headers', p.headers.length > 0 ? p.headers.map((h) => `${h.name}: ${h.value}`).join('\n') : '-'],
    ['body', p.body ?? '-'],
    ['content type', p.contentType ?? '-'],
    ['connections', p.connections],
    ['rate', p.rate ? `${p.rate} req/s` : 'as fast as possible'],
    ['duration', `${p.durationSeconds} s`],
    ['warm-up', `${p.warmupSeconds} s`],
    ['request timeout', `${p.requestTimeoutSeconds} s`],
    ['load generator', p.loadGenerator ?? 'first available'],
    ['labels', labelsText(p.labels)],
    ['created', p.createdAt],
    ['updated', p.updatedAt],
  ]);
}
