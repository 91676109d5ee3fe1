import type { LoadTestSpec } from '@meshery/plugin-api';
import type { PerformanceResultEntity } from '../entities/performance-result.entity.js';

/** The SMP version these documents follow. */
export const SMP_VERSION = 'v0.0.1';

/** SMP `PerformanceTestConfig.Client`. */
export interface SmpClient {
  internal?: boolean;
  load_generator?: string;
  protocol?: 'http' | 'tcp' | 'udp' | 'grpc';
  connections?: number;
  rps?: number;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  body?: string;
  content_type?: string;
  endpoint_urls?: string[];
  ssl_certificate?: string;
  additional_options?: string;
}

/** SMP `PerformanceTestConfig`. */
export interface SmpPerformanceTestConfig {
  smp_version?: string;
  id?: string;
  name?: string;
  labels?: Record<string, string>;
  clients?: SmpClient[];
  duration?: string;
}

/** SMP `PerformanceTestResult`. */
export interface SmpPerformanceTestResult {
  smp_version?: string;
  id?: string;
  labels?: Record<string, string>;
  start_time?: string;
  end_time?: string;
  latencies_ms?: { min?: number; average?: number; p50?: number; p90?: number; p99?: number; max?: number };
  actual_qps?: number;
  details_uri?: string;
  test_id?: string;
  mesh_config_id?: string;
  env_id?: string;
}

/** The downloadable document: a result with the configuration that produced it. */
export interface SmpDocument {
  performance_test_result: SmpPerformanceTestResult;
  performance_test_config?: SmpPerformanceTestConfig;
}

/** The options SMP has no field for, carried in `additional_options` as JSON. */
export interface AdditionalOptions {
  method?: string;
  warmup_seconds?: number;
  request_timeout_seconds?: number;
  load_model?: string;
}

/** Go-style duration (`30s`, `1.5s`, `2m0s`) as SMP writes it. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Number((seconds - minutes * 60).toFixed(3));
  if (minutes < 60) return `${minutes}m${rest}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m${rest}s`;
}

/** Parses `1h2m3.5s`, `90s`, `500ms`, or a bare number of seconds; undefined when malformed. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const pattern = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let matched = 0;
  for (const match of trimmed.matchAll(pattern)) {
    matched += match[0].length;
    const value = Number(match[1]);
    const unit = match[2];
    total += value * (unit === 'h' ? 3600 : unit === 'm' ? 60 : unit === 's' ? 1 : unit === 'ms' ? 1e-3 : unit === 'ns' ? 1e-9 : 1e-6);
  }
  return matched === trimmed.length && matched > 0 ? total : undefined;
}

function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function splitCookies(headers: Readonly<Record<string, string>>): {
  headers: Record<string, string>;
  cookies: Record<string, string>;
} {
  const rest: Record<string, string> = {};
  const cookies: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'cookie') {
      rest[name] = value;
      continue;
    }
    for (const pair of value.split(';')) {
      const at = pair.indexOf('=');
      if (at > 0) cookies[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
  }
  return { headers: rest, cookies };
}

function clientOf(spec: LoadTestSpec, loadGenerator: string | undefined, loadModel: string | null): SmpClient {
  const { headers, cookies } = splitCookies(spec.headers);
  const additional: AdditionalOptions = omitUndefined({
    method: spec.method,
    warmup_seconds: spec.warmupSeconds,
    request_timeout_seconds: spec.requestTimeoutSeconds,
    load_model: loadModel ?? undefined,
  });
  return omitUndefined({
    // The load generator runs beside the server, outside the cluster under test.
    internal: false,
    load_generator: loadGenerator,
    protocol: 'http' as const,
    connections: spec.connections,
    rps: spec.rate,
    headers: Object.keys(headers).length > 0 ? headers : undefined,
    cookies: Object.keys(cookies).length > 0 ? cookies : undefined,
    body: spec.body,
    content_type: spec.contentType,
    endpoint_urls: [spec.url],
    additional_options: JSON.stringify(additional),
  });
}

/**
 * A stored result as an SMP document. Fields whose value is not known are left out, never
 * filled with a placeholder. `detailsUri` links to the full result (histogram included).
 */
export function toSmpDocument(result: PerformanceResultEntity, detailsUri: string): SmpDocument {
  const smp = result.smp ?? {};
  const version = smp.smp_version ?? SMP_VERSION;
  const latencies =
    result.latencyP50Ms !== null
      ? omitUndefined({
          min: result.latencyMinMs ?? undefined,
          average: result.latencyMeanMs ?? undefined,
          p50: result.latencyP50Ms ?? undefined,
          p90: result.latencyP90Ms ?? undefined,
          p99: result.latencyP99Ms ?? undefined,
          max: result.latencyMaxMs ?? undefined,
        })
      : undefined;
  const labels = Object.keys(result.labels).length > 0 ? { ...result.labels } : undefined;
  const imported = result.source === 'import';
  const configClients = imported
    ? (smp.clients as SmpClient[] | undefined)
    : result.spec
      ? [clientOf(result.spec, result.environment.loadGenerator, result.loadModel)]
      : undefined;
  const duration = imported ? smp.duration : result.spec ? formatDuration(result.spec.durationSeconds) : undefined;
  return {
    performance_test_result: omitUndefined({
      smp_version: version,
      id: result.id,
      labels,
      start_time: result.startedAt,
      end_time: result.endedAt ?? undefined,
      latencies_ms: latencies,
      actual_qps: result.throughputRps ?? undefined,
      details_uri: imported ? smp.details_uri : detailsUri,
      test_id: result.testConfigId,
      mesh_config_id: smp.mesh_config_id,
      env_id: smp.env_id,
    }),
    performance_test_config: omitUndefined({
      smp_version: version,
      id: result.testConfigId,
      name: imported ? smp.config_name : result.name,
      labels: imported ? smp.config_labels : labels,
      clients: configClients,
      duration,
    }),
  };
}
