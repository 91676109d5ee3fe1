import {
  PluginError,
  type MeshOperationEvent,
  type MeshProvider,
  type MeshStatus,
  type OperationContext,
} from '@meshery/plugin-api';
import { forwardingLogger, type Registered } from '@meshery/plugin-host';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { randomUUID } from 'node:crypto';
import { apiError, fromPluginError, invalidInput } from '../graphql/api-error.js';
import { SERVER_CONFIG, type ServerConfig } from '../config/server-config.js';
import { ClusterConnectionsService } from '../kubernetes/cluster-connections.service.js';
import type { OperationEntity } from '../operations/entities/operation.entity.js';
import { OperationsService, type OperationEventInput } from '../operations/operations.service.js';
import { PluginsService } from '../plugins/plugins.service.js';
import { PUB_SUB } from '../pubsub/pubsub.module.js';
import type { MeshModel, MeshStatusModel } from './models/mesh.models.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** How long a status check may take before it is reported as failed. */
const STATUS_TIMEOUT_MS = 30_000;

export function meshStatusTopic(contextId: string, mesh: string): string {
  return `mesh-status:${contextId}:${mesh}`;
}

interface Watch {
  subscribers: number;
  timer?: NodeJS.Timeout;
  last?: string;
  checking?: Promise<void>;
}

/**
 * Mesh lifecycle on connected clusters: each action runs as an operation whose events stream to
 * clients; the mesh plugins say what to do, the Kubernetes engine does it. Statuses that clients
 * watch are checked periodically and after every action, and published when they change.
 */
@Injectable()
export class MeshesService implements OnModuleDestroy {
  private readonly logger = new Logger('Meshes');
  /** The operation under way per cluster and mesh: one action at a time. */
  private readonly busy = new Map<string, string>();
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly plugins: PluginsService,
    private readonly operations: OperationsService,
    private readonly connections: ClusterConnectionsService,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  onModuleDestroy(): void {
    for (const watch of this.watches.values()) clearInterval(watch.timer);
    this.watches.clear();
  }

  async meshes(): Promise<MeshModel[]> {
    return Promise.all(
      this.plugins.meshProviders().map(async ({ pluginId, provider }) => {
        const [versions, sampleApps] = await Promise.all([
          provider.listVersions().catch((error: unknown) => {
            this.logger.warn(`${pluginId}: listVersions failed: ${(error as Error).message}`);
            return [];
          }),
          provider.sampleApps().catch(() => []),
        ]);
        const defaultVersion = versions.find((v) => v.default)?.version;
        return {
          mesh: provider.descriptor.mesh,
          displayName: provider.descriptor.displayName,
          pluginId,
          operations: [...provider.descriptor.operations],
          versions: versions.map((v) => ({ version: v.version, default: v.default })),
          ...(defaultVersion ? { defaultVersion } : {}),
          sampleApps: sampleApps.map((a) => ({ name: a.name, displayName: a.displayName, description: a.description })),
        };
      }),
    );
  }

  async install(input: { contextId: string; mesh: string; version?: string | null; options?: Record<string, unknown> | null }): Promise<OperationEntity> {
    const { provider } = await this.target(input.contextId, input.mesh, 'install');
    const version = input.version?.trim() || undefined;
    if (input.version !== undefined && input.version !== null && !version) {
      throw invalidInput('mesh installation', [{ field: 'version', message: 'must not be empty (leave it out for the default version)' }]);
    }
    const name = `${provider.descriptor.displayName}${version ? ` ${version}` : ''}`;
    return this.run(input.contextId, provider, 'install-mesh', `Install ${name}`, async (ctx) => {
      await provider.install({ contextId: input.contextId, ...(version ? { version } : {}), options: input.options ?? {} }, ctx);
      // The install succeeded; a status check that fails now must not turn it into a failure.
      const status = await this.safeStatus(input.contextId, provider);
      return `${provider.descriptor.displayName}${status.version ? ` ${status.version}` : ''} installed${status.healthy ? ' and healthy' : status.error ? '' : '; not healthy yet (see meshStatus)'}`;
    });
  }

  async uninstall(contextId: string, mesh: string): Promise<OperationEntity> {
    const { provider } = await this.target(contextId, mesh, 'uninstall');
    return this.run(contextId, provider, 'uninstall-mesh', `Uninstall ${provider.descriptor.displayName}`, async (ctx) => {
      await provider.uninstall({ contextId }, ctx);
      return `${provider.descriptor.displayName} removed`;
    });
  }

  async deploySampleApp(input: { contextId: string; mesh: string; app: string; namespace: string }, remove = false): Promise<OperationEntity> {
    const { provider } = await this.target(input.contextId, input.mesh, 'sample-apps');
    const apps = await provider.sampleApps();
    const problems = [
      ...(apps.some((a) => a.name === input.app) ? [] : [{ field: 'app', message: `unknown sample app "${input.app}"; ${provider.descriptor.displayName} offers: ${apps.map((a) => a.name).join(', ')}` }]),
      ...this.namespaceProblems(input.namespace),
    ];
    if (problems.length > 0) throw invalidInput('sample app request', problems);
    const request = { contextId: input.contextId, namespace: input.namespace, app: input.app };
    return remove
      ? this.run(input.contextId, provider, 'remove-sample-app', `Remove ${input.app} from namespace ${input.namespace}`, async (ctx) => {
          await provider.removeSampleApp(request, ctx);
          return `${input.app} removed from ${input.namespace}`;
        })
      : this.run(input.contextId, provider, 'deploy-sample-app', `Deploy ${input.app} into namespace ${input.namespace}`, async (ctx) => {
          await provider.deploySampleApp(request, ctx);
          return `${input.app} deployed into ${input.namespace}`;
        });
  }

  async setInjection(input: { contextId: string; namespace: string; mesh: string; enabled: boolean }): Promise<OperationEntity> {
    const { provider } = await this.target(input.contextId, input.mesh, 'injection');
    const problems = this.namespaceProblems(input.namespace);
    if (problems.length > 0) throw invalidInput('injection request', problems);
    const what = `${provider.descriptor.displayName} injection for namespace ${input.namespace}`;
    return this.run(input.contextId, provider, 'set-injection', `${input.enabled ? 'Enable' : 'Disable'} ${what}`, async (ctx) => {
      await provider.setInjection({ contextId: input.contextId, namespace: input.namespace, enabled: input.enabled }, ctx);
      return `${what} ${input.enabled ? 'enabled' : 'disabled'}`;
    });
  }

  /** The mesh's status; a failed check is a GraphQL error. */
  async status(contextId: string, mesh: string): Promise<MeshStatusModel> {
    const { provider } = await this.target(contextId, mesh, 'status');
    try {
      return await this.checkedStatus(contextId, provider);
    } catch (error) {
      // The plugin's code, cause and remedy reach the client (CLUSTER_UNREACHABLE, TIMEOUT, ...).
      throw fromPluginError(error);
    }
  }

  /** Every mesh plugin's status on a cluster: which meshes are there, by whom, at which version. */
  async detect(contextId: string): Promise<MeshStatusModel[]> {
    await this.connections.get(contextId);
    return Promise.all(this.plugins.meshProviders().map(({ provider }) => this.safeStatus(contextId, provider)));
  }

  /**
   * Current status first, then each change, while the subscriber stays. A hand-written iterator:
   * an async generator waiting for the next change could not be ended by a client leaving until
   * some change came, and its poller would run on.
   */
  async watch(contextId: string, mesh: string): Promise<AsyncIterableIterator<MeshStatusModel>> {
    const { provider } = await this.target(contextId, mesh, 'status');
    const key = meshStatusTopic(contextId, mesh);
    const live: AsyncIterableIterator<MeshStatusModel> = this.pubSub.asyncIterableIterator<MeshStatusModel>(key);
    this.retain(key, contextId, provider);
    let first: Promise<MeshStatusModel> | undefined = this.safeStatus(contextId, provider);
    let ended = false;
    const end = async (): Promise<IteratorResult<MeshStatusModel>> => {
      if (!ended) {
        ended = true;
        this.release(key);
        await live.return?.();
      }
      return { done: true, value: undefined };
    };
    const iterator: AsyncIterableIterator<MeshStatusModel> = {
      next: async () => {
        if (ended) return { done: true, value: undefined };
        if (first) {
          const status = await first;
          first = undefined;
          const watch = this.watches.get(key);
          if (watch) watch.last = fingerprint(status);
          return { done: false, value: status };
        }
        return live.next();
      },
      return: end,
      throw: async (error: unknown) => {
        await end();
        throw error;
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private retain(key: string, contextId: string, provider: MeshProvider): void {
    const watch = this.watches.get(key) ?? { subscribers: 0 };
    watch.subscribers += 1;
    if (!watch.timer) {
      watch.timer = setInterval(() => void this.refresh(contextId, provider), this.config.meshStatusIntervalSeconds * 1000);
      watch.timer.unref();
    }
    this.watches.set(key, watch);
  }

  private release(key: string): void {
    const watch = this.watches.get(key);
    if (!watch) return;
    watch.subscribers -= 1;
    if (watch.subscribers <= 0) {
      clearInterval(watch.timer);
      this.watches.delete(key);
    }
  }

  /** Checks a watched status again and publishes it when it changed (one check at a time). */
  private async refresh(contextId: string, provider: MeshProvider): Promise<void> {
    const key = meshStatusTopic(contextId, provider.descriptor.mesh);
    const watch = this.watches.get(key);
    if (!watch) return;
    if (watch.checking) return watch.checking;
    watch.checking = (async () => {
      try {
        const status = await this.safeStatus(contextId, provider, true);
        const print = fingerprint(status);
        if (print !== watch.last) {
          watch.last = print;
          await this.pubSub.publish(key, status);
        }
      } finally {
        watch.checking = undefined;
      }
    })();
    return watch.checking;
  }

  private namespaceProblems(namespace: string) {
    return DNS_LABEL.test(namespace) ? [] : [{ field: 'namespace', message: `"${namespace}" is not a valid namespace name (lower-case letters, digits and "-", at most 63)` }];
  }

  private async target(contextId: string, mesh: string, operation: string): Promise<Registered<MeshProvider>> {
    const providers = this.plugins.meshProviders();
    const found = providers.find((p) => p.provider.descriptor.mesh === mesh);
    if (!found) {
      throw invalidInput('mesh request', [
        { field: 'mesh', message: `no loaded plugin manages "${mesh}"; available: ${providers.map((p) => p.provider.descriptor.mesh).join(', ') || 'none (see the plugins query)'}` },
      ]);
    }
    if (!(found.provider.descriptor.operations as readonly string[]).includes(operation)) {
      throw apiError('PRECONDITION_FAILED', `The ${found.provider.descriptor.displayName} plugin does not support "${operation}"`, {
        remediation: `It supports: ${found.provider.descriptor.operations.join(', ')}.`,
      });
    }
    await this.connections.get(contextId);
    return found;
  }

  private async run(
    contextId: string,
    provider: MeshProvider,
    kind: string,
    summary: string,
    work: (ctx: OperationContext<MeshOperationEvent>) => Promise<string>,
  ): Promise<OperationEntity> {
    const key = `${contextId}|${provider.descriptor.mesh}`;
    const running = this.busy.get(key);
    if (running) {
      throw apiError('PRECONDITION_FAILED', `Another ${provider.descriptor.displayName} operation (${running}) is running on this cluster`, {
        probableCause: 'Mesh actions on one cluster run one at a time.',
        remediation: `Wait for operation ${running} to end (operationEvents subscription), or cancel it with cancelOperation.`,
      });
    }
    const operationId = randomUUID();
    this.busy.set(key, operationId);
    const started = this.operations.start({ id: operationId, kind, contextId, summary }, async ({ id, signal, emit }) => {
      try {
        return await work({
          operationId: id,
          signal,
          logger: forwardingLogger((level, message, fields) => {
            const line = `[${provider.descriptor.mesh} ${id}] ${message}${fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`;
            if (level === 'error') this.logger.error(line);
            else if (level === 'warn') this.logger.warn(line);
            else if (level === 'debug') this.logger.debug(line);
            else this.logger.log(line);
          }),
          emit: (event) => emit(toOperationEvent(event)),
        });
      } finally {
        this.busy.delete(key);
        void this.refresh(contextId, provider);
      }
    });
    return started.catch((error: unknown) => {
      this.busy.delete(key);
      throw error;
    });
  }

  /**
   * Runs the plugin's checks, bounded by STATUS_TIMEOUT_MS. With `untilSettled`, a check that
   * outlives the timeout is still awaited before returning (its outcome reported as the timeout),
   * so periodic checks of a slow cluster never pile up.
   */
  private async checkedStatus(contextId: string, provider: MeshProvider, untilSettled = false): Promise<MeshStatusModel> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), STATUS_TIMEOUT_MS);
    const running = provider.status({ contextId }, { operationId: `status-${contextId}`, signal: controller.signal, logger: forwardingLogger(() => {}), emit: () => {} });
    try {
      const status = await Promise.race([
        running,
        new Promise<never>((_, reject) =>
          controller.signal.addEventListener('abort', () =>
            reject(new PluginError('TIMEOUT', `The ${provider.descriptor.displayName} status check did not finish within ${STATUS_TIMEOUT_MS / 1000} s`, {
              probableCause: 'The cluster answers very slowly.',
              remediation: 'Check the cluster (clusterInfo) and try again.',
            })),
          ),
        ),
      ]);
      return toStatusModel(contextId, provider.descriptor.mesh, status);
    } finally {
      clearTimeout(timer);
      if (untilSettled) await running.catch(() => undefined);
    }
  }

  /** A status whose failure is reported inside it rather than thrown. */
  private async safeStatus(contextId: string, provider: MeshProvider, untilSettled = false): Promise<MeshStatusModel> {
    try {
      return await this.checkedStatus(contextId, provider, untilSettled);
    } catch (error) {
      const failure = PluginError.from(error).toJSON();
      return {
        contextId,
        mesh: provider.descriptor.mesh,
        installed: false,
        healthy: false,
        checks: [],
        injectionNamespaces: [],
        sampleApps: [],
        checkedAt: new Date().toISOString(),
        error: Object.fromEntries(Object.entries(failure).filter(([, v]) => v !== undefined)) as MeshStatusModel['error'],
      } as MeshStatusModel;
    }
  }
}

function toOperationEvent(event: MeshOperationEvent): OperationEventInput {
  const object = 'object' in event && event.object ? { ...event.object } : undefined;
  return { type: event.type, summary: event.summary, ...(object ? { object } : {}) };
}

function toStatusModel(contextId: string, mesh: string, status: MeshStatus): MeshStatusModel {
  return {
    contextId,
    mesh,
    installed: status.installed,
    ...(status.version ? { version: status.version } : {}),
    ...(status.namespace ? { namespace: status.namespace } : {}),
    ...(status.managedByMeshery !== undefined ? { managedByMeshery: status.managedByMeshery } : {}),
    healthy: status.healthy,
    checks: status.checks.map((c) => ({ component: c.component, healthy: c.healthy, message: c.message, ...(c.remediation ? { remediation: c.remediation } : {}) })),
    injectionNamespaces: [...(status.injectionNamespaces ?? [])],
    sampleApps: (status.sampleApps ?? []).map((a) => ({ app: a.app, namespace: a.namespace, ready: a.ready })),
    checkedAt: new Date().toISOString(),
  };
}

/** What makes two statuses different for a watcher (not the time of the check). */
function fingerprint(status: MeshStatusModel): string {
  const { checkedAt: _checkedAt, ...rest } = status;
  return JSON.stringify(rest);
}
