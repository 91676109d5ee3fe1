import type { LatencySummaryMs, LoadTestSpec } from '@meshery/plugin-api';
import type { PerformanceProfileEntity } from './entities/performance-profile.entity.js';
import type { PerformanceResultEntity } from './entities/performance-result.entity.js';
import type {
  CountModel,
  LabelModel,
  LatencySummaryModel,
  LoadTestSpecModel,
  PerformanceProfileModel,
  PerformanceResultModel,
  PerformanceRunStatusModel,
} from './models/performance.models.js';

/** `{a: '1'}` → `[{key: 'a', value: '1'}]`, sorted by key. */
export function toLabelList(labels: Readonly<Record<string, string>>): LabelModel[] {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
}

function toCounts(counts: Readonly<Record<string, number>> | null): CountModel[] {
  return Object.entries(counts ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => ({ key, count }));
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}

export function toSpecModel(spec: LoadTestSpec, loadGenerator: string | undefined): LoadTestSpecModel {
  return defined({
    url: spec.url,
    method: spec.method,
    headers: Object.entries(spec.headers).map(([name, value]) => ({ name, value })),
    body: spec.body,
    contentType: spec.contentType,
    connections: spec.connections,
    durationSeconds: spec.durationSeconds,
    rate: spec.rate,
    warmupSeconds: spec.warmupSeconds,
    requestTimeoutSeconds: spec.requestTimeoutSeconds,
    loadGenerator,
  });
}

export function profileSpec(profile: PerformanceProfileEntity): LoadTestSpec {
  return {
    url: profile.url,
    method: profile.method,
    headers: profile.headers,
    ...(profile.body !== null ? { body: profile.body } : {}),
    ...(profile.contentType !== null ? { contentType: profile.contentType } : {}),
    connections: profile.connections,
    durationSeconds: profile.durationSeconds,
    ...(profile.rate !== null ? { rate: profile.rate } : {}),
    warmupSeconds: profile.warmupSeconds,
    requestTimeoutSeconds: profile.requestTimeoutSeconds,
  };
}

export function toProfileModel(profile: PerformanceProfileEntity): PerformanceProfileModel {
  return {
    ...toSpecModel(profileSpec(profile), profile.loadGenerator),
    id: profile.id,
    name: profile.name,
    labels: toLabelList(profile.labels),
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

function latencyModel(latency: LatencySummaryMs): LatencySummaryModel {
  return {
    minMs: latency.min,
    meanMs: latency.mean,
    stddevMs: latency.stddev,
    p50Ms: latency.p50,
    p75Ms: latency.p75,
    p90Ms: latency.p90,
    p99Ms: latency.p99,
    p999Ms: latency.p999,
    maxMs: latency.max,
  };
}

export function toResultModel(result: PerformanceResultEntity, publicUrl: string): PerformanceResultModel {
  const hasLatency = result.latencyP50Ms !== null;
  const base = `${publicUrl}/api/performance/results/${encodeURIComponent(result.id)}`;
  return defined({
    id: result.id,
    name: result.name,
    status: result.status as PerformanceRunStatusModel,
    source: result.source,
    profileId: result.profileId,
    spec: result.spec ? toSpecModel(result.spec, result.environment.loadGenerator) : undefined,
    loadModel: result.loadModel,
    labels: toLabelList(result.labels),
    createdAt: result.createdAt,
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    measuredDurationSeconds: result.measuredDurationSeconds,
    requests: result.requests,
    throughputRps: result.throughputRps,
    latency: hasLatency
      ? defined({
          minMs: result.latencyMinMs!,
          meanMs: result.latencyMeanMs!,
          stddevMs: result.latencyStddevMs ?? undefined,
          p50Ms: result.latencyP50Ms!,
          p75Ms: result.latencyP75Ms ?? undefined,
          p90Ms: result.latencyP90Ms!,
          p99Ms: result.latencyP99Ms!,
          p999Ms: result.latencyP999Ms ?? undefined,
          maxMs: result.latencyMaxMs!,
        })
      : undefined,
    statusCodes: toCounts(result.statusCodes),
    errors: result.errors,
    errorsByType: toCounts(result.errorsByType),
    timeouts: result.timeouts,
    bytesRead: result.bytesRead,
    bytesWritten: result.bytesWritten,
    histogram: result.histogram,
    openLoop: result.openLoop
      ? {
          targetRate: result.openLoop.targetRate,
          achievedRate: result.openLoop.achievedRate,
          scheduledSends: result.openLoop.scheduledSends,
          lateSends: result.openLoop.lateSends,
          lateThresholdMs: result.openLoop.lateThresholdMs,
          lateness: { ...result.openLoop.lateness },
          ...(result.openLoop.serviceTimeMs ? { serviceTime: latencyModel(result.openLoop.serviceTimeMs) } : {}),
          serviceTimeHistogram: result.openLoop.serviceTimeHistogram,
          ...(result.openLoop.generatorDelayMs ? { generatorDelay: { ...result.openLoop.generatorDelayMs } } : {}),
        }
      : undefined,
    environment: defined({ ...result.environment }),
    samples: result.samples,
    failure: result.failure ? defined({ ...result.failure }) : undefined,
    smpJsonUrl: `${base}/smp.json`,
    smpYamlUrl: `${base}/smp.yaml`,
  }) as PerformanceResultModel;
}
