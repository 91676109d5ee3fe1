import type { ArtifactService } from './artifacts.js';
import type { KubernetesService } from './kubernetes.js';
import type { PluginStore } from './store.js';
import type { Clock, HostInfo, PluginConfig, PluginLogger } from './services.js';

/**
 * An injection token that carries the type of the service registered under it. It is a plain
 * symbol at run time, so it works with tsyringe's `@inject(token)` without this package
 * depending on tsyringe.
 *
 * @typeParam T - the service's interface.
 *
 * @example
 * ```ts
 * const logger: ServiceToken<PluginLogger> = PluginTokens.logger;
 * ```
 */
export type ServiceToken<T> = symbol & { readonly __service?: T };

function serviceToken<T>(name: string): ServiceToken<T> {
  return Symbol.for(`meshery.plugin-api.${name}`) as ServiceToken<T>;
}

/**
 * The host services a plugin can ask for. The host registers each in the plugin's own child
 * container; a plugin declares what it needs with `@inject(PluginTokens.x)` on a constructor
 * parameter of an `@injectable()` class.
 *
 * @example
 * ```ts
 * @injectable()
 * export class MyLoadGenerator implements LoadGenerator {
 *   constructor(
 *     @inject(PluginTokens.logger) private readonly logger: PluginLogger,
 *     @inject(PluginTokens.clock) private readonly clock: Clock,
 *   ) {}
 * }
 * ```
 */
export const PluginTokens = Object.freeze({
  /** {@link PluginLogger} tagged with the plugin id. */
  logger: serviceToken<PluginLogger>('logger'),
  /** {@link PluginConfig}: the plugin's validated configuration. */
  config: serviceToken<PluginConfig>('config'),
  /** {@link Clock}. */
  clock: serviceToken<Clock>('clock'),
  /** {@link HostInfo}. */
  hostInfo: serviceToken<HostInfo>('host-info'),
  /** {@link KubernetesService}: the host's apply engine (in-process plugins). */
  kubernetes: serviceToken<KubernetesService>('kubernetes'),
  /** {@link ArtifactService}: verified, cached downloads of release artifacts (in-process plugins). */
  artifacts: serviceToken<ArtifactService>('artifacts'),
  /** {@link PluginStore}: the plugin's own persistent key-value store (in-process plugins). */
  store: serviceToken<PluginStore>('store'),
});
