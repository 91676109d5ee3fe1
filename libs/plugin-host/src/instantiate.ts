import 'reflect-metadata';
import {
  PluginError,
  PluginTokens,
  isMesheryPlugin,
  type ArtifactService,
  type Clock,
  type ConformanceSuite,
  type HostInfo,
  type KubernetesService,
  type LoadGenerator,
  type LogFields,
  type MeshProvider,
  type PluginConfig,
  type PluginKind,
  type PluginLogger,
  type PluginManifest,
  type PluginRegistrar,
  type PluginStore,
  type ProviderRef,
} from '@meshery/plugin-api';
import { hrtime } from 'node:process';
import { pathToFileURL } from 'node:url';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';

/** What a started plugin provides, per extension point. */
export interface PluginProviders {
  readonly loadGenerators: LoadGenerator[];
  readonly meshProviders: MeshProvider[];
  readonly conformanceSuites: ConformanceSuite[];
}

/** The host services a plugin instance is given. */
export interface PluginServices {
  readonly logger: PluginLogger;
  readonly config: Readonly<Record<string, unknown>>;
  readonly hostInfo: HostInfo;
  readonly clock?: Clock;
  /** The host's Kubernetes engine; absent in worker threads. */
  readonly kubernetes?: KubernetesService;
  /** Verified, cached artifact downloads; absent in worker threads. */
  readonly artifacts?: ArtifactService;
  /** The plugin's own store; absent in worker threads. */
  readonly store?: PluginStore;
}

/** A function that fails saying which host service this plugin cannot have, and why. */
function unavailable(pluginId: string, service: string) {
  return async (): Promise<never> => {
    throw new PluginError('PRECONDITION_FAILED', `The ${service} is not available to plugin "${pluginId}" here`, {
      probableCause: 'The host offers this service to in-process plugins only (not in worker threads), or this host was started without it.',
      remediation: 'Set "runtime": "in-process" in the plugin manifest (mesh plugins do little CPU work).',
    });
  };
}

/** Stands in for the Kubernetes service where it cannot be offered (worker threads). */
function unavailableKubernetes(pluginId: string): KubernetesService {
  const fail = unavailable(pluginId, 'Kubernetes service');
  return { apply: fail, removeInventory: fail, inventory: fail, get: fail, list: fail, patch: fail, delete: fail };
}

/** A {@link Clock} on the real system time. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  monotonicNs: () => hrtime.bigint(),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new PluginError('CANCELLED', 'Cancelled'));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new PluginError('CANCELLED', 'Cancelled'));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
});

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `a function named "${value.name || 'anonymous'}"`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object).slice(0, 5);
    return `an object with keys [${keys.join(', ')}]`;
  }
  return `a ${typeof value}`;
}

/**
 * Imports a plugin's entry module and returns the plugin value it exports, or throws
 * `Invalid plugin at <path>: expected <x>, received <y>`.
 */
export async function importPluginEntry(entryPath: string, manifest: PluginManifest) {
  const mod = (await import(pathToFileURL(entryPath).href)) as Record<string, unknown>;
  const candidate = mod['default'] ?? mod['plugin'];
  if (!isMesheryPlugin(candidate)) {
    throw new Error(
      `Invalid plugin at ${entryPath}: expected a value made by definePlugin() exported as ` +
        `"default" or "plugin", received ${describeValue(candidate)}`,
    );
  }
  if (candidate.pluginId !== manifest.pluginId) {
    throw new Error(
      `Invalid plugin at ${entryPath}: expected pluginId "${manifest.pluginId}" (from package.json), ` +
        `received "${candidate.pluginId}" from definePlugin()`,
    );
  }
  if (candidate.apiVersion !== manifest.apiVersion) {
    throw new Error(
      `Invalid plugin at ${entryPath}: expected code built for plugin API v${manifest.apiVersion} ` +
        `(from package.json), received v${candidate.apiVersion}; rebuild the plugin`,
    );
  }
  return candidate;
}

function frozenConfig(values: Readonly<Record<string, unknown>>): PluginConfig {
  const copy = Object.freeze(structuredClone({ ...values }));
  return Object.freeze({
    get: <T>(key: string) => copy[key] as T | undefined,
    all: () => copy,
  });
}

type Check<T> = (value: unknown) => value is T;

const isLoadGenerator: Check<LoadGenerator> = (value): value is LoadGenerator =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as LoadGenerator).run === 'function' &&
  typeof (value as LoadGenerator).descriptor?.name === 'string';

const isMeshProvider: Check<MeshProvider> = (value): value is MeshProvider =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as MeshProvider).install === 'function' &&
  typeof (value as MeshProvider).descriptor?.mesh === 'string';

const isConformanceSuite: Check<ConformanceSuite> = (value): value is ConformanceSuite =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ConformanceSuite).run === 'function' &&
  typeof (value as ConformanceSuite).descriptor?.id === 'string';

/**
 * Runs a plugin's `register` in a child container of its own, with the host services under
 * plugin-api's tokens, and constructs the providers it adds. Throws with the plugin named when
 * `register` fails or a provider is not what its extension point expects.
 */
export async function instantiatePlugin(
  entryPath: string,
  manifest: PluginManifest,
  services: PluginServices,
): Promise<{ providers: PluginProviders; container: DependencyContainer }> {
  const plugin = await importPluginEntry(entryPath, manifest);
  const child = rootContainer.createChildContainer();
  child.register(PluginTokens.logger, { useValue: services.logger });
  child.register(PluginTokens.config, { useValue: frozenConfig(services.config) });
  child.register(PluginTokens.clock, { useValue: services.clock ?? systemClock });
  child.register(PluginTokens.hostInfo, { useValue: services.hostInfo });
  child.register(PluginTokens.kubernetes, { useValue: services.kubernetes ?? unavailableKubernetes(manifest.pluginId) });
  child.register(PluginTokens.artifacts, { useValue: services.artifacts ?? { fetch: unavailable(manifest.pluginId, 'artifact service') } });
  const noStore = unavailable(manifest.pluginId, 'plugin store');
  child.register(PluginTokens.store, { useValue: services.store ?? { get: noStore, set: noStore, delete: noStore, keys: noStore } });

  const providers: PluginProviders = { loadGenerators: [], meshProviders: [], conformanceSuites: [] };
  const pending: (() => void)[] = [];

  const adder =
    <T>(kind: PluginKind, label: string, check: Check<T>, into: T[]) =>
    (provider: ProviderRef<T>): void => {
      if (!manifest.kinds.includes(kind)) {
        throw new Error(
          `${label} added, but the manifest's "kinds" does not list "${kind}"; add it to package.json`,
        );
      }
      pending.push(() => {
        const instance: unknown =
          typeof provider === 'function'
            ? child.resolve(provider as unknown as new (...args: unknown[]) => T)
            : provider;
        if (!check(instance)) {
          throw new Error(
            `Invalid plugin at ${entryPath}: expected a ${label} provider, received ${describeValue(instance)}`,
          );
        }
        into.push(instance);
      });
    };

  const registrar: PluginRegistrar = Object.freeze({
    pluginId: manifest.pluginId,
    addLoadGenerator: adder('load-generator', 'load generator', isLoadGenerator, providers.loadGenerators),
    addMeshProvider: adder('mesh-lifecycle', 'mesh', isMeshProvider, providers.meshProviders),
    addConformanceSuite: adder('conformance', 'conformance suite', isConformanceSuite, providers.conformanceSuites),
  });

  try {
    await plugin.register(registrar);
    for (const construct of pending) construct();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`register() of plugin "${manifest.pluginId}" failed: ${message}`, { cause: error });
  }
  return { providers, container: child };
}

/** A {@link PluginLogger} that forwards to a function, with fixed fields added. */
export function forwardingLogger(
  write: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: LogFields) => void,
): PluginLogger {
  return Object.freeze({
    debug: (message: string, fields: LogFields = {}) => write('debug', message, fields),
    info: (message: string, fields: LogFields = {}) => write('info', message, fields),
    warn: (message: string, fields: LogFields = {}) => write('warn', message, fields),
    error: (message: string, fields: LogFields = {}) => write('error', message, fields),
  });
}
