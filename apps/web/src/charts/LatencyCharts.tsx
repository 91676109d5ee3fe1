import { useMemo, type ReactNode } from 'react';
import type { LatencyHistogram } from '../api/types.ts';
import { formatMs, formatNumber } from '../lib/format.ts';
import {
  bucketize,
  CHART_PERCENTILES,
  cumulativeDistribution,
  decodeHistogram,
  sharedBucketEdges,
  valueAtPercentile,
  type DecodedHistogram,
} from '../lib/histogram.ts';
import { Alert } from '../ui/components.tsx';
import { Chart } from './Chart.tsx';
import { cdfOption, histogramOption, percentileOption } from './options.ts';

export interface NamedHistogram {
  name: string;
  histogram: LatencyHistogram | null | undefined;
}

export interface DecodedSeries {
  name: string;
  decoded: DecodedHistogram | null;
  error?: string;
}

/** Decodes each histogram once; a histogram that cannot be decoded carries its error. */
export function useDecoded(histograms: readonly NamedHistogram[]): DecodedSeries[] {
  const key = histograms.map((h) => `${h.name}\u0000${h.histogram?.data ?? ''}`).join('\u0001');
  // Keyed on the names and data, not the array's identity, so re-renders do not decode again.
  return useMemo(
    () =>
      histograms.map(({ name, histogram }) => {
        if (!histogram?.data) return { name, decoded: null };
        try {
          return { name, decoded: decodeHistogram(histogram.data) };
        } catch (error) {
          return { name, decoded: null, error: (error as Error).message };
        }
      }),
    [key],
  );
}

const BUCKETS = 48;

/**
 * The latency histogram (log buckets), the cumulative distribution and latency per percentile of
 * one or more histograms, overlaid on shared axes.
 */
export function LatencyCharts({
  series,
  testIdPrefix = 'latency',
  aside,
}: {
  series: DecodedSeries[];
  testIdPrefix?: string;
  /** Shown beside the percentile chart (the result page puts the reported summary there). */
  aside?: ReactNode;
}) {
  const usable = series.filter((s): s is DecodedSeries & { decoded: DecodedHistogram } => s.decoded !== null && s.decoded.totalCount > 0);
  const failed = series.filter((s) => s.error);
  const missing = series.filter((s) => !s.error && (s.decoded === null || s.decoded.totalCount === 0));
  const edges = sharedBucketEdges(
    usable.map((s) => s.decoded),
    BUCKETS,
  );
  const buckets = usable.map((s) => ({ name: s.name, buckets: bucketize(s.decoded.values, edges) }));
  const cdfs = usable.map((s) => ({ name: s.name, points: cumulativeDistribution(s.decoded.values) }));
  const percentiles = usable.map((s) => ({ name: s.name, values: CHART_PERCENTILES.map((p) => valueAtPercentile(s.decoded.values, p)) }));
  const histogramPoints = buckets.reduce((n, s) => n + s.buckets.filter((b) => b.count > 0).length, 0);
  const cdfPoints = cdfs.reduce((n, s) => n + s.points.length, 0);
  const overlay = usable.length > 1;
  return (
    <>
      {failed.map((s) => (
        <Alert key={s.name} tone="error" title={`The histogram of ${s.name} could not be decoded`}>
          <p>{s.error}</p>
        </Alert>
      ))}
      {missing.length > 0 ? (
        <Alert tone="info" title={`No latency histogram for ${missing.map((s) => s.name).join(', ')}`}>
          <p>Imported SMP results and runs stopped before their first response carry none; their summary figures are still shown.</p>
        </Alert>
      ) : null}
      {usable.length > 0 ? (
        <>
          <div className="grid grid-2">
            <div>
              <h3 className="card-title">Latency histogram</h3>
              <Chart
                testId={`${testIdPrefix}-histogram`}
                label={`Latency histogram${overlay ? ' overlay' : ''}: share of requests per latency bucket from ${formatMs(edges[0])} to ${formatMs(edges.at(-1))}`}
                option={histogramOption(buckets)}
                points={histogramPoints}
                caption={`Share of requests per latency bucket (${BUCKETS} log-spaced buckets${overlay ? ', shared by all results' : ''}).`}
              />
            </div>
            <div>
              <h3 className="card-title">Cumulative distribution</h3>
              <Chart
                testId={`${testIdPrefix}-cdf`}
                label={`Cumulative latency distribution${overlay ? ' overlay' : ''}`}
                option={cdfOption(cdfs)}
                points={cdfPoints}
                caption="Share of requests answered within a latency (log scale). Further left is faster."
              />
            </div>
          </div>
          <div className={aside ? 'latency-layout' : undefined} style={aside ? undefined : { marginTop: '1rem' }}>
            {aside ? <div>{aside}</div> : null}
            <div>
              <h3 className="card-title">Latency by percentile</h3>
              <Chart
                testId={`${testIdPrefix}-percentiles`}
                label="Latency at each percentile"
                option={percentileOption(percentiles, CHART_PERCENTILES)}
                points={percentiles.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0)}
                height={240}
              />
            </div>
          </div>
          <div className="table-wrap" style={{ marginTop: '1rem' }}>
            <table className="table" aria-label="Latency by percentile, from the histogram">
              <thead>
                <tr>
                  <th scope="col">{overlay ? 'Result' : 'From the histogram'}</th>
                  {CHART_PERCENTILES.map((p) => (
                    <th scope="col" className="num" key={p}>
                      {p === 100 ? 'max' : `p${p}`}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    Requests
                  </th>
                </tr>
              </thead>
              <tbody>
                {percentiles.map((s, i) => (
                  <tr key={s.name}>
                    <th scope="row">{s.name}</th>
                    {s.values.map((v, j) => (
                      <td className="num" key={j}>
                        {formatMs(v)}
                      </td>
                    ))}
                    <td className="num">{formatNumber(usable[i]!.decoded.totalCount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
