/**
 * ECharts options for the console's charts. Pure functions of the data, so pages stay small and
 * every chart looks alike.
 */
import type { ProgressSample } from '../api/types.ts';
import { LATENCY_METRICS, METRIC_LABELS } from '../lib/compare.ts';
import { formatMs, formatNumber, formatPercentDiff } from '../lib/format.ts';
import type { Bucket, CdfPoint } from '../lib/histogram.ts';

/** Series colours: distinguishable, and readable on white. */
export const PALETTE = ['#00958a', '#3c6fd8', '#e0822b', '#b0449b', '#5a8f29', '#c4403a', '#6c5ccf', '#8a6d3b', '#2a9fd6', '#7a7a7a'];

const AXIS_LABEL = { color: '#5b6b79', fontSize: 11 };
const SPLIT_LINE = { lineStyle: { color: '#e8edf1' } };
const base = {
  aria: { enabled: true },
  animation: false,
  color: PALETTE,
  textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif' },
};
const grid = (legend: boolean) => ({ left: 64, right: 24, top: legend ? 64 : 40, bottom: 48, containLabel: false });
const legendTop = { top: 4, type: 'scroll' as const, textStyle: { color: '#33414e' } };

/** Elapsed seconds, to the planned end of the test (so a live chart fills in instead of rescaling). */
function timeAxis(samples: readonly ProgressSample[], untilSeconds?: number) {
  const last = samples.at(-1)?.elapsedSeconds ?? 0;
  return {
    type: 'value',
    name: 'elapsed (s)',
    nameLocation: 'middle',
    nameGap: 28,
    min: 0,
    max: untilSeconds !== undefined && untilSeconds >= last ? untilSeconds : undefined,
    axisLabel: AXIS_LABEL,
    splitLine: SPLIT_LINE,
  };
}

const msAxisLabel = { ...AXIS_LABEL, formatter: (v: number) => formatMs(v).replace(' ms', '') };

/** Samples of the measured phase only (warm-up is left out of results). */
function measured(samples: readonly ProgressSample[]): ProgressSample[] {
  return samples.filter((s) => s.phase !== 'warmup');
}

/** Requests per second against elapsed time, one point per sample (warm-up shaded apart). */
export function rpsOverTimeOption(samples: readonly ProgressSample[], untilSeconds?: number) {
  const warmup = samples.filter((s) => s.phase === 'warmup').map((s) => [s.elapsedSeconds, s.currentRps]);
  const measure = measured(samples).map((s) => [s.elapsedSeconds, s.currentRps]);
  return {
    ...base,
    grid: grid(warmup.length > 0),
    ...(warmup.length > 0 ? { legend: legendTop } : {}),
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${formatNumber(v, 1)} req/s` },
    xAxis: timeAxis(samples, untilSeconds),
    yAxis: { type: 'value', name: 'req/s', min: 0, axisLabel: AXIS_LABEL, splitLine: SPLIT_LINE },
    series: [
      ...(warmup.length > 0
        ? [{ name: 'warm-up', type: 'line', data: warmup, showSymbol: true, symbolSize: 5, lineStyle: { type: 'dashed' }, color: '#9aa6b2' }]
        : []),
      {
        name: 'requests/s',
        type: 'line',
        data: measure,
        showSymbol: true,
        symbolSize: 6,
        areaStyle: { opacity: 0.12 },
        lineStyle: { width: 2 },
        color: PALETTE[0],
      },
    ],
  };
}

/** p50 and p99 latency against elapsed time. */
export function latencyOverTimeOption(samples: readonly ProgressSample[], untilSeconds?: number) {
  const points = samples.filter((s) => s.latencyP50Ms !== null && s.latencyP50Ms !== undefined);
  return {
    ...base,
    grid: grid(true),
    legend: legendTop,
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatMs(v) },
    xAxis: timeAxis(samples, untilSeconds),
    yAxis: { type: 'value', name: 'ms', min: 0, axisLabel: msAxisLabel, splitLine: SPLIT_LINE },
    series: [
      {
        name: 'p50',
        type: 'line',
        data: points.map((s) => [s.elapsedSeconds, s.latencyP50Ms]),
        showSymbol: true,
        symbolSize: 6,
        color: PALETTE[1],
      },
      {
        name: 'p99',
        type: 'line',
        data: points.map((s) => [s.elapsedSeconds, s.latencyP99Ms ?? null]),
        showSymbol: true,
        symbolSize: 6,
        color: PALETTE[2],
      },
    ],
  };
}

const bucketLabel = (b: Bucket) => formatMs(b.toMs).replace(' ms', '');

/**
 * A latency histogram: the share of requests per log-spaced latency bucket. Several series share
 * the buckets and are overlaid (semi-transparent bars on the same x positions).
 */
export function histogramOption(series: readonly { name: string; buckets: readonly Bucket[] }[]) {
  const first = series[0]?.buckets ?? [];
  const overlay = series.length > 1;
  return {
    ...base,
    grid: grid(overlay),
    ...(overlay ? { legend: legendTop } : {}),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: { dataIndex: number; seriesName: string; marker: string; seriesIndex: number }[]) => {
        const i = params[0]?.dataIndex ?? 0;
        const b = first[i];
        if (!b) return '';
        const head = `${formatMs(b.fromMs)} – ${formatMs(b.toMs)}`;
        const rows = params.map((p) => {
          const bucket = series[p.seriesIndex]?.buckets[i];
          return `${p.marker}${p.seriesName}: ${formatNumber(bucket?.count ?? 0)} requests (${formatNumber(bucket?.percent ?? 0, 2)} %)`;
        });
        return [head, ...rows].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: first.map(bucketLabel),
      name: 'latency (ms, log buckets)',
      nameLocation: 'middle',
      nameGap: 30,
      axisLabel: { ...AXIS_LABEL, hideOverlap: true },
      axisTick: { alignWithLabel: true },
    },
    yAxis: { type: 'value', name: '% of requests', min: 0, axisLabel: AXIS_LABEL, splitLine: SPLIT_LINE },
    series: series.map((s, i) => ({
      name: s.name,
      type: 'bar',
      data: s.buckets.map((b) => Number(b.percent.toFixed(4))),
      barGap: overlay ? '-100%' : '10%',
      barCategoryGap: '8%',
      itemStyle: { color: PALETTE[i % PALETTE.length], opacity: overlay ? 0.55 : 0.9 },
    })),
  };
}

/** Cumulative distribution: share of requests at or below a latency (log x axis). */
export function cdfOption(series: readonly { name: string; points: readonly CdfPoint[] }[]) {
  const legend = series.length > 1;
  return {
    ...base,
    grid: grid(legend),
    ...(legend ? { legend: legendTop } : {}),
    tooltip: {
      trigger: 'axis',
      formatter: (params: { seriesName: string; marker: string; data: [number, number] }[]) =>
        params.map((p) => `${p.marker}${p.seriesName}: ${formatNumber(p.data[1], 3)} % ≤ ${formatMs(p.data[0])}`).join('<br/>'),
    },
    xAxis: {
      type: 'log',
      name: 'latency (ms)',
      nameLocation: 'middle',
      nameGap: 28,
      axisLabel: msAxisLabel,
      splitLine: SPLIT_LINE,
      min: (v: { min: number }) => v.min,
      max: (v: { max: number }) => v.max,
    },
    yAxis: {
      type: 'value',
      name: '% of requests ≤',
      min: 0,
      max: 100,
      axisLabel: { ...AXIS_LABEL, formatter: '{value} %' },
      splitLine: SPLIT_LINE,
    },
    series: series.map((s, i) => ({
      name: s.name,
      type: 'line',
      step: 'end',
      showSymbol: false,
      data: s.points.map((p) => [p.ms, p.percent]),
      lineStyle: { width: 2 },
      color: PALETTE[i % PALETTE.length],
    })),
  };
}

/** Latency at each percentile (p50 … max), one bar group per percentile, one series per result. */
export function percentileOption(series: readonly { name: string; values: readonly (number | null)[] }[], percentiles: readonly number[]) {
  const legend = series.length > 1;
  return {
    ...base,
    grid: grid(legend),
    ...(legend ? { legend: legendTop } : {}),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatMs(v) },
    xAxis: {
      type: 'category',
      data: percentiles.map((p) => (p === 100 ? 'max' : `p${p}`)),
      axisLabel: AXIS_LABEL,
    },
    yAxis: { type: 'log', name: 'ms (log)', axisLabel: msAxisLabel, splitLine: SPLIT_LINE },
    series: series.map((s, i) => ({
      name: s.name,
      type: 'bar',
      data: s.values.map((v) => (v === null ? null : Math.max(v, 0.001))),
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      label: series.length === 1 ? { show: true, position: 'top', fontSize: 10, formatter: (p: { value: number }) => formatMs(p.value) } : undefined,
    })),
  };
}

export interface RunMetrics {
  name: string;
  /** Values of LATENCY_METRICS in that order, and throughput. */
  latency: (number | null)[];
  latencyDiffs: (number | null)[];
  throughput: number | null;
  throughputDiff: number | null;
}

/** Per run (x), bars of min/p50/p90/p99/p99.9/max on a log scale, with differences in the tooltip. */
export function perRunLatencyOption(runs: readonly RunMetrics[]) {
  return {
    ...base,
    grid: grid(true),
    legend: legendTop,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: { dataIndex: number; seriesIndex: number; seriesName: string; marker: string }[]) => {
        const run = runs[params[0]?.dataIndex ?? 0];
        if (!run) return '';
        return [
          run.name,
          ...params.map((p) => {
            const diff = run.latencyDiffs[p.seriesIndex];
            return `${p.marker}${p.seriesName}: ${formatMs(run.latency[p.seriesIndex])}${diff === null || diff === undefined ? '' : ` (${formatPercentDiff(diff)})`}`;
          }),
        ].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: runs.map((r) => r.name), axisLabel: { ...AXIS_LABEL, interval: 0, overflow: 'truncate', width: 140 } },
    yAxis: { type: 'log', name: 'ms (log)', axisLabel: msAxisLabel, splitLine: SPLIT_LINE },
    series: LATENCY_METRICS.map((metric, m) => ({
      name: METRIC_LABELS[metric],
      type: 'bar',
      data: runs.map((r) => (r.latency[m] === null || r.latency[m] === undefined ? null : Math.max(r.latency[m]!, 0.001))),
      itemStyle: { color: PALETTE[m % PALETTE.length] },
    })),
  };
}

/** Throughput per run with the difference from the baseline above each bar. */
export function perRunThroughputOption(runs: readonly RunMetrics[]) {
  return {
    ...base,
    grid: grid(false),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: { dataIndex: number; marker: string }[]) => {
        const run = runs[params[0]?.dataIndex ?? 0];
        if (!run) return '';
        return `${run.name}<br/>${params[0]?.marker ?? ''}${formatNumber(run.throughput, 1)} req/s${run.throughputDiff === null ? '' : ` (${formatPercentDiff(run.throughputDiff)})`}`;
      },
    },
    xAxis: { type: 'category', data: runs.map((r) => r.name), axisLabel: { ...AXIS_LABEL, interval: 0, overflow: 'truncate', width: 140 } },
    yAxis: { type: 'value', name: 'req/s', min: 0, axisLabel: AXIS_LABEL, splitLine: SPLIT_LINE },
    series: [
      {
        name: 'throughput',
        type: 'bar',
        barMaxWidth: 64,
        data: runs.map((r, i) => ({
          value: r.throughput,
          label: {
            show: true,
            position: 'top',
            fontSize: 11,
            formatter: () => (i === 0 ? 'baseline' : formatPercentDiff(r.throughputDiff)),
          },
        })),
        itemStyle: { color: PALETTE[0] },
      },
    ],
  };
}
