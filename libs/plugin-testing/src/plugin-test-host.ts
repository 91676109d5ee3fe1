import 'reflect-metadata';
import { KubeConfig } from '@kubernetes/client-node';
import { EngineKubernetesService, KubeApiClient, MemoryInventoryStore } from '@meshery/kube-engine';
import {
  PluginError,
  type ArtifactService,
  type ConformanceSuite,
  type KubernetesService,
  type LoadGenerator,
  type MeshProvider,
  type OperationContext,
  type PluginLogger,
  type PluginRuntime,
  type PluginStore,
} from '@meshery/plugin-api';
import {
  HostArtifactService,
  MemoryPluginStore,
  PluginHost,
  forwardingLogger,
  type HostLogLevel,
  type PluginRecord,
} from '@meshery/plugin-host';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A log line a plugin wrote. */
export interface CapturedLogLine {
  readonly level: HostLogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** An OperationContext for tests, with the events it received. */
export interface TestOperation<TEvent> {
  readonly ctx: OperationContext<TEvent>;
  readonly events: TEvent[];
  /** Aborts the operation, as a user's cancel would. */
  abort(): void;
}

/** Options of {@link startPluginTestHost}. */
export interface PluginTestHostOptions {
  /** The plugin package directory (the one holding its package.json). */
  readonly pluginDir: string;
  /** The plugin's configuration. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Host version to check `engines.meshery` against; the server's by default. */
  readonly hostVersion?: string;
  /** Run the plugin in this runtime instead of its manifest's. */
  readonly runtime?: PluginRuntime;
  /**
   * A cluster the plugin's `PluginTokens.kubernetes` reaches (e.g. kube-sim's kubeconfig), as the
   * connection {@link PluginTestHost.contextId}. Inventories are kept in memory.
   */
  readonly cluster?: { readonly kubeconfig: string; readonly context?: string };
  /**
   * The artifacts mirror (directory or http(s) URL on 127.0.0.1) behind `PluginTokens.artifacts`.
   * The test host never downloads from the internet: what the mirror lacks fails to download.
   */
  readonly artifactsMirror?: string;
}

/**
 * A plugin loaded exactly as the server loads it (manifest check, compatibility, child
 * container, worker thread when the manifest asks for one), with handles for tests.
 */
export interface PluginTestHost {
  readonly record: PluginRecord;
  readonly logs: readonly CapturedLogLine[];
  loadGenerator(name?: string): LoadGenerator;
  meshProvider(mesh?: string): MeshProvider;
  conformanceSuite(id?: string): ConformanceSuite;
  /** The cluster connection id of `options.cluster` (to use in requests). */
  readonly contextId: string;
  /** The Kubernetes service the plugin was given. */
  readonly kubernetes: KubernetesService;
  /** The artifact service the plugin was given (cache under a temporary directory). */
  readonly artifacts: ArtifactService;
  /** The plugin's store. */
  readonly store: PluginStore;
  /** A fresh operation context whose events are collected. */
  operation<TEvent = unknown>(operationId?: string): TestOperation<TEvent>;
  stop(): Promise<void>;
}

/** The server version this package was released with; plugins' `engines.meshery` must accept it. */
export const TEST_HOST_VERSION = '0.1.0';

function pick<T>(items: T[], matches: (item: T) => boolean, what: string, name?: string): T {
  const found = name === undefined ? items[0] : items.find(matches);
  if (!found) throw new Error(`The plugin registered no ${what}${name ? ` named "${name}"` : ''}`);
  return found;
}

/**
 * Loads one plugin the way the server does and fails loudly (with the host's reason) when it
 * does not load.
 *
 * @example
 * ```ts
 * const host = await startPluginTestHost({ pluginDir: path.resolve(__dirname, '..') });
 * const op = host.operation<LoadTestProgress>();
 * const result = await host.loadGenerator().run(spec, op.ctx);
 * await host.stop();
 * ```
 */
export async function startPluginTestHost(options: PluginTestHostOptions): Promise<PluginTestHost> {
  const logs: CapturedLogLine[] = [];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meshery-plugin-test-'));
  const contextId = randomUUID();
  const clusterClient = options.cluster ? clientOf(options.cluster) : undefined;
  const kubernetes = new EngineKubernetesService(async (id) => {
    if (id === contextId && clusterClient) return clusterClient;
    throw new PluginError('INVALID_REQUEST', `No cluster connection "${id}" in this test host`, {
      remediation: options.cluster ? `Use host.contextId (${contextId}).` : 'Start the test host with a cluster: { kubeconfig }.',
    });
  }, new MemoryInventoryStore());
  const artifacts = new HostArtifactService({
    cacheDir: path.join(dataDir, 'artifacts'),
    ...(options.artifactsMirror ? { mirror: options.artifactsMirror } : {}),
    allowNetwork: false,
  });
  const store = new MemoryPluginStore();
  const host = new PluginHost({
    hostVersion: options.hostVersion ?? TEST_HOST_VERSION,
    sources: [{ kind: 'package', path: options.pluginDir }],
    sink: { log: (level, message, fields) => logs.push({ level, message, fields }) },
    dataDir,
    configFor: () => options.config ?? {},
    ...(options.runtime ? { runtimeOverride: options.runtime } : {}),
    services: { kubernetes, artifacts, storeFor: () => store },
  });
  const [record] = await host.start();
  if (!record || record.status !== 'loaded') {
    // Leave nothing behind when the plugin does not load: no worker, no temporary directory.
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (!record) throw new Error(`No plugin package found at ${options.pluginDir}`);
    throw new Error(`Plugin at ${options.pluginDir} is ${record.status}: ${record.reason}`);
  }
  const logger: PluginLogger = forwardingLogger((level, message, fields) => logs.push({ level, message, fields }));
  return {
    record,
    logs,
    contextId,
    kubernetes,
    artifacts,
    store,
    loadGenerator: (name) =>
      pick(host.loadGenerators(), (r) => r.provider.descriptor.name === name, 'load generator', name).provider,
    meshProvider: (mesh) =>
      pick(host.meshProviders(), (r) => r.provider.descriptor.mesh === mesh, 'mesh provider', mesh).provider,
    conformanceSuite: (id) =>
      pick(host.conformanceSuites(), (r) => r.provider.descriptor.id === id, 'conformance suite', id).provider,
    operation<TEvent>(operationId: string = randomUUID()): TestOperation<TEvent> {
      const controller = new AbortController();
      const events: TEvent[] = [];
      return {
        events,
        abort: () => controller.abort(),
        ctx: { operationId, signal: controller.signal, logger, emit: (event: TEvent) => events.push(event) },
      };
    },
    async stop() {
      await host.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function clientOf(cluster: { kubeconfig: string; context?: string }): KubeApiClient {
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  if (cluster.context) kc.setCurrentContext(cluster.context);
  return KubeApiClient.fromKubeConfig(kc);
}
