import {
  PluginError,
  type KubernetesApplyRequest,
  type KubernetesObjectEvent,
  type KubernetesObjectRef,
  type KubernetesService,
  type OperationContext,
} from '@meshery/plugin-api';
import { randomUUID } from 'node:crypto';
import { ApiDiscovery, type ServedResource } from './api-discovery.js';
import { ApplyEngine, objectError, type AppliedObject, type EngineEvent } from './apply-engine.js';
import type { InventoryStore } from './inventory.js';
import { KubeApiError, type KubeApiClient } from './kube-api-client.js';
import { describeRef, parseManifest, ManifestError, type KubeObject, type ObjectRef } from './manifest.js';

/** Options of an apply into an inventory. */
export interface InventoryApplyOptions {
  readonly contextId: string;
  readonly inventoryId: string;
  readonly namespace?: string;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly wait?: boolean;
  readonly timeoutSeconds?: number;
  readonly signal: AbortSignal;
  readonly emit: (event: EngineEvent) => void;
}

/** An engine whose retries are reported as events. */
export function engineFor(client: KubeApiClient, emit: (event: EngineEvent) => void): ApplyEngine {
  return new ApplyEngine(
    client.withRetryListener((notice) =>
      emit({
        type: 'retrying',
        summary: `${notice.method} ${notice.path}: ${notice.cause}; retrying in ${(notice.delayMs / 1000).toFixed(1)} s (attempt ${notice.attempt + 1})`,
      }),
    ),
  );
}

/** Applies objects, recording each in the inventory as soon as it is applied (not in a dry run). */
export async function applyIntoInventory(
  client: KubeApiClient,
  objects: readonly KubeObject[],
  store: InventoryStore,
  options: InventoryApplyOptions,
): Promise<AppliedObject[]> {
  return engineFor(client, options.emit).apply(objects, {
    inventoryId: options.inventoryId,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    dryRun: options.dryRun ?? false,
    force: options.force ?? false,
    wait: options.wait ?? true,
    ...(options.timeoutSeconds ? { readinessTimeoutMs: options.timeoutSeconds * 1000 } : {}),
    signal: options.signal,
    emit: options.emit,
    onCreating: (ref) => store.record({ inventoryId: options.inventoryId, contextId: options.contextId, ref, uid: null }),
    onApplied: (object) =>
      store.record({
        inventoryId: options.inventoryId,
        contextId: options.contextId,
        ref: { apiVersion: object.apiVersion, kind: object.kind, name: object.name, ...(object.namespace ? { namespace: object.namespace } : {}) },
        uid: object.uid ?? null,
      }),
  });
}

/** Deletes every object of an inventory in reverse dependency order, forgetting each once gone. */
export async function removeInventory(
  client: KubeApiClient,
  store: InventoryStore,
  inventoryId: string,
  options: { dryRun?: boolean; signal: AbortSignal; emit: (event: EngineEvent) => void },
): Promise<number> {
  const refs = (await store.entries(inventoryId)).map((entry) => ({ ...entry.ref, uid: entry.uid }));
  await engineFor(client, options.emit).delete(refs, {
    dryRun: options.dryRun ?? false,
    signal: options.signal,
    emit: options.emit,
    onDeleted: (ref) => store.forget(inventoryId, ref),
  });
  return refs.length;
}

/** A manifest parsed for a plugin, its faults as `INVALID_REQUEST`. */
function parseForPlugin(manifest: string): KubeObject[] {
  try {
    return parseManifest(manifest);
  } catch (error) {
    if (error instanceof ManifestError) {
      throw new PluginError('INVALID_REQUEST', `The manifest cannot be applied: ${error.message}`, {
        probableCause: 'The plugin produced or was given a manifest that is not valid Kubernetes YAML.',
        remediation: 'Check the manifest the plugin generated (its operation events name the step).',
      });
    }
    throw error;
  }
}

const toRef = (ref: KubernetesObjectRef): ObjectRef => ({
  apiVersion: ref.apiVersion,
  kind: ref.kind,
  name: ref.name,
  ...(ref.namespace ? { namespace: ref.namespace } : {}),
});

/**
 * The host's Kubernetes engine as plugins see it (`PluginTokens.kubernetes`): the server builds it
 * over its stored cluster connections and database inventory, the plugin test host over kube-sim
 * and an inventory in memory.
 */
export class EngineKubernetesService implements KubernetesService {
  /**
   * What each cluster serves, kept between calls (a status check makes many): a kind not found is
   * looked up again, so kinds added by CRDs since are found.
   */
  private readonly discoveries = new Map<string, ApiDiscovery>();

  constructor(
    private readonly clientFor: (contextId: string) => Promise<KubeApiClient>,
    private readonly store: InventoryStore,
  ) {}

  async apply(request: KubernetesApplyRequest, ctx: OperationContext<KubernetesObjectEvent>) {
    const objects = parseForPlugin(request.manifest);
    const client = await this.clientFor(request.contextId);
    const inventoryId = request.inventoryId ?? randomUUID();
    const applied = await applyIntoInventory(client, objects, this.store, {
      contextId: request.contextId,
      inventoryId,
      ...(request.namespace ? { namespace: request.namespace } : {}),
      dryRun: request.dryRun ?? false,
      force: request.force ?? false,
      wait: request.wait ?? true,
      ...(request.timeoutSeconds ? { timeoutSeconds: request.timeoutSeconds } : {}),
      signal: ctx.signal,
      emit: (event) => ctx.emit(event as KubernetesObjectEvent),
    });
    return { inventoryId, objects: applied.map(({ uid: _uid, ...object }) => object) };
  }

  async removeInventory(request: { contextId: string; inventoryId: string; dryRun?: boolean }, ctx: OperationContext<KubernetesObjectEvent>) {
    const entries = await this.store.entries(request.inventoryId);
    if (entries.some((entry) => entry.contextId !== request.contextId)) {
      throw new PluginError('INVALID_REQUEST', `Inventory ${request.inventoryId} was applied to another cluster connection`, {
        probableCause: 'The inventory id and the cluster connection do not belong together.',
        remediation: 'Remove the inventory through the connection it was applied with.',
      });
    }
    const client = await this.clientFor(request.contextId);
    await removeInventory(client, this.store, request.inventoryId, {
      dryRun: request.dryRun ?? false,
      signal: ctx.signal,
      emit: (event) => ctx.emit(event as KubernetesObjectEvent),
    });
  }

  async inventory(inventoryId: string): Promise<KubernetesObjectRef[]> {
    return (await this.store.entries(inventoryId)).map((entry) => entry.ref);
  }

  async get(contextId: string, ref: KubernetesObjectRef) {
    const client = await this.clientFor(contextId);
    const resource = await this.resource(contextId, client, ref);
    if (!resource) return null;
    try {
      return await client.request<Record<string, unknown>>('GET', ApiDiscovery.path(resource, ref.namespace, ref.name));
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return null;
      throw objectError('Reading', toRef(ref), error);
    }
  }

  async list(contextId: string, query: { apiVersion: string; kind: string; namespace?: string; labelSelector?: string }) {
    const client = await this.clientFor(contextId);
    const ref = { apiVersion: query.apiVersion, kind: query.kind, name: '*', ...(query.namespace ? { namespace: query.namespace } : {}) };
    const resource = await this.resource(contextId, client, ref);
    if (!resource) return [];
    try {
      const list = await client.request<{ items?: Record<string, unknown>[] }>('GET', ApiDiscovery.path(resource, query.namespace), {
        query: { labelSelector: query.labelSelector },
      });
      return list.items ?? [];
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) {
        // The kind went away (its CRD was deleted) since it was looked up.
        this.discoveries.get(contextId)?.forget(query.apiVersion);
        return [];
      }
      throw objectError('Listing', ref, error);
    }
  }

  async patch(contextId: string, ref: KubernetesObjectRef, patch: Readonly<Record<string, unknown>>) {
    const client = await this.clientFor(contextId);
    const resource = await this.resource(contextId, client, ref);
    const missing = () =>
      new PluginError('PRECONDITION_FAILED', `${describeRef(toRef(ref))} does not exist`, {
        probableCause: 'The object was never created or has been deleted.',
        remediation: `Check its name (kubectl get ${ref.kind.toLowerCase()}${ref.namespace ? ` -n ${ref.namespace}` : ''}) and create it first.`,
      });
    if (!resource) throw missing();
    try {
      return await client.request<Record<string, unknown>>('PATCH', ApiDiscovery.path(resource, ref.namespace, ref.name), {
        body: JSON.stringify(patch),
        contentType: 'application/merge-patch+json',
        query: { fieldManager: 'meshery' },
      });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) throw missing();
      throw objectError('Patching', toRef(ref), error);
    }
  }

  async delete(contextId: string, ref: KubernetesObjectRef, ctx: OperationContext<KubernetesObjectEvent>): Promise<'deleted' | 'absent'> {
    const client = await this.clientFor(contextId);
    let outcome: 'deleted' | 'absent' = 'absent';
    await engineFor(client, (event) => ctx.emit(event as KubernetesObjectEvent)).delete([toRef(ref)], {
      signal: ctx.signal,
      emit: (event) => {
        if (event.type === 'deleted') outcome = 'deleted';
        ctx.emit(event as KubernetesObjectEvent);
      },
    });
    return outcome;
  }

  private async resource(contextId: string, client: KubeApiClient, ref: KubernetesObjectRef): Promise<ServedResource | undefined> {
    let discovery = this.discoveries.get(contextId);
    if (!discovery) {
      if (this.discoveries.size >= 64) this.discoveries.delete(this.discoveries.keys().next().value!);
      discovery = new ApiDiscovery(client);
      this.discoveries.set(contextId, discovery);
    }
    try {
      return await discovery.resource(ref.apiVersion, ref.kind);
    } catch (error) {
      throw objectError('Looking up the kind of', toRef(ref), error);
    }
  }
}
