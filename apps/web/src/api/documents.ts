import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  ClusterConnection,
  ClusterInfo,
  KubeconfigContext,
  Label,
  LoadGenerator,
  Mesh,
  MeshStatus,
  Operation,
  OperationEvent,
  PerformanceComparison,
  PerformanceProfile,
  PerformanceResult,
  PerformanceResultPage,
  PerformanceTestProgress,
  Plugin,
  ProfileInput,
  ResultFilter,
  ResultSortField,
  SortDirection,
} from './types.ts';

const LATENCY = gql`
  fragment LatencyFields on LatencySummary {
    minMs
    meanMs
    stddevMs
    p50Ms
    p75Ms
    p90Ms
    p99Ms
    p999Ms
    maxMs
  }
`;

const PROFILE = gql`
  fragment ProfileFields on PerformanceProfile {
    id
    name
    url
    method
    headers {
      name
      value
    }
    body
    contentType
    connections
    durationSeconds
    rate
    warmupSeconds
    requestTimeoutSeconds
    loadGenerator
    labels {
      key
      value
    }
    createdAt
    updatedAt
  }
`;

const RESULT_SUMMARY = gql`
  ${LATENCY}
  fragment ResultSummaryFields on PerformanceResult {
    id
    name
    status
    source
    profileId
    loadModel
    labels {
      key
      value
    }
    startedAt
    endedAt
    measuredDurationSeconds
    requests
    throughputRps
    errors
    latency {
      ...LatencyFields
    }
  }
`;

const HISTOGRAM = gql`
  fragment HistogramFields on LatencyHistogram {
    encoding
    unit
    lowestDiscernibleValue
    highestTrackableValue
    significantDigits
    data
  }
`;

const RESULT_DETAILS = gql`
  ${RESULT_SUMMARY}
  ${HISTOGRAM}
  fragment ResultDetailsFields on PerformanceResult {
    ...ResultSummaryFields
    createdAt
    spec {
      url
      method
      headers {
        name
        value
      }
      body
      contentType
      connections
      durationSeconds
      rate
      warmupSeconds
      requestTimeoutSeconds
      loadGenerator
    }
    statusCodes {
      key
      count
    }
    errorsByType {
      key
      count
    }
    timeouts
    bytesRead
    bytesWritten
    histogram {
      ...HistogramFields
    }
    openLoop {
      targetRate
      achievedRate
      scheduledSends
      lateSends
      lateThresholdMs
      lateness {
        meanMs
        p50Ms
        p99Ms
        maxMs
      }
      generatorDelay {
        p99Ms
        maxMs
      }
      serviceTime {
        ...LatencyFields
      }
      serviceTimeHistogram {
        ...HistogramFields
      }
    }
    environment {
      loadGenerator
      loadGeneratorVersion
      pluginId
      pluginVersion
      serverVersion
      hostname
      platform
      nodeVersion
      cpus
    }
    samples {
      phase
      elapsedSeconds
      requests
      errors
      currentRps
      latencyP50Ms
      latencyP99Ms
    }
    failure {
      code
      message
      probableCause
      remediation
    }
    smpJsonUrl
    smpYamlUrl
  }
`;

export const DASHBOARD: TypedDocumentNode<
  {
    clusterConnections: ClusterConnection[];
    plugins: Plugin[];
    latest: PerformanceResultPage;
    running: PerformanceResultPage;
    performanceProfiles: Pick<PerformanceProfile, 'id' | 'name'>[];
  },
  Record<string, never>
> = gql`
  ${RESULT_SUMMARY}
  query Dashboard {
    clusterConnections {
      id
      name
      contextName
      clusterName
      server
      defaultNamespace
      source
      createdAt
    }
    plugins {
      id
      packageName
      version
      displayName
      description
      kinds
      capabilities {
        kind
        names
      }
      runtime
      path
      status
      reason
    }
    latest: performanceResults(limit: 5) {
      items {
        ...ResultSummaryFields
      }
      total
      limit
      offset
    }
    running: performanceResults(filter: { statuses: ["running"] }, limit: 10) {
      items {
        ...ResultSummaryFields
      }
      total
      limit
      offset
    }
    performanceProfiles {
      id
      name
    }
  }
`;

export const PLUGINS: TypedDocumentNode<{ plugins: Plugin[]; loadGenerators: LoadGenerator[] }, Record<string, never>> = gql`
  query Plugins {
    plugins {
      id
      packageName
      version
      displayName
      description
      kinds
      capabilities {
        kind
        names
      }
      runtime
      path
      status
      reason
    }
    loadGenerators {
      name
      displayName
      pluginId
      engineVersion
      protocols
      methods
      loadModels
      maxConnections
      maxRate
      supportsWarmup
    }
  }
`;

export const CLUSTERS: TypedDocumentNode<
  { clusterConnections: ClusterConnection[]; discoveredKubeconfigContexts: KubeconfigContext[] },
  Record<string, never>
> = gql`
  query Clusters {
    clusterConnections {
      id
      name
      contextName
      clusterName
      server
      defaultNamespace
      source
      createdAt
    }
    discoveredKubeconfigContexts {
      name
      cluster
      server
      user
      namespace
      source
      current
    }
  }
`;

export const CLUSTER_INFO: TypedDocumentNode<{ clusterInfo: ClusterInfo }, { contextId: string }> = gql`
  query ClusterInfo($contextId: ID!) {
    clusterInfo(contextId: $contextId) {
      contextId
      reachable
      serverVersion
      platform
      nodeCount
      error {
        code
        message
        probableCause
        remediation
      }
    }
  }
`;

export const ADD_CLUSTER: TypedDocumentNode<
  { addClusterConnection: ClusterConnection },
  { input: { kubeconfig?: string; context?: string; name?: string } }
> = gql`
  mutation AddClusterConnection($input: AddClusterConnectionInput!) {
    addClusterConnection(input: $input) {
      id
      name
      contextName
      clusterName
      server
      defaultNamespace
      source
      createdAt
    }
  }
`;

/**
 * Refused (PRECONDITION_FAILED) while Meshery manages objects on the cluster, unless `force`: then
 * Meshery forgets them and they stay in the cluster.
 */
export const REMOVE_CLUSTER: TypedDocumentNode<{ removeClusterConnection: boolean }, { id: string; force?: boolean }> = gql`
  mutation RemoveClusterConnection($id: ID!, $force: Boolean = false) {
    removeClusterConnection(id: $id, force: $force)
  }
`;

export const PROFILES: TypedDocumentNode<{ performanceProfiles: PerformanceProfile[] }, Record<string, never>> = gql`
  ${PROFILE}
  query PerformanceProfiles {
    performanceProfiles {
      ...ProfileFields
    }
  }
`;

export const PROFILE_EDIT: TypedDocumentNode<
  { performanceProfile: PerformanceProfile; loadGenerators: LoadGenerator[] },
  { id: string }
> = gql`
  ${PROFILE}
  query PerformanceProfileEdit($id: ID!) {
    performanceProfile(id: $id) {
      ...ProfileFields
    }
    loadGenerators {
      name
      displayName
      pluginId
      engineVersion
      protocols
      methods
      loadModels
      maxConnections
      maxRate
      supportsWarmup
    }
  }
`;

export const LOAD_GENERATORS: TypedDocumentNode<{ loadGenerators: LoadGenerator[] }, Record<string, never>> = gql`
  query LoadGenerators {
    loadGenerators {
      name
      displayName
      pluginId
      engineVersion
      protocols
      methods
      loadModels
      maxConnections
      maxRate
      supportsWarmup
    }
  }
`;

export const CREATE_PROFILE: TypedDocumentNode<{ createPerformanceProfile: PerformanceProfile }, { input: ProfileInput }> = gql`
  ${PROFILE}
  mutation CreatePerformanceProfile($input: CreatePerformanceProfileInput!) {
    createPerformanceProfile(input: $input) {
      ...ProfileFields
    }
  }
`;

export const UPDATE_PROFILE: TypedDocumentNode<
  { updatePerformanceProfile: PerformanceProfile },
  { id: string; input: Partial<ProfileInput> }
> = gql`
  ${PROFILE}
  mutation UpdatePerformanceProfile($id: ID!, $input: UpdatePerformanceProfileInput!) {
    updatePerformanceProfile(id: $id, input: $input) {
      ...ProfileFields
    }
  }
`;

export const DELETE_PROFILE: TypedDocumentNode<{ deletePerformanceProfile: boolean }, { id: string }> = gql`
  mutation DeletePerformanceProfile($id: ID!) {
    deletePerformanceProfile(id: $id)
  }
`;

export const RUN_TEST: TypedDocumentNode<
  { runPerformanceTest: { id: string; status: string; name: string } },
  { input: { profileId?: string; name?: string; labels?: Label[] } }
> = gql`
  mutation RunPerformanceTest($input: RunPerformanceTestInput!) {
    runPerformanceTest(input: $input) {
      id
      status
      name
    }
  }
`;

export const CANCEL_TEST: TypedDocumentNode<{ cancelPerformanceTest: { id: string; status: string } }, { runId: string }> = gql`
  mutation CancelPerformanceTest($runId: ID!) {
    cancelPerformanceTest(runId: $runId) {
      id
      status
    }
  }
`;

export const DELETE_RESULT: TypedDocumentNode<{ deletePerformanceResult: boolean }, { id: string }> = gql`
  mutation DeletePerformanceResult($id: ID!) {
    deletePerformanceResult(id: $id)
  }
`;

export const RESULTS: TypedDocumentNode<
  { performanceResults: PerformanceResultPage; performanceProfiles: Pick<PerformanceProfile, 'id' | 'name'>[] },
  { filter: ResultFilter; sort: { field: ResultSortField; direction: SortDirection }; limit: number; offset: number }
> = gql`
  ${RESULT_SUMMARY}
  query PerformanceResults($filter: PerformanceResultFilter, $sort: PerformanceResultSort, $limit: Int!, $offset: Int!) {
    performanceResults(filter: $filter, sort: $sort, limit: $limit, offset: $offset) {
      items {
        ...ResultSummaryFields
      }
      total
      limit
      offset
    }
    performanceProfiles {
      id
      name
    }
  }
`;

export const RESULT: TypedDocumentNode<{ performanceResult: PerformanceResult }, { id: string }> = gql`
  ${RESULT_DETAILS}
  query PerformanceResult($id: ID!) {
    performanceResult(id: $id) {
      ...ResultDetailsFields
    }
  }
`;

export const COMPARE: TypedDocumentNode<{ comparePerformanceResults: PerformanceComparison }, { ids: string[] }> = gql`
  ${RESULT_DETAILS}
  query ComparePerformanceResults($ids: [ID!]!) {
    comparePerformanceResults(ids: $ids) {
      results {
        ...ResultDetailsFields
      }
      metrics {
        metric
        values
        differencesPercent
      }
      warnings
    }
  }
`;

export const PROGRESS: TypedDocumentNode<{ performanceTestProgress: PerformanceTestProgress }, { runId: string }> = gql`
  subscription PerformanceTestProgress($runId: ID!) {
    performanceTestProgress(runId: $runId) {
      runId
      status
      done
      sample {
        phase
        elapsedSeconds
        requests
        errors
        currentRps
        latencyP50Ms
        latencyP99Ms
      }
      result {
        id
        status
        failure {
          code
          message
          probableCause
          remediation
        }
      }
    }
  }
`;

const MESH = gql`
  fragment MeshFields on Mesh {
    mesh
    displayName
    pluginId
    operations
    versions {
      version
      default
    }
    defaultVersion
    sampleApps {
      name
      displayName
      description
    }
  }
`;

const MESH_STATUS_FIELDS = gql`
  fragment MeshStatusFields on MeshStatus {
    contextId
    mesh
    installed
    version
    namespace
    managedByMeshery
    healthy
    checks {
      component
      healthy
      message
      remediation
    }
    injectionNamespaces
    sampleApps {
      app
      namespace
      ready
    }
    checkedAt
    error {
      code
      message
      probableCause
      remediation
    }
  }
`;

const OPERATION_FIELDS = gql`
  fragment OperationFields on Operation {
    id
    kind
    status
    summary
    contextId
    createdAt
    endedAt
    error {
      code
      message
      probableCause
      remediation
    }
  }
`;

const OPERATION_EVENT_FIELDS = gql`
  fragment OperationEventFields on OperationEvent {
    operationId
    seq
    at
    type
    summary
    object {
      apiVersion
      kind
      name
      namespace
    }
    error {
      code
      message
      probableCause
      remediation
    }
  }
`;

/** The clusters to pick from and the meshes the loaded plugins manage. */
export const MESHES: TypedDocumentNode<
  { clusterConnections: Pick<ClusterConnection, 'id' | 'name' | 'contextName' | 'server'>[]; meshes: Mesh[] },
  Record<string, never>
> = gql`
  ${MESH}
  query Meshes {
    clusterConnections {
      id
      name
      contextName
      server
    }
    meshes {
      ...MeshFields
    }
  }
`;

export const DETECTED_MESHES: TypedDocumentNode<{ detectedMeshes: MeshStatus[] }, { contextId: string }> = gql`
  ${MESH_STATUS_FIELDS}
  query DetectedMeshes($contextId: ID!) {
    detectedMeshes(contextId: $contextId) {
      ...MeshStatusFields
    }
  }
`;

/** For the dashboard: which meshes a cluster runs, by display name. */
export const CLUSTER_MESHES: TypedDocumentNode<
  { meshes: Pick<Mesh, 'mesh' | 'displayName'>[]; detectedMeshes: MeshStatus[] },
  { contextId: string }
> = gql`
  ${MESH_STATUS_FIELDS}
  query ClusterMeshes($contextId: ID!) {
    meshes {
      mesh
      displayName
    }
    detectedMeshes(contextId: $contextId) {
      ...MeshStatusFields
    }
  }
`;

export const MESH_STATUS: TypedDocumentNode<{ meshStatus: MeshStatus }, { contextId: string; mesh: string }> = gql`
  ${MESH_STATUS_FIELDS}
  query MeshStatus($contextId: ID!, $mesh: String!) {
    meshStatus(contextId: $contextId, mesh: $mesh) {
      ...MeshStatusFields
    }
  }
`;

export const MESH_STATUS_CHANGED: TypedDocumentNode<{ meshStatusChanged: MeshStatus }, { contextId: string; mesh: string }> = gql`
  ${MESH_STATUS_FIELDS}
  subscription MeshStatusChanged($contextId: ID!, $mesh: String!) {
    meshStatusChanged(contextId: $contextId, mesh: $mesh) {
      ...MeshStatusFields
    }
  }
`;

export const OPERATIONS: TypedDocumentNode<
  { operations: { items: Operation[]; total: number } },
  { contextId?: string; limit: number }
> = gql`
  ${OPERATION_FIELDS}
  query Operations($contextId: ID, $limit: Int!) {
    operations(contextId: $contextId, limit: $limit) {
      items {
        ...OperationFields
      }
      total
    }
  }
`;

export const OPERATION: TypedDocumentNode<{ operation: Operation }, { id: string }> = gql`
  ${OPERATION_FIELDS}
  query Operation($id: ID!) {
    operation(id: $id) {
      ...OperationFields
    }
  }
`;

/** An operation with its stored events (what an install applied, for the uninstall confirmation). */
export const OPERATION_WITH_EVENTS: TypedDocumentNode<{ operation: Operation & { events: OperationEvent[] } }, { id: string }> = gql`
  ${OPERATION_FIELDS}
  ${OPERATION_EVENT_FIELDS}
  query OperationWithEvents($id: ID!) {
    operation(id: $id) {
      ...OperationFields
      events {
        ...OperationEventFields
      }
    }
  }
`;

export const OPERATION_EVENTS: TypedDocumentNode<{ operationEvents: OperationEvent }, { operationId: string }> = gql`
  ${OPERATION_EVENT_FIELDS}
  subscription OperationEvents($operationId: ID!) {
    operationEvents(operationId: $operationId) {
      ...OperationEventFields
    }
  }
`;

export const CANCEL_OPERATION: TypedDocumentNode<{ cancelOperation: Operation }, { id: string }> = gql`
  ${OPERATION_FIELDS}
  mutation CancelOperation($id: ID!) {
    cancelOperation(id: $id) {
      ...OperationFields
    }
  }
`;

export const INSTALL_MESH: TypedDocumentNode<
  { installMesh: Operation },
  { input: { contextId: string; mesh: string; version?: string; options?: Record<string, unknown> } }
> = gql`
  ${OPERATION_FIELDS}
  mutation InstallMesh($input: InstallMeshInput!) {
    installMesh(input: $input) {
      ...OperationFields
    }
  }
`;

export const UNINSTALL_MESH: TypedDocumentNode<{ uninstallMesh: Operation }, { contextId: string; mesh: string }> = gql`
  ${OPERATION_FIELDS}
  mutation UninstallMesh($contextId: ID!, $mesh: String!) {
    uninstallMesh(contextId: $contextId, mesh: $mesh) {
      ...OperationFields
    }
  }
`;

type SampleAppVariables = { input: { contextId: string; mesh: string; app: string; namespace: string } };

export const DEPLOY_SAMPLE_APP: TypedDocumentNode<{ deploySampleApp: Operation }, SampleAppVariables> = gql`
  ${OPERATION_FIELDS}
  mutation DeploySampleApp($input: SampleAppInput!) {
    deploySampleApp(input: $input) {
      ...OperationFields
    }
  }
`;

export const REMOVE_SAMPLE_APP: TypedDocumentNode<{ removeSampleApp: Operation }, SampleAppVariables> = gql`
  ${OPERATION_FIELDS}
  mutation RemoveSampleApp($input: SampleAppInput!) {
    removeSampleApp(input: $input) {
      ...OperationFields
    }
  }
`;

export const SET_INJECTION: TypedDocumentNode<
  { setNamespaceInjection: Operation },
  { contextId: string; namespace: string; mesh: string; enabled: boolean }
> = gql`
  ${OPERATION_FIELDS}
  mutation SetNamespaceInjection($contextId: ID!, $namespace: String!, $mesh: String!, $enabled: Boolean!) {
    setNamespaceInjection(contextId: $contextId, namespace: $namespace, mesh: $mesh, enabled: $enabled) {
      ...OperationFields
    }
  }
`;
