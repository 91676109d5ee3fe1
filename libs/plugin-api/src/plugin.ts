import type { ConformanceSuite } from './conformance.js';
import type { LoadGenerator } from './load-generator.js';
import type { MeshProvider } from './mesh-lifecycle.js';
import { PLUGIN_API_VERSION } from './version.js';

/**
 * A provider given to an extension point: either an instance, or an `@injectable()` class that
 * the host constructs in the plugin's own container (so its `@inject(PluginTokens.x)`
 * dependencies are filled in).
 *
 * @example
 * ```ts
 * registrar.addLoadGenerator(AutocannonLoadGenerator); // a class, constructed by the host
 * ```
 */
export type ProviderRef<T> = T | (new (...args: never[]) => T);

/**
 * What `register` receives: one add-only extension point per kind.
 *
 * @example
 * ```ts
 * register(registrar) {
 *   registrar.addLoadGenerator(MyGenerator);
 * }
 * ```
 */
export interface PluginRegistrar {
  /** The id from the manifest. */
  readonly pluginId: string;
  addLoadGenerator(provider: ProviderRef<LoadGenerator>): void;
  addMeshProvider(provider: ProviderRef<MeshProvider>): void;
  addConformanceSuite(provider: ProviderRef<ConformanceSuite>): void;
}

/**
 * What a plugin author writes.
 *
 * @example
 * ```ts
 * export default definePlugin({ pluginId: 'perf-k6', register: (r) => r.addLoadGenerator(K6Generator) });
 * ```
 */
export interface PluginDefinition {
  /** Must equal the manifest's `pluginId`. */
  readonly pluginId: string;
  register(registrar: PluginRegistrar): void | Promise<void>;
}

/**
 * The branded value {@link definePlugin} returns and the host checks before use.
 *
 * @example
 * ```ts
 * const plugin: MesheryPlugin = definePlugin({ pluginId: 'x', register() {} });
 * ```
 */
export interface MesheryPlugin extends PluginDefinition {
  readonly $$type: '@meshery/plugin';
  /** The contract major the plugin was compiled against. */
  readonly apiVersion: number;
}

/**
 * Declares a plugin. The package's entry module exports the result as `default` or as `plugin`.
 *
 * @example
 * ```ts
 * import 'reflect-metadata';
 * import { definePlugin } from '@meshery/plugin-api';
 * import { AutocannonLoadGenerator } from './autocannon-load-generator.js';
 *
 * export const plugin = definePlugin({
 *   pluginId: 'perf-autocannon',
 *   register(registrar) {
 *     registrar.addLoadGenerator(AutocannonLoadGenerator);
 *   },
 * });
 * export default plugin;
 * ```
 */
export function definePlugin(definition: PluginDefinition): MesheryPlugin {
  if (typeof definition?.pluginId !== 'string' || typeof definition.register !== 'function') {
    throw new TypeError('definePlugin needs { pluginId: string, register: function }');
  }
  return Object.freeze({
    $$type: '@meshery/plugin' as const,
    apiVersion: PLUGIN_API_VERSION,
    pluginId: definition.pluginId,
    register: definition.register.bind(definition),
  });
}

/**
 * Whether a value is a plugin made by {@link definePlugin}.
 *
 * @example
 * ```ts
 * const mod = await import(entry);
 * if (!isMesheryPlugin(mod.default)) throw new Error('not a plugin');
 * ```
 */
export function isMesheryPlugin(value: unknown): value is MesheryPlugin {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate['$$type'] === '@meshery/plugin' &&
    typeof candidate['pluginId'] === 'string' &&
    typeof candidate['register'] === 'function' &&
    typeof candidate['apiVersion'] === 'number'
  );
}
