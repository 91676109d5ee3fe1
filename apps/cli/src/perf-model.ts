/** GraphQL selections and TypeScript shapes of the performance API. */

export interface Label {
  key: string;
  value: string;
}

export interface LoadTestSpec {
  url: string;
  method: string;
  headers: { name: string; value: string }[];
  body?: string | null;
  contentType?: string | null;
  connections: number;
  durationSeconds: number;
  rate?: number | null;
  warmupSeconds: number;
  requestTimeoutSeconds: number;
  loadGenerator?: string | null;
}

export interface LatencySummary {
  minMs: number;
  meanMs: number;
  stddevMs?: number | null;
  p50Ms: number;
  p75Ms?: number | null;
  p90Ms: number;
  p99Ms: number;
  p999Ms?: number | null;
  maxMs: number;
}

export interface ErrorInfo {
  code: string;
  message: string;
  probableCause?: string | null;
  remediation?: string | null;
}

export type RunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED';

export interface PerformanceResult {
  id: string;
  name: string;
  status: RunStatus;
  source: string;
  profileId?: string | null;
  loadModel?: string | null;
  labels: Label[];
  createdAt: string;
  startedAt: string;
  endedAt?: string | null;
  measuredDurationSeconds?: number | null;
  requests?: number | null;
  throughputRps?: number | null;
  errors?: number | null;
  timeouts?: number | null;
  bytesRead?: number | null;
  bytesWritten?: number | null;
  latency?: LatencySummary | null;
  statusCodes: { key: string; count: number }[];
  errorsByType: { key: string; count: number }[];
  spec?: LoadTestSpec | null;
  openLoop?: {
    targetRate: number;
    achievedRate: number;
    scheduledSends: number;
    lateSends: number;
    lateThresholdMs: number;
    generatorDelay?: { p99Ms: number; maxMs: number } | null;
  } | null;
  environment: Record<string, string | number | null>;
  failure?: ErrorInfo | null;
  smpJsonUrl: string;
  smpYamlUrl: string;
}

export interface PerformanceProfile extends LoadTestSpec {
  id: string;
  name: string;
  labels: Label[];
  createdAt: string;
  updatedAt: string;
}

export interface ProgressSample {
  phase: string;
  elapsedSeconds: number;
  requests: number;
  errors: number;
  currentRps: number;
  latencyP50Ms?: number | null;
  latencyP99Ms?: number | null;
}

export interface ProgressEvent {
  runId: string;
  status: RunStatus;
  done: boolean;
  sample?: ProgressSample | null;
  result?: PerformanceResult | null;
}

const SPEC = `url method headers { name value } body contentType connections durationSeconds rate warmupSeconds requestTimeoutSeconds loadGenerator`;

export const RESULT_FIELDS = `
  id name status source profileId loadModel
  labels { key value }
  createdAt startedAt endedAt measuredDurationSeconds
  requests throughputRps errors timeouts bytesRead bytesWritten
  latency { minMs meanMs stddevMs p50Ms p75Ms p90Ms p99Ms p999Ms maxMs }
  statusCodes { key count }
  errorsByType { key count }
  spec { ${SPEC} }
  openLoop { targetRate achievedRate scheduledSends lateSends lateThresholdMs generatorDelay { p99Ms maxMs } }
  environment { loadGenerator loadGeneratorVersion pluginId pluginVersion serverVersion hostname platform nodeVersion cpus }
  failure { code message probableCause remediation }
  smpJsonUrl smpYamlUrl`;

export const PROFILE_FIELDS = `id name ${SPEC} labels { key value } createdAt updatedAt`;

export const SAMPLE_FIELDS = `phase elapsedSeconds requests errors currentRps latencyP50Ms latencyP99Ms`;

/** Responses with a 4xx or 5xx status. */
export function failedResponses(result: Pick<PerformanceResult, 'statusCodes'>): number {
  return result.statusCodes.filter((c) => Number(c.key) >= 400).reduce((sum, c) => sum + c.count, 0);
}

/**
 * Percentage of requests that failed: requests without a response (connection errors and
 * timeouts) plus 4xx/5xx responses, over all requests sent. Null when nothing is known.
 */
export function errorRatePercent(result: Pick<PerformanceResult, 'requests' | 'errors' | 'statusCodes'>): number | null {
  if (result.requests === null || result.requests === undefined) return null;
  const errors = result.errors ?? 0;
  const attempts = result.requests + errors;
  if (attempts === 0) return null;
  return ((errors + failedResponses(result)) / attempts) * 100;
}
