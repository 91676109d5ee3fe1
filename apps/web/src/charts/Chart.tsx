import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ReactNode } from 'react';

echarts.use([
  LineChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  MarkLineComponent,
  TitleComponent,
  AriaComponent,
  CanvasRenderer,
]);

export interface ChartProps {
  /** An ECharts option (see options.ts). */
  option: object;
  /** What the chart shows, for screen readers; the data is also in a table near each chart. */
  label: string;
  /** Data points drawn, exposed as data-points so tests (and curious people) can see the chart grow. */
  points: number;
  height?: number;
  caption?: ReactNode;
  testId?: string;
}

/**
 * An ECharts chart (canvas). Options are replaced, not merged, on each render, so a live chart
 * redraws from its full sample list every second.
 */
export function Chart({ option, label, points, height = 280, caption, testId }: ChartProps) {
  return (
    <figure className="chart" data-testid={testId} data-points={points}>
      {points === 0 ? (
        <div className="chart-empty" style={{ height }} role="img" aria-label={`${label}: no data yet`}>
          No data yet
        </div>
      ) : (
        <div role="img" aria-label={label}>
          <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height, width: '100%' }} opts={{ renderer: 'canvas' }} />
        </div>
      )}
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}
