import {
  PLUGIN_API_VERSION,
  validatePluginManifest,
  type ConformanceSuite,
  type HostInfo,
  type ArtifactService,
  type KubernetesService,
  type PluginStore,
  type LoadGenerator,
  type MeshProvider,
  type PluginKind,
  type PluginManifest,
  type PluginRuntime,
} from '@meshery/plugin-api';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { incompatibilityReason } from './compatibility.js';
import { checkPluginConfig } from './plugin-config.js';
import { discoverPluginPackages, resolvePluginEntry, type DiscoveredPackage, type PluginSource } from './discovery.js';
import type { HostLogSink } from './host-logger.js';
import { forwardingLogger, instantiatePlugin, type PluginProviders } from './instantiate.js';
import { PluginWorkerConnection } from './plugin-worker-connection.js';

/** Where a plugin stands after start-up. */
export type PluginStatus = 'loaded' | 'failed' | 'incompatible';

/** What the host knows of one discovered plugin, loaded or not. */
export interface PluginRecord {
  /** The manifest's id, or the package name (or directory) when the manifest is unreadable. */
  readonly pluginId: string;
  readonly packageName?: string;
  readonly version?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly kinds: readonly PluginKind[];
  readonly capabilities: Readonly<Partial<Record<PluginKind, readonly string[]>>>;
  readonly runtime?: PluginRuntime;
  readonly path: string;
  status: PluginStatus;
  /** Why the plugin is not loaded (or was unloaded after a crash). */
  reason?: string;
}

/** A provider together with the plugin that added it. */
export interface Registered<T> {
  readonly pluginId: string;
  readonly provider: T;
}

/** How a {@link PluginHost} is set up. */
export interface PluginHostOptions {
  readonly hostVersion: string;
  readonly sources: readonly PluginSource[];
  readonly sink: HostLogSink;
  /** Directory under which each plugin gets `<dataDir>/<pluginId>` for its own files. */
  readonly dataDir: string;
  /**
   * Configuration per plugin id; plugins with none get `{}`. It is checked against the
   * manifest's `configSchema` before the plugin starts.
   */
  readonly configFor?: (pluginId: string) => Readonly<Record<string, unknown>>;
  /** Where the configuration comes from, named in error messages (e.g. a file path). */
  readonly configSource?: string;
  /** Host services offered to in-process plugins. */
  readonly services?: {
    readonly kubernetes?: KubernetesService;
    readonly artifacts?: ArtifactService;
    /** The store of each in-process plugin. */
    readonly storeFor?: (pluginId: string) => PluginStore;
  };
  /** Forces every plugin into one runtime (e.g. `in-process` for debugging). */
  readonly runtimeOverride?: PluginRuntime;
}

interface LoadedPlugin {
  readonly record: PluginRecord;
  readonly providers: PluginProviders;
  readonly connection?: PluginWorkerConnection;
}

/**
 * Discovers plugins, checks their manifests and compatibility before running any of their code,
 * starts them in parallel (each in a tsyringe child container, in-process or in a worker
 * thread) and keeps a failure with the plugin that caused it.
 */
export class PluginHost {
  private readonly recordsById = new Map<string, PluginRecord>();
  /** Ids taken by packages with a valid manifest, the first one found winning. */
  private readonly claimedIds = new Map<string, PluginRecord>();
  private readonly records: PluginRecord[] = [];
  private readonly loaded: LoadedPlugin[] = [];

  constructor(private readonly options: PluginHostOptions) {}

  /** Discovers and starts every plugin; never throws for a plugin's fault. */
  async start(): Promise<readonly PluginRecord[]> {
    const { packages, unreadable } = await discoverPluginPackages(this.options.sources);
    for (const bad of unreadable) {
      this.addRecord({
        pluginId: path.basename(bad.dir),
        kinds: [],
        capabilities: {},
        path: bad.dir,
        status: 'failed',
        reason: `Invalid plugin at ${bad.dir}: ${bad.problem}`,
      });
    }
    const startable: {
      pkg: DiscoveredPackage;
      manifest: PluginManifest;
      record: PluginRecord;
      config: Readonly<Record<string, unknown>>;
    }[] = [];
    for (const pkg of packages) {
      const checked = this.check(pkg);
      if (checked) startable.push({ pkg, ...checked });
    }
    const outcomes = await Promise.allSettled(
      startable.map(({ pkg, manifest, record, config }) => this.startOne(pkg, manifest, record, config)),
    );
    outcomes.forEach((outcome, i) => {
      const { record } = startable[i]!;
      if (outcome.status === 'fulfilled') {
        record.status = 'loaded';
        this.loaded.push(outcome.value);
        this.options.sink.log('info', `plugin loaded`, { pluginId: record.pluginId, runtime: record.runtime });
      } else {
        record.status = 'failed';
        record.reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
        this.options.sink.log('error', `plugin failed to start: ${record.reason}`, { pluginId: record.pluginId });
      }
    });
    return this.records;
  }

  /** Stops worker-hosted plugins. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.loaded.map((p) => p.connection?.stop()));
  }

  /** Every discovered plugin with its status. */
  plugins(): readonly PluginRecord[] {
    return this.records;
  }

  plugin(pluginId: string): PluginRecord | undefined {
    return this.recordsById.get(pluginId);
  }

  loadGenerators(): Registered<LoadGenerator>[] {
    return this.collect((p) => p.loadGenerators);
  }

  meshProviders(): Registered<MeshProvider>[] {
    return this.collect((p) => p.meshProviders);
  }

  conformanceSuites(): Registered<ConformanceSuite>[] {
    return this.collect((p) => p.conformanceSuites);
  }

  private collect<T>(pick: (p: PluginProviders) => T[]): Registered<T>[] {
    return this.loaded
      .filter((p) => p.record.status === 'loaded')
      .flatMap((p) => pick(p.providers).map((provider) => ({ pluginId: p.record.pluginId, provider })));
  }

  private addRecord(record: PluginRecord): PluginRecord {
    if (record.reason === undefined) {
      // A valid manifest claims its id, unless another valid manifest claimed it first.
      const owner = this.claimedIds.get(record.pluginId);
      if (owner) {
        record.status = 'failed';
        record.reason = `Duplicate plugin id "${record.pluginId}": also provided by ${owner.path}; remove one of them`;
      } else {
        this.claimedIds.set(record.pluginId, record);
        this.recordsById.set(record.pluginId, record);
      }
    } else if (!this.recordsById.has(record.pluginId)) {
      // Already refused (unreadable package, invalid manifest): findable by its id, but it
      // keeps its own reason and does not block a valid package with that id.
      this.recordsById.set(record.pluginId, record);
    }
    this.records.push(record);
    if (record.status === 'failed' && record.reason !== undefined) {
      // Refused before any code ran (unreadable package, invalid manifest, duplicate id).
      this.options.sink.log('error', `plugin failed to start: ${record.reason}`, {
        pluginId: record.pluginId,
        path: record.path,
      });
    }
    return record;
  }

  private check(
    pkg: DiscoveredPackage,
  ): { manifest: PluginManifest; record: PluginRecord; config: Readonly<Record<string, unknown>> } | undefined {
    const packageName = typeof pkg.packageJson['name'] === 'string' ? pkg.packageJson['name'] : undefined;
    const version = typeof pkg.packageJson['version'] === 'string' ? pkg.packageJson['version'] : undefined;
    const validation = validatePluginManifest(pkg.packageJson['meshery']);
    if (!validation.ok) {
      const raw = pkg.packageJson['meshery'] as Record<string, unknown> | undefined;
      const rawId = typeof raw?.['pluginId'] === 'string' ? raw['pluginId'] : undefined;
      this.addRecord({
        pluginId: rawId ?? packageName ?? path.basename(pkg.dir),
        ...(packageName ? { packageName } : {}),
        ...(version ? { version } : {}),
        kinds: [],
        capabilities: {},
        path: pkg.dir,
        status: 'failed',
        reason: `Invalid plugin manifest at ${path.join(pkg.dir, 'package.json')}: ${validation.problems.join('; ')}`,
      });
      return undefined;
    }
    const manifest = validation.manifest;
    const record = this.addRecord({
      pluginId: manifest.pluginId,
      ...(packageName ? { packageName } : {}),
      ...(version ? { version } : {}),
      displayName: manifest.displayName,
      ...(manifest.description ? { description: manifest.description } : {}),
      kinds: manifest.kinds,
      capabilities: manifest.capabilities,
      runtime: this.options.runtimeOverride ?? manifest.runtime,
      path: pkg.dir,
      status: 'failed',
    });
    if (record.reason) return undefined;
    const incompatible = incompatibilityReason(manifest, {
      version: this.options.hostVersion,
      apiVersions: [PLUGIN_API_VERSION],
    });
    if (incompatible) {
      record.status = 'incompatible';
      record.reason = `Plugin "${manifest.pluginId}" ${incompatible}`;
      this.options.sink.log('warn', `plugin skipped: ${record.reason}`, { pluginId: manifest.pluginId });
      return undefined;
    }
    const config = checkPluginConfig(manifest, this.options.configFor?.(manifest.pluginId) ?? {});
    if (!config.ok) {
      record.reason =
        `Invalid configuration for plugin "${manifest.pluginId}"` +
        `${this.options.configSource ? ` in ${this.options.configSource}` : ''}: ${config.problems.join('; ')}; ` +
        `correct it to match the plugin's configSchema and restart`;
      this.options.sink.log('error', `plugin not started: ${record.reason}`, { pluginId: manifest.pluginId });
      return undefined;
    }
    return { manifest, record, config: config.config };
  }

  private async startOne(
    pkg: DiscoveredPackage,
    manifest: PluginManifest,
    record: PluginRecord,
    config: Readonly<Record<string, unknown>>,
  ): Promise<LoadedPlugin> {
    const entryPath = resolvePluginEntry(pkg.dir, pkg.packageJson);
    const hostInfo: HostInfo = {
      hostVersion: this.options.hostVersion,
      hostname: os.hostname(),
      platform: `${process.platform}-${process.arch}`,
      nodeVersion: process.version,
      cpus: os.availableParallelism(),
      pluginId: manifest.pluginId,
      pluginVersion: record.version ?? '0.0.0',
      dataDir: path.join(this.options.dataDir, manifest.pluginId),
    };
    // HostInfo promises a directory the plugin may write to: make sure it exists.
    await mkdir(hostInfo.dataDir, { recursive: true });
    const sink = this.options.sink;
    if (record.runtime === 'worker') {
      const connection = new PluginWorkerConnection({ entryPath, manifest, config, hostInfo }, sink, (reason) => {
        sink.log('error', `plugin crashed: ${reason}; it restarts on its next use`, { pluginId: manifest.pluginId });
      });
      const providers = await connection.start();
      return { record, providers, connection };
    }
    const logger = forwardingLogger((level, message, fields) =>
      sink.log(level, message, { ...fields, pluginId: manifest.pluginId }),
    );
    const { kubernetes, artifacts, storeFor } = this.options.services ?? {};
    const { providers } = await instantiatePlugin(entryPath, manifest, {
      logger,
      config,
      hostInfo,
      ...(kubernetes ? { kubernetes } : {}),
      ...(artifacts ? { artifacts } : {}),
      ...(storeFor ? { store: storeFor(manifest.pluginId) } : {}),
    });
    return { record, providers };
  }
}
