import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import { RESULT } from '../api/documents.ts';
import type { Count, LatencySummary, PerformanceResult } from '../api/types.ts';
import { Chart } from '../charts/Chart.tsx';
import { LatencyCharts, useDecoded } from '../charts/LatencyCharts.tsx';
import { latencyOverTimeOption, rpsOverTimeOption } from '../charts/options.ts';
import {
  formatBytes,
  formatDateTime,
  formatMs,
  formatNumber,
  formatPercent,
  formatRps,
  formatSeconds,
} from '../lib/format.ts';
import { sameOriginPath } from '../lib/links.ts';
import { Alert, Badge, ButtonLink, Card, EmptyState, LabelChips, PageHeader, RunStatusBadge, Stats } from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { PerformanceNav } from './PerformanceNav.tsx';

const LATENCY_ROWS: { key: keyof LatencySummary; label: string }[] = [
  { key: 'minMs', label: 'min' },
  { key: 'meanMs', label: 'mean' },
  { key: 'stddevMs', label: 'std. deviation' },
  { key: 'p50Ms', label: 'p50' },
  { key: 'p75Ms', label: 'p75' },
  { key: 'p90Ms', label: 'p90' },
  { key: 'p99Ms', label: 'p99' },
  { key: 'p999Ms', label: 'p99.9' },
  { key: 'maxMs', label: 'max' },
];

export function LatencyTable({ columns }: { columns: { name: string; latency: LatencySummary | null | undefined }[] }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Latency summary">
        <thead>
          <tr>
            <th scope="col">Latency</th>
            {columns.map((c) => (
              <th scope="col" className="num" key={c.name}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {LATENCY_ROWS.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              {columns.map((c) => (
                <td className="num" key={c.name}>
                  {formatMs(c.latency?.[row.key] ?? null)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CountTable({ title, rows, keyLabel, total }: { title: string; rows: Count[]; keyLabel: string; total: number }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={title}>
        <thead>
          <tr>
            <th scope="col">{keyLabel}</th>
            <th scope="col" className="num">
              Count
            </th>
            <th scope="col" className="num">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">
                {keyLabel === 'Status code' ? (
                  <Badge tone={r.key.startsWith('2') ? 'success' : r.key.startsWith('3') ? 'info' : 'danger'}>{r.key}</Badge>
                ) : (
                  <code>{r.key}</code>
                )}
              </th>
              <td className="num">{formatNumber(r.count)}</td>
              <td className="num">{total > 0 ? formatPercent((r.count / total) * 100) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OpenLoopCard({ result }: { result: PerformanceResult }) {
  const ol = result.openLoop!;
  const series = useDecoded([
    { name: 'from intended send (corrected)', histogram: result.histogram },
    { name: 'service time (uncorrected)', histogram: ol.serviceTimeHistogram },
  ]);
  const latePercent = ol.scheduledSends > 0 ? (ol.lateSends / ol.scheduledSends) * 100 : null;
  return (
    <Card
      title="Open loop"
      description="Latency above is measured from each request’s intended send time, so queueing behind a slow response counts (no coordinated omission). Service time is from the actual send."
    >
      {ol.achievedRate < ol.targetRate * 0.95 ? (
        <Alert tone="warning" title="The target rate was not reached">
          <p>
            {formatRps(ol.achievedRate)} sent of {formatRps(ol.targetRate)} asked for: the load generator or the target could not keep up; latencies
            include the resulting queueing.
          </p>
        </Alert>
      ) : null}
      <Stats
        items={[
          { label: 'Target rate', value: formatRps(ol.targetRate) },
          { label: 'Achieved rate', value: formatRps(ol.achievedRate) },
          { label: 'Scheduled sends', value: formatNumber(ol.scheduledSends) },
          { label: 'Late sends', value: formatNumber(ol.lateSends), hint: `${formatPercent(latePercent)} later than ${formatMs(ol.lateThresholdMs)}` },
          { label: 'Lateness p50', value: formatMs(ol.lateness.p50Ms) },
          { label: 'Lateness p99', value: formatMs(ol.lateness.p99Ms), hint: `max ${formatMs(ol.lateness.maxMs)}` },
          ...(ol.generatorDelay
            ? [
                {
                  label: 'Generator held up',
                  value: formatMs(ol.generatorDelay.maxMs),
                  hint: `at most; p99 ${formatMs(ol.generatorDelay.p99Ms)}. Responses arriving meanwhile were recorded late by up to this much`,
                },
              ]
            : []),
        ]}
      />
      <h3 className="card-title" style={{ marginTop: '1rem' }}>
        Corrected latency and service time
      </h3>
      <LatencyTable
        columns={[
          { name: 'corrected', latency: result.latency },
          { name: 'service time', latency: ol.serviceTime },
        ]}
      />
      <div style={{ marginTop: '1rem' }}>
        <LatencyCharts series={series} testIdPrefix="open-loop" />
      </div>
    </Card>
  );
}

function ResultView({ result }: { result: PerformanceResult }) {
  const series = useDecoded([{ name: result.name, histogram: result.histogram }]);
  const responses = result.statusCodes.reduce((n, c) => n + c.count, 0);
  const attempted = (result.requests ?? 0) + (result.errors ?? 0);
  const spec = result.spec;
  const env = result.environment;
  const errorRate = attempted > 0 && result.errors !== null && result.errors !== undefined ? (result.errors / attempted) * 100 : null;
  return (
    <>
      <Card
        title={
          <span className="live-header">
            {result.name} <RunStatusBadge status={result.status} /> {result.loadModel ? <Badge tone="info">{result.loadModel}</Badge> : null}
            {result.source === 'import' ? <Badge>imported</Badge> : null}
          </span>
        }
        description={`Started ${formatDateTime(result.startedAt)}${result.endedAt ? `, ended ${formatDateTime(result.endedAt)}` : ''}`}
        actions={
          <>
            <a className="btn btn-sm" href={sameOriginPath(result.smpJsonUrl)} download>
              Download SMP (JSON)
            </a>
            <a className="btn btn-sm" href={sameOriginPath(result.smpYamlUrl)} download>
              Download SMP (YAML)
            </a>
            {result.status === 'RUNNING' ? (
              <ButtonLink size="sm" variant="primary" to={`/performance/runs/${result.id}`}>
                Watch live
              </ButtonLink>
            ) : null}
          </>
        }
      >
        <LabelChips labels={result.labels} />
        {result.failure ? (
          <Alert tone={result.status === 'FAILED' ? 'error' : 'warning'} title={result.failure.message}>
            {result.failure.probableCause ? <p>Probable cause: {result.failure.probableCause}</p> : null}
            {result.failure.remediation ? <p>Remediation: {result.failure.remediation}</p> : null}
          </Alert>
        ) : null}
        <div style={{ marginTop: '0.75rem' }}>
          <Stats
            items={[
              { label: 'Throughput', value: formatRps(result.throughputRps) },
              { label: 'Responses', value: formatNumber(result.requests) },
              { label: 'Measured for', value: formatSeconds(result.measuredDurationSeconds) },
              { label: 'p50', value: formatMs(result.latency?.p50Ms) },
              { label: 'p99', value: formatMs(result.latency?.p99Ms) },
              { label: 'max', value: formatMs(result.latency?.maxMs) },
              { label: 'Errors', value: formatNumber(result.errors), hint: errorRate !== null ? `${formatPercent(errorRate)} of requests` : undefined },
              { label: 'Timeouts', value: formatNumber(result.timeouts) },
              { label: 'Read / written', value: formatBytes(result.bytesRead), hint: `${formatBytes(result.bytesWritten)} sent` },
            ]}
          />
        </div>
      </Card>

      <Card title="Latency" description="Decoded from the run’s full HDR histogram (values in microseconds, shown in milliseconds).">
        <LatencyCharts
          series={series}
          aside={
            <>
              <h3 className="card-title">Summary</h3>
              <LatencyTable columns={[{ name: 'reported', latency: result.latency }]} />
            </>
          }
        />
        {!series[0]?.decoded?.totalCount ? <LatencyTable columns={[{ name: 'reported', latency: result.latency }]} /> : null}
      </Card>

      {result.openLoop ? <OpenLoopCard result={result} /> : null}

      <div className="grid grid-2">
        <Card title="Status codes">
          {result.statusCodes.length === 0 ? (
            <EmptyState title="No responses" />
          ) : (
            <CountTable title="Responses per status code" rows={result.statusCodes} keyLabel="Status code" total={responses} />
          )}
        </Card>
        <Card title="Errors" description="Requests without a response, by cause.">
          {result.errorsByType.length === 0 ? (
            <EmptyState title="No errors" />
          ) : (
            <CountTable title="Errors by type" rows={result.errorsByType} keyLabel="Error" total={result.errors ?? 0} />
          )}
        </Card>
      </div>

      {result.samples.length > 0 ? (
        <div className="grid grid-2">
          <Card title="Requests per second over the run">
            <Chart testId="result-rps-chart" label="Requests per second over the run" option={rpsOverTimeOption(result.samples)} points={result.samples.length} height={220} />
          </Card>
          <Card title="Latency over the run">
            <Chart
              testId="result-latency-chart"
              label="Latency p50 and p99 over the run"
              option={latencyOverTimeOption(result.samples)}
              points={result.samples.length}
              height={220}
            />
          </Card>
        </div>
      ) : null}

      <div className="grid grid-2">
        <Card title="Test configuration">
          {spec ? (
            <dl className="kv">
              <dt>URL</dt>
              <dd className="mono">
                {spec.method} {spec.url}
              </dd>
              <dt>Connections</dt>
              <dd>{spec.connections}</dd>
              <dt>Duration</dt>
              <dd>
                {formatSeconds(spec.durationSeconds)}
                {spec.warmupSeconds > 0 ? ` after ${formatSeconds(spec.warmupSeconds)} warm-up` : ''}
              </dd>
              <dt>Load model</dt>
              <dd>{spec.rate ? `open loop at ${formatRps(spec.rate)}` : 'closed loop (as fast as possible)'}</dd>
              <dt>Request timeout</dt>
              <dd>{formatSeconds(spec.requestTimeoutSeconds)}</dd>
              {spec.headers.length > 0 ? (
                <>
                  <dt>Headers</dt>
                  <dd className="mono">
                    {spec.headers.map((h) => (
                      <div key={h.name}>
                        {h.name}: {h.value}
                      </div>
                    ))}
                  </dd>
                </>
              ) : null}
              {spec.contentType ? (
                <>
                  <dt>Content type</dt>
                  <dd className="mono">{spec.contentType}</dd>
                </>
              ) : null}
              {spec.body ? (
                <>
                  <dt>Body</dt>
                  <dd className="mono">{spec.body.length > 200 ? `${spec.body.slice(0, 200)}…` : spec.body}</dd>
                </>
              ) : null}
              {result.profileId ? (
                <>
                  <dt>Profile</dt>
                  <dd>
                    <Link to={`/performance/results?profile=${encodeURIComponent(result.profileId)}`}>other runs of this profile</Link>
                  </dd>
                </>
              ) : null}
            </dl>
          ) : (
            <EmptyState title="Imported without its configuration" />
          )}
        </Card>
        <Card title="Environment">
          <dl className="kv">
            <dt>Load generator</dt>
            <dd>
              {env.loadGenerator ?? '—'} {env.loadGeneratorVersion ?? ''}
            </dd>
            <dt>Plugin</dt>
            <dd>
              {env.pluginId ?? '—'} {env.pluginVersion ?? ''}
            </dd>
            <dt>Server</dt>
            <dd>{env.serverVersion ?? '—'}</dd>
            <dt>Host</dt>
            <dd>
              {env.hostname ?? '—'}
              {env.platform ? ` · ${env.platform}` : ''}
              {env.cpus ? ` · ${env.cpus} CPUs` : ''}
            </dd>
            <dt>Node.js</dt>
            <dd>{env.nodeVersion ?? '—'}</dd>
            <dt>Result id</dt>
            <dd className="mono">{result.id}</dd>
          </dl>
        </Card>
      </div>
    </>
  );
}

export default function ResultPage() {
  const { id = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(RESULT, { variables: { id } });
  return (
    <>
      <PageHeader
        title="Performance result"
        description="Latency distribution, percentiles, status codes and errors of one run, and its SMP document."
        actions={
          <ButtonLink to={`/performance/results`} variant="ghost">
            All results
          </ButtonLink>
        }
      />
      <PerformanceNav />
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading the result…" />
      {data ? <ResultView result={data.performanceResult} /> : null}
    </>
  );
}
