import type {
  KubernetesApplyRequest,
  KubernetesObjectEvent,
  KubernetesObjectRef,
  KubernetesService as PluginKubernetes,
  OperationContext,
} from '@meshery/plugin-api';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiDiscovery } from './api-discovery.js';
import { objectError } from './apply-engine.js';
import { ClusterConnectionsService } from './cluster-connections.service.js';
import { KubeApiError } from './kube-api-client.js';
import { KubernetesService } from './kubernetes.service.js';

const asEvent = (ctx: OperationContext<KubernetesObjectEvent>) => (event: { type: string; summary: string; object?: KubernetesObjectRef }) =>
  ctx.emit(event as KubernetesObjectEvent);

/** The host's Kubernetes engine as plugins see it through `PluginTokens.kubernetes`. */
@Injectable()
export class PluginKubernetesService implements PluginKubernetes {
  constructor(
    private readonly connections: ClusterConnectionsService,
    private readonly kubernetes: KubernetesService,
  ) {}

  async apply(request: KubernetesApplyRequest, ctx: OperationContext<KubernetesObjectEvent>) {
    const objects = this.kubernetes.parse(request.manifest);
    const client = await this.connections.client(request.contextId);
    const inventoryId = request.inventoryId ?? randomUUID();
    const applied = await this.kubernetes.applyObjects(client, objects, {
      contextId: request.contextId,
      inventoryId,
      ...(request.namespace ? { namespace: request.namespace } : {}),
      dryRun: request.dryRun ?? false,
      wait: request.wait ?? true,
      ...(request.timeoutSeconds ? { timeoutSeconds: request.timeoutSeconds } : {}),
      signal: ctx.signal,
      emit: asEvent(ctx),
    });
    return { inventoryId, objects: applied };
  }

  async removeInventory(request: { contextId: string; inventoryId: string; dryRun?: boolean }, ctx: OperationContext<KubernetesObjectEvent>) {
    const client = await this.connections.client(request.contextId);
    await this.kubernetes.removeInventoryObjects(client, request.inventoryId, { dryRun: request.dryRun ?? false, signal: ctx.signal, emit: asEvent(ctx) });
  }

  async inventory(inventoryId: string): Promise<KubernetesObjectRef[]> {
    return (await this.kubernetes.inventoryOf(inventoryId)).map((row) => ({
      apiVersion: row.apiVersion,
      kind: row.kind,
      name: row.name,
      ...(row.namespace ? { namespace: row.namespace } : {}),
    }));
  }

  async get(contextId: string, ref: KubernetesObjectRef) {
    const client = await this.connections.client(contextId);
    const resource = await new ApiDiscovery(client).resource(ref.apiVersion, ref.kind);
    if (!resource) return null;
    try {
      return await client.request<Record<string, unknown>>('GET', ApiDiscovery.path(resource, ref.namespace, ref.name));
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return null;
      throw objectError('Reading', ref, error);
    }
  }

  async list(contextId: string, query: { apiVersion: string; kind: string; namespace?: string; labelSelector?: string }) {
    const client = await this.connections.client(contextId);
    const resource = await new ApiDiscovery(client).resource(query.apiVersion, query.kind);
    if (!resource) return [];
    try {
      const list = await client.request<{ items?: Record<string, unknown>[] }>('GET', ApiDiscovery.path(resource, query.namespace), {
        query: { labelSelector: query.labelSelector },
      });
      return list.items ?? [];
    } catch (error) {
      throw objectError('Listing', { apiVersion: query.apiVersion, kind: query.kind, name: '*', ...(query.namespace ? { namespace: query.namespace } : {}) }, error);
    }
  }
}
