import { useQuery } from '@apollo/client/react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { COMPARE } from '../api/documents.ts';
import type { MetricComparison, PerformanceComparison } from '../api/types.ts';
import { Chart } from '../charts/Chart.tsx';
import { LatencyCharts, useDecoded } from '../charts/LatencyCharts.tsx';
import { perRunLatencyOption, perRunThroughputOption, type RunMetrics } from '../charts/options.ts';
import { differenceTone, LATENCY_METRICS, METRIC_LABELS, withBaseline } from '../lib/compare.ts';
import { formatDateTime, formatMs, formatPercent, formatPercentDiff, formatRps } from '../lib/format.ts';
import { Alert, Badge, Button, ButtonLink, Card, EmptyState, LabelChips, PageHeader, RunStatusBadge } from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { PerformanceNav } from './PerformanceNav.tsx';

function formatMetric(metric: string, value: number | null | undefined): string {
  if (metric === 'throughputRps') return formatRps(value);
  if (metric === 'errorRatePercent') return formatPercent(value);
  return formatMs(value);
}

function MetricsTable({ comparison, names }: { comparison: PerformanceComparison; names: string[] }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Metrics side by side, with differences from the baseline" data-testid="comparison-table">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {names.map((name, i) => (
              <th scope="col" className="num" key={i}>
                {name}
                {i === 0 ? (
                  <>
                    {' '}
                    <Badge tone="info">baseline</Badge>
                  </>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {comparison.metrics.map((m: MetricComparison) => (
            <tr key={m.metric}>
              <th scope="row">{METRIC_LABELS[m.metric] ?? m.metric}</th>
              {m.values.map((v, i) => {
                const diff = m.differencesPercent[i] ?? null;
                const tone = differenceTone(m.metric, diff);
                return (
                  <td className="num" key={i}>
                    {formatMetric(m.metric, v)}
                    {i > 0 ? (
                      <div className={`small diff-${tone}`} title={tone === 'neutral' ? undefined : tone}>
                        {formatPercentDiff(diff)}
                        {tone !== 'neutral' ? <span className="visually-hidden"> ({tone})</span> : null}
                      </div>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function runMetrics(comparison: PerformanceComparison, names: string[]): RunMetrics[] {
  const metric = (name: string) => comparison.metrics.find((m) => m.metric === name);
  const throughput = metric('throughputRps');
  return names.map((name, i) => ({
    name,
    latency: LATENCY_METRICS.map((m) => metric(m)?.values[i] ?? null),
    latencyDiffs: LATENCY_METRICS.map((m) => (i === 0 ? null : (metric(m)?.differencesPercent[i] ?? null))),
    throughput: throughput?.values[i] ?? null,
    throughputDiff: i === 0 ? null : (throughput?.differencesPercent[i] ?? null),
  }));
}

function ComparisonView({ comparison, ids }: { comparison: PerformanceComparison; ids: string[] }) {
  const navigate = useNavigate();
  const names = comparison.results.map((r, i) => `${i + 1}. ${r.name}`);
  const series = useDecoded(comparison.results.map((r, i) => ({ name: names[i]!, histogram: r.histogram })));
  const runs = runMetrics(comparison, names);
  const go = (next: string[]) => void navigate(`/performance/compare?ids=${next.map(encodeURIComponent).join(',')}`);
  return (
    <>
      {comparison.warnings.length > 0 ? (
        <Alert tone="warning" title="Read these differences with care">
          <ul data-testid="comparison-warnings">
            {comparison.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <Card title="Compared results" description="Differences are from the baseline, the first result. Lower latency and higher throughput are better.">
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Result</th>
                <th scope="col">Status</th>
                <th scope="col">Model</th>
                <th scope="col">Started</th>
                <th scope="col">Labels</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {comparison.results.map((r, i) => (
                <tr key={r.id}>
                  <td>{i + 1}</td>
                  <th scope="row">
                    <Link to={`/performance/results/${r.id}`}>{r.name}</Link> {i === 0 ? <Badge tone="info">baseline</Badge> : null}
                  </th>
                  <td>
                    <RunStatusBadge status={r.status} />
                  </td>
                  <td className="small">{r.loadModel ?? 'unknown'}</td>
                  <td className="small">{formatDateTime(r.startedAt)}</td>
                  <td>
                    <LabelChips labels={r.labels} />
                  </td>
                  <td>
                    <span className="row">
                      {i > 0 ? (
                        <Button size="sm" variant="ghost" onClick={() => go(withBaseline(ids, r.id))} aria-label={`Make ${r.name} (${i + 1}) the baseline`}>
                          Make baseline
                        </Button>
                      ) : null}
                      {ids.length > 2 ? (
                        <Button size="sm" variant="ghost" onClick={() => go(ids.filter((id) => id !== r.id))} aria-label={`Leave ${r.name} (${i + 1}) out`}>
                          Leave out
                        </Button>
                      ) : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      {comparison.results.length === 2 ? (
        <Card title="Latency distributions, overlaid" description="Both runs on the same buckets and axes.">
          <LatencyCharts series={series} testIdPrefix="compare" />
        </Card>
      ) : (
        <div className="grid grid-2">
          <Card title="Latency per run" description="min, p50, p90, p99, p99.9 and max (log scale); the tooltip gives the differences.">
            <Chart
              testId="compare-per-run-latency"
              label={`Latency percentiles per run for ${runs.length} runs`}
              option={perRunLatencyOption(runs)}
              points={runs.reduce((n, r) => n + r.latency.filter((v) => v !== null).length, 0)}
              height={320}
            />
          </Card>
          <Card title="Throughput per run" description="Differences from the baseline above the bars.">
            <Chart
              testId="compare-per-run-throughput"
              label={`Throughput per run for ${runs.length} runs`}
              option={perRunThroughputOption(runs)}
              points={runs.filter((r) => r.throughput !== null).length}
              height={320}
            />
          </Card>
        </div>
      )}
      <Card title="Metrics">
        <MetricsTable comparison={comparison} names={names} />
      </Card>
    </>
  );
}

export default function ComparePage() {
  const [params] = useSearchParams();
  const ids = (params.get('ids') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const { data, loading, error, refetch } = useQuery(COMPARE, { variables: { ids }, skip: ids.length < 2 });
  return (
    <>
      <PageHeader
        title="Compare results"
        description="Two results are overlaid; three or more are charted per run. The first is the baseline."
        actions={
          <ButtonLink to="/performance/results" variant="ghost">
            Choose other results
          </ButtonLink>
        }
      />
      <PerformanceNav />
      {ids.length < 2 ? (
        <EmptyState title="Pick at least two results" action={<ButtonLink to="/performance/results">Go to the results</ButtonLink>}>
          Select results in the table and press “Compare selected”.
        </EmptyState>
      ) : (
        <>
          <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Comparing…" />
          {data ? <ComparisonView comparison={data.comparePerformanceResults} ids={ids} /> : null}
        </>
      )}
    </>
  );
}
