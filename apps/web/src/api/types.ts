/**
 * TypeScript shapes of what the console asks the GraphQL API for (see apps/server/src/**\/*.models.ts).
 * Each type holds the fields the documents in documents.ts select, nothing more.
 */

export interface Label {
  key: string;
  value: string;
}

export interface HttpHeader {
  name: string;
  value: string;
}

export interface Count {
  key: string;
  count: number;
}

export interface ErrorInfo {
  code: string;
  message: string;
  probableCause?: string | null;
  remediation?: string | null;
}

export type PluginStatus = 'LOADED' | 'FAILED' | 'INCOMPATIBLE';

export interface Plugin {
  id: string;
  packageName?: string | null;
  version?: string | null;
  displayName?: string | null;
  description?: string | null;
  kinds: string[];
  capabilities: { kind: string; names: string[] }[];
  runtime?: string | null;
  path: string;
  status: PluginStatus;
  reason?: string | null;
}

export interface LoadGenerator {
  name: string;
  displayName: string;
  pluginId: string;
  engineVersion: string;
  protocols: string[];
  methods: string[];
  loadModels: string[];
  maxConnections: number;
  maxRate?: number | null;
  supportsWarmup: boolean;
}

export interface LoadTestSpec {
  url: string;
  method: string;
  headers: HttpHeader[];
  body?: string | null;
  contentType?: string | null;
  connections: number;
  durationSeconds: number;
  rate?: number | null;
  warmupSeconds: number;
  requestTimeoutSeconds: number;
  loadGenerator?: string | null;
}

export interface PerformanceProfile extends LoadTestSpec {
  id: string;
  name: string;
  labels: Label[];
  createdAt: string;
  updatedAt: string;
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

export interface LatencyHistogram {
  encoding: string;
  unit: string;
  lowestDiscernibleValue: number;
  highestTrackableValue: number;
  significantDigits: number;
  data: string;
}

export interface OpenLoopStats {
  targetRate: number;
  achievedRate: number;
  scheduledSends: number;
  lateSends: number;
  lateThresholdMs: number;
  lateness: { meanMs: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** How long the generator's own thread was held up (GC, a busy CPU); absent in older results. */
  generatorDelay?: { p99Ms: number; maxMs: number } | null;
  serviceTime?: LatencySummary | null;
  serviceTimeHistogram: LatencyHistogram;
}

export interface PerformanceEnvironment {
  loadGenerator?: string | null;
  loadGeneratorVersion?: string | null;
  pluginId?: string | null;
  pluginVersion?: string | null;
  serverVersion?: string | null;
  hostname?: string | null;
  platform?: string | null;
  nodeVersion?: string | null;
  cpus?: number | null;
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

export type RunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED';

/** A row of the results table. */
export interface PerformanceResultSummary {
  id: string;
  name: string;
  status: RunStatus;
  source: string;
  profileId?: string | null;
  loadModel?: string | null;
  labels: Label[];
  startedAt: string;
  endedAt?: string | null;
  measuredDurationSeconds?: number | null;
  requests?: number | null;
  throughputRps?: number | null;
  errors?: number | null;
  latency?: LatencySummary | null;
}

/** Everything the result page shows. */
export interface PerformanceResult extends PerformanceResultSummary {
  createdAt: string;
  spec?: LoadTestSpec | null;
  statusCodes: Count[];
  errorsByType: Count[];
  timeouts?: number | null;
  bytesRead?: number | null;
  bytesWritten?: number | null;
  histogram?: LatencyHistogram | null;
  openLoop?: OpenLoopStats | null;
  environment: PerformanceEnvironment;
  samples: ProgressSample[];
  failure?: ErrorInfo | null;
  smpJsonUrl: string;
  smpYamlUrl: string;
}

export interface PerformanceResultPage {
  items: PerformanceResultSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface PerformanceTestProgress {
  runId: string;
  status: RunStatus;
  done: boolean;
  sample?: ProgressSample | null;
  result?: { id: string; status: RunStatus; failure?: ErrorInfo | null } | null;
}

export interface MetricComparison {
  metric: string;
  values: (number | null)[];
  differencesPercent: (number | null)[];
}

export interface PerformanceComparison {
  results: PerformanceResult[];
  metrics: MetricComparison[];
  warnings: string[];
}

export type ResultSortField = 'STARTED_AT' | 'NAME' | 'THROUGHPUT' | 'LATENCY_P50' | 'LATENCY_P99' | 'REQUESTS';
export type SortDirection = 'ASC' | 'DESC';

export interface ResultFilter {
  profileId?: string;
  labels?: Label[];
  startedAfter?: string;
  startedBefore?: string;
  statuses?: string[];
}

export interface ClusterConnection {
  id: string;
  name: string;
  contextName: string;
  clusterName: string;
  server: string;
  defaultNamespace?: string | null;
  source: string;
  createdAt: string;
}

export interface KubeconfigContext {
  name: string;
  cluster: string;
  server: string;
  user: string;
  namespace?: string | null;
  source: string;
  current: boolean;
}

export interface ClusterInfo {
  contextId: string;
  reachable: boolean;
  serverVersion?: string | null;
  platform?: string | null;
  nodeCount?: number | null;
  error?: ErrorInfo | null;
}

/** Input of createPerformanceProfile (and, all optional, of updatePerformanceProfile). */
export interface ProfileInput {
  name: string;
  url: string;
  method: string;
  headers: HttpHeader[];
  body?: string;
  contentType?: string;
  connections: number;
  durationSeconds: number;
  rate?: number | null;
  warmupSeconds?: number | null;
  requestTimeoutSeconds: number;
  loadGenerator?: string;
  labels: Label[];
}

export interface MeshVersion {
  version: string;
  default: boolean;
}

export interface SampleApp {
  name: string;
  displayName: string;
  description: string;
}

/** A mesh a loaded plugin manages (the `meshes` query). */
export interface Mesh {
  mesh: string;
  displayName: string;
  pluginId: string;
  /** install, uninstall, status, sample-apps, injection */
  operations: string[];
  versions: MeshVersion[];
  defaultVersion?: string | null;
  sampleApps: SampleApp[];
}

export interface MeshHealthCheck {
  component: string;
  healthy: boolean;
  message: string;
  remediation?: string | null;
}

/** A sample app Meshery deployed with a mesh's plugin. */
export interface DeployedSampleApp {
  app: string;
  namespace: string;
  /** False while its deployment is under way or was cut short (deploying it again finishes it). */
  ready: boolean;
}

/** What a mesh's checks found on a cluster. */
export interface MeshStatus {
  contextId: string;
  mesh: string;
  installed: boolean;
  version?: string | null;
  namespace?: string | null;
  /** true: this Meshery installed it; false: someone else did; null when not installed. */
  managedByMeshery?: boolean | null;
  healthy: boolean;
  checks: MeshHealthCheck[];
  /** Namespaces whose new pods get this mesh's sidecar (empty when the checks could not run). */
  injectionNamespaces: string[];
  /** Sample apps Meshery deployed with this mesh's plugin (empty when the checks could not run). */
  sampleApps: DeployedSampleApp[];
  checkedAt: string;
  /** Why the checks could not run. */
  error?: ErrorInfo | null;
}

export type OperationStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED';

export interface KubeObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string | null;
}

/** A long-running action (mesh install, sample app, injection, manifest apply…). */
export interface Operation {
  id: string;
  kind: string;
  status: OperationStatus;
  summary: string;
  contextId?: string | null;
  createdAt: string;
  endedAt?: string | null;
  error?: ErrorInfo | null;
}

export interface OperationEvent {
  operationId: string;
  seq: number;
  at: string;
  /** created, configured, unchanged, deleted, absent, waiting, ready, retrying, info, step, artifact, done or failed */
  type: string;
  summary: string;
  object?: KubeObjectRef | null;
  error?: ErrorInfo | null;
}
