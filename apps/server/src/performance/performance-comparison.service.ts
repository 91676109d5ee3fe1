import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { invalidInput, notFound } from '../graphql/api-error.js';
import { PerformanceResultEntity } from './entities/performance-result.entity.js';

/** Most results compared at once. */
export const MAX_COMPARED_RESULTS = 10;

const METRICS: readonly { metric: string; value: (r: PerformanceResultEntity) => number | null }[] = [
  { metric: 'minMs', value: (r) => r.latencyMinMs },
  { metric: 'p50Ms', value: (r) => r.latencyP50Ms },
  { metric: 'p90Ms', value: (r) => r.latencyP90Ms },
  { metric: 'p99Ms', value: (r) => r.latencyP99Ms },
  { metric: 'p999Ms', value: (r) => r.latencyP999Ms },
  { metric: 'maxMs', value: (r) => r.latencyMaxMs },
  { metric: 'meanMs', value: (r) => r.latencyMeanMs },
  { metric: 'throughputRps', value: (r) => r.throughputRps },
  {
    metric: 'errorRatePercent',
    value: (r) =>
      r.errors === null || r.requests === null || r.requests + r.errors === 0 ? null : (100 * r.errors) / (r.requests + r.errors),
  },
];

/** A short, recognisable name of a result for messages. */
const label = (r: PerformanceResultEntity): string => `"${r.name}" (${r.id.slice(0, 8)})`;

/** Results side by side, with the differences from the first and what makes them hard to compare. */
@Injectable()
export class PerformanceComparisonService {
  constructor(@InjectRepository(PerformanceResultEntity) private readonly results: Repository<PerformanceResultEntity>) {}

  async compare(ids: readonly string[]): Promise<{
    results: PerformanceResultEntity[];
    metrics: { metric: string; values: (number | null)[]; differencesPercent: (number | null)[] }[];
    warnings: string[];
  }> {
    if (ids.length < 2 || ids.length > MAX_COMPARED_RESULTS || new Set(ids).size !== ids.length) {
      throw invalidInput('comparison', [
        { field: 'ids', message: `give 2 to ${MAX_COMPARED_RESULTS} different result ids; the first is the baseline` },
      ]);
    }
    const found = await this.results.find({ where: { id: In([...ids]) } });
    const results = ids.map((id) => {
      const result = found.find((r) => r.id === id);
      if (!result) throw notFound('performance result', id);
      return result;
    });
    const metrics = METRICS.map(({ metric, value }) => {
      const values = results.map(value);
      const base = values[0];
      return {
        metric,
        values,
        differencesPercent: values.map((v) =>
          v === null || base === null || base === undefined || base === 0 ? null : ((v - base) / base) * 100,
        ),
      };
    });
    return { results, metrics, warnings: comparisonWarnings(results) };
  }
}

/** What a user should know before trusting the differences. */
export function comparisonWarnings(results: readonly PerformanceResultEntity[]): string[] {
  const warnings: string[] = [];
  const byModel = new Map<string, PerformanceResultEntity[]>();
  for (const r of results) byModel.set(r.loadModel ?? 'unknown', [...(byModel.get(r.loadModel ?? 'unknown') ?? []), r]);
  if (byModel.has('open-loop') && byModel.has('closed-loop')) {
    warnings.push(
      `These results use different load models (open loop: ${byModel.get('open-loop')!.map(label).join(', ')}; ` +
        `closed loop: ${byModel.get('closed-loop')!.map(label).join(', ')}). Closed-loop latencies leave out the ` +
        `queueing a slow or stalled target causes (coordinated omission), so they look better than open-loop ones ` +
        `of the same service: compare results of the same model.`,
    );
  }
  if (byModel.has('unknown')) {
    warnings.push(`The load model of ${byModel.get('unknown')!.map(label).join(', ')} is unknown (imported without it).`);
  }
  const rates = new Set(results.filter((r) => r.loadModel === 'open-loop').map((r) => r.spec?.rate));
  if (rates.size > 1) {
    warnings.push(`The open-loop results were run at different rates (${[...rates].join(', ')} req/s): latency depends on the load.`);
  }
  const connections = new Set(results.map((r) => r.spec?.connections).filter((c) => c !== undefined));
  if (connections.size > 1) {
    warnings.push(`The results used different numbers of connections (${[...connections].join(', ')}).`);
  }
  for (const r of results) {
    if (r.status !== 'completed') warnings.push(`${label(r)} is ${r.status}: its figures cover only part of the test.`);
  }
  const partial = results.filter((r) => r.latencyP50Ms !== null && (r.latencyP999Ms === null || r.histogram === null));
  if (partial.length > 0) {
    warnings.push(`${partial.map(label).join(', ')} carry no histogram (imported SMP): p99.9 and the distribution are unknown for them.`);
  }
  return warnings;
}
