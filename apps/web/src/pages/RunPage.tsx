import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { CANCEL_TEST, PROGRESS, RESULT } from '../api/documents.ts';
import { errorDetails } from '../api/errors.ts';
import type { ErrorInfo, ProgressSample, RunStatus } from '../api/types.ts';
import { Chart } from '../charts/Chart.tsx';
import { latencyOverTimeOption, rpsOverTimeOption } from '../charts/options.ts';
import { formatMs, formatNumber, formatRps, formatSeconds } from '../lib/format.ts';
import { mergeSamples } from '../lib/samples.ts';
import { Alert, Button, ButtonLink, Card, ErrorView, LabelChips, PageHeader, RunStatusBadge, Stats } from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { PerformanceNav } from './PerformanceNav.tsx';

function LiveRun({ id }: { id: string }) {
  const result = useQuery(RESULT, { variables: { id }, fetchPolicy: 'network-only' });
  const [live, setLive] = useState<ProgressSample[]>([]);
  const [finalStatus, setFinalStatus] = useState<RunStatus | null>(null);
  const [failure, setFailure] = useState<ErrorInfo | null>(null);
  const refetchResult = result.refetch;
  const subscription = useSubscription(PROGRESS, {
    variables: { runId: id },
    onData: ({ data }) => {
      const event = data.data?.performanceTestProgress;
      if (!event) return;
      const sample = event.sample;
      if (sample) setLive((current) => mergeSamples(current, [sample]));
      if (event.done) {
        setFinalStatus(event.status);
        setFailure(event.result?.failure ?? null);
        void refetchResult();
      }
    },
  });
  const [cancel, cancelling] = useMutation(CANCEL_TEST);

  const stored = result.data?.performanceResult;
  const status: RunStatus | undefined = finalStatus ?? (stored?.status === 'RUNNING' ? 'RUNNING' : stored?.status);
  const running = status === 'RUNNING';
  const samples = mergeSamples(stored?.samples ?? [], live);
  const last = samples.at(-1);
  const spec = stored?.spec;
  const plannedSeconds = spec ? spec.durationSeconds + spec.warmupSeconds : undefined;
  const elapsed = last?.elapsedSeconds ?? 0;
  const progress = plannedSeconds ? Math.min(100, (elapsed / plannedSeconds) * 100) : 0;
  const problem = failure ?? stored?.failure ?? null;

  return (
    <>
      <QueryState loading={result.loading} error={result.error} hasData={!!stored} refetch={result.refetch} label="Loading the run…" />
      {stored ? (
        <>
          <Card
            title={
              <span className="live-header">
                {stored.name} {status ? <RunStatusBadge status={status} /> : null}
              </span>
            }
            description={
              spec ? (
                <span className="mono">
                  {spec.method} {spec.url} · {spec.connections} connections · {formatSeconds(spec.durationSeconds)}
                  {spec.warmupSeconds > 0 ? ` + ${formatSeconds(spec.warmupSeconds)} warm-up` : ''}
                  {spec.rate ? ` · open loop at ${formatNumber(spec.rate)} req/s` : ' · closed loop'}
                </span>
              ) : undefined
            }
            actions={
              running ? (
                <Button variant="danger" busy={cancelling.loading} onClick={() => void cancel({ variables: { runId: id } }).catch(() => undefined)}>
                  Cancel test
                </Button>
              ) : (
                <ButtonLink variant="primary" to={`/performance/results/${id}`}>
                  Open the result
                </ButtonLink>
              )
            }
          >
            {stored.labels.length > 0 ? <LabelChips labels={stored.labels} /> : null}
            {running ? (
              <div
                className="progress"
                role="progressbar"
                aria-label="Test progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(progress)}
              >
                <span style={{ width: `${progress}%` }} />
              </div>
            ) : null}
            {cancelling.error ? <ErrorView details={errorDetails(cancelling.error)} /> : null}
            {subscription.error ? (
              <ErrorView title="Live updates stopped" details={errorDetails(subscription.error)} onRetry={() => subscription.restart()} />
            ) : null}
            {!running && status ? (
              status === 'COMPLETED' ? (
                <Alert tone="success" title="The test completed">
                  <p>Its result is stored; open it for the latency histogram, percentiles and the SMP download.</p>
                </Alert>
              ) : (
                <Alert tone={status === 'FAILED' ? 'error' : 'warning'} title={status === 'FAILED' ? 'The test failed' : `The test was ${status.toLowerCase()}`}>
                  {problem ? <p>{problem.message}</p> : null}
                  {problem?.probableCause ? <p>Probable cause: {problem.probableCause}</p> : null}
                  {problem?.remediation ? <p>Remediation: {problem.remediation}</p> : null}
                  {status !== 'FAILED' ? <p>The samples gathered until then are kept with the result.</p> : null}
                </Alert>
              )
            ) : null}
            <Stats
              items={[
                { label: 'Elapsed', value: formatSeconds(elapsed), hint: plannedSeconds ? `of ${formatSeconds(plannedSeconds)}` : undefined },
                { label: 'Phase', value: last?.phase ?? (running ? 'starting' : '—') },
                { label: 'Current rate', value: formatRps(last?.currentRps) },
                { label: 'Responses', value: formatNumber(last?.requests) },
                { label: 'Errors', value: formatNumber(last?.errors) },
                { label: 'p50 so far', value: formatMs(last?.latencyP50Ms) },
                { label: 'p99 so far', value: formatMs(last?.latencyP99Ms) },
              ]}
            />
          </Card>
          <div className="grid grid-2">
            <Card title="Requests per second" description={running ? 'Live: a sample every second.' : 'One sample per second of the run.'}>
              <Chart
                testId="live-rps-chart"
                label={`Requests per second over time, ${samples.length} samples; latest ${formatRps(last?.currentRps)}`}
                option={rpsOverTimeOption(samples, plannedSeconds)}
                points={samples.length}
              />
            </Card>
            <Card title="Latency" description="Median and 99th percentile of the phase so far.">
              <Chart
                testId="live-latency-chart"
                label={`Latency p50 and p99 over time, ${samples.length} samples; latest p99 ${formatMs(last?.latencyP99Ms)}`}
                option={latencyOverTimeOption(samples, plannedSeconds)}
                points={samples.filter((s) => s.latencyP50Ms !== null && s.latencyP50Ms !== undefined).length}
              />
            </Card>
          </div>
        </>
      ) : null}
    </>
  );
}

export default function RunPage() {
  const { id = '' } = useParams();
  return (
    <>
      <PageHeader title="Performance test run" description="Live progress of a load test. Cancelling stops the load within a second and keeps the partial result." />
      <PerformanceNav />
      <LiveRun key={id} id={id} />
    </>
  );
}
