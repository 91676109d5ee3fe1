import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { apiError, invalidInput } from '../graphql/api-error.js';
import type { OperationEntity } from '../operations/entities/operation.entity.js';
import { OperationsService, type OperationEventInput } from '../operations/operations.service.js';
import {
  applyIntoInventory,
  engineFor,
  ManifestError,
  parseManifest,
  refOf,
  removeInventory,
  type AppliedObject,
  type EngineEvent,
  type InventoryEntry,
  type InventoryStore,
  type KubeApiClient,
  type KubeObject,
  type ObjectRef,
} from '@meshery/kube-engine';
import { ClusterConnectionsService } from './cluster-connections.service.js';
import { InventoryObjectEntity } from './entities/inventory-object.entity.js';

export interface ApplyManifestRequest {
  readonly contextId: string;
  readonly manifest: string;
  readonly namespace?: string | null;
  readonly dryRun?: boolean | null;
  readonly force?: boolean | null;
  readonly wait?: boolean | null;
  readonly timeoutSeconds?: number | null;
}

const toEvent = (event: EngineEvent): OperationEventInput => ({
  type: event.type,
  summary: event.summary,
  ...(event.object ? { object: { ...event.object } } : {}),
});

/** Applies and removes manifests on connected clusters as operations, keeping the inventory. */
@Injectable()
export class KubernetesService {
  constructor(
    private readonly connections: ClusterConnectionsService,
    private readonly operations: OperationsService,
    @InjectRepository(InventoryObjectEntity) private readonly inventory: Repository<InventoryObjectEntity>,
  ) {}

  /** Parses and checks the request, then applies in the background; the operation id is the inventory id. */
  async applyManifest(request: ApplyManifestRequest): Promise<OperationEntity> {
    const objects = this.parse(request.manifest);
    this.checkTimeout(request.timeoutSeconds);
    const client = await this.connections.client(request.contextId);
    const dryRun = request.dryRun ?? false;
    return this.operations.start(
      { kind: 'apply-manifest', contextId: request.contextId, dryRun, summary: `${dryRun ? 'Dry run: apply' : 'Apply'} ${objects.length} object(s)` },
      async ({ id, signal, emit }) => {
        const applied = await this.applyObjects(client, objects, {
          contextId: request.contextId,
          inventoryId: id,
          ...(request.namespace ? { namespace: request.namespace } : {}),
          dryRun,
          force: request.force ?? false,
          wait: request.wait ?? true,
          ...(request.timeoutSeconds ? { timeoutSeconds: request.timeoutSeconds } : {}),
          signal,
          emit,
        });
        const counts = (['created', 'configured', 'unchanged'] as const).map((r) => `${applied.filter((a) => a.result === r).length} ${r}`);
        return `${dryRun ? 'Dry run: ' : ''}${counts.join(', ')}`;
      },
    );
  }

  /** Applies objects into an inventory (recording each as it is applied). */
  async applyObjects(
    client: KubeApiClient,
    objects: readonly KubeObject[],
    options: {
      contextId: string;
      inventoryId: string;
      namespace?: string;
      dryRun: boolean;
      force?: boolean;
      wait: boolean;
      timeoutSeconds?: number;
      signal: AbortSignal;
      emit: (event: OperationEventInput) => void;
    },
  ): Promise<AppliedObject[]> {
    return applyIntoInventory(client, objects, this.inventoryStore, { ...options, emit: (event) => options.emit(toEvent(event)) });
  }

  /** Deletes every object of an inventory in reverse order, forgetting each once it is gone. */
  async removeInventoryObjects(
    client: KubeApiClient,
    inventoryId: string,
    options: { dryRun: boolean; signal: AbortSignal; emit: (event: OperationEventInput) => void },
  ): Promise<number> {
    return removeInventory(client, this.inventoryStore, inventoryId, { ...options, emit: (event) => options.emit(toEvent(event)) });
  }

  /** Inventories as the engine sees them, kept in the database. */
  readonly inventoryStore: InventoryStore = {
    entries: async (inventoryId: string): Promise<InventoryEntry[]> =>
      (await this.inventoryOf(inventoryId)).map((row) => ({
        inventoryId: row.inventoryId,
        contextId: row.contextId,
        uid: row.uid,
        seq: row.seq,
        ref: { apiVersion: row.apiVersion, kind: row.kind, name: row.name, ...(row.namespace ? { namespace: row.namespace } : {}) },
      })),
    record: async (entry) => {
      const key = { inventoryId: entry.inventoryId, apiVersion: entry.ref.apiVersion, kind: entry.ref.kind, namespace: entry.ref.namespace ?? '', name: entry.ref.name };
      const existing = await this.inventory.findOneBy(key);
      const seq = existing?.seq ?? ((await this.inventory.maximum('seq', { inventoryId: entry.inventoryId })) ?? -1) + 1;
      await this.inventory.save(this.inventory.create({ ...key, contextId: entry.contextId, seq, uid: entry.uid, appliedAt: new Date().toISOString() }));
    },
    forget: async (inventoryId: string, ref: ObjectRef) => {
      await this.inventory.delete({ inventoryId, apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace ?? '', name: ref.name });
    },
  };

  /** Deletes the objects a manifest names (and only those). */
  async deleteManifest(request: { contextId: string; manifest: string; namespace?: string | null; dryRun?: boolean | null }): Promise<OperationEntity> {
    const refs = this.parse(request.manifest).map(refOf);
    const client = await this.connections.client(request.contextId);
    const dryRun = request.dryRun ?? false;
    return this.operations.start(
      { kind: 'delete-manifest', contextId: request.contextId, dryRun, summary: `${dryRun ? 'Dry run: delete' : 'Delete'} ${refs.length} object(s)` },
      async ({ signal, emit }) => {
        await this.engine(client, emit).delete(refs, {
          dryRun,
          ...(request.namespace ? { namespace: request.namespace } : {}),
          signal,
          emit: (event) => emit(toEvent(event)),
        });
        return `${dryRun ? 'Dry run: ' : ''}${refs.length} object(s) deleted`;
      },
    );
  }

  /** Deletes exactly what an apply operation recorded in its inventory. */
  async deleteInventory(request: { contextId: string; inventoryId: string; dryRun?: boolean | null }): Promise<OperationEntity> {
    const rows = await this.inventory.find({ where: { inventoryId: request.inventoryId }, order: { seq: 'ASC' } });
    if (rows.length === 0) {
      throw apiError('NOT_FOUND', `Inventory "${request.inventoryId}" records no objects`, {
        field: 'inventoryId',
        probableCause: 'The id is not that of an apply operation, its objects were already removed, or it was a dry run.',
        remediation: 'Use the id of an apply operation (operations query).',
      });
    }
    if (rows.some((row) => row.contextId !== request.contextId)) {
      throw invalidInput('inventory removal', [{ field: 'contextId', message: 'the inventory was applied to another cluster connection' }]);
    }
    const client = await this.connections.client(request.contextId);
    const dryRun = request.dryRun ?? false;
    return this.operations.start(
      {
        kind: 'delete-inventory',
        contextId: request.contextId,
        dryRun,
        summary: `${dryRun ? 'Dry run: remove' : 'Remove'} inventory ${request.inventoryId} (${rows.length} object(s))`,
      },
      async ({ signal, emit }) => {
        const count = await this.removeInventoryObjects(client, request.inventoryId, { dryRun, signal, emit });
        return `${dryRun ? 'Dry run: ' : ''}${count} object(s) removed`;
      },
    );
  }

  /**
   * Removes a cluster connection. While Meshery still records objects it applied there (a mesh
   * installation, an applied manifest), the removal is refused unless forced: without the
   * connection they could no longer be removed through Meshery. Forced, their records are dropped
   * and the objects stay in the cluster.
   */
  async removeConnection(id: string, force: boolean): Promise<boolean> {
    await this.connections.get(id);
    const rows = await this.inventory.find({ where: { contextId: id }, select: { inventoryId: true } });
    if (rows.length > 0 && !force) {
      const inventories = [...new Set(rows.map((row) => row.inventoryId))];
      throw apiError('PRECONDITION_FAILED', `Meshery still manages ${rows.length} object(s) on this cluster, in ${inventories.length} inventor${inventories.length === 1 ? 'y' : 'ies'} (${inventories.slice(0, 5).join(', ')}${inventories.length > 5 ? ', ...' : ''})`, {
        field: 'id',
        probableCause: 'A mesh installation, sample app or applied manifest is still in place.',
        remediation: 'Remove them first (uninstallMesh, removeSampleApp, deleteInventory), or pass force: true to forget them and leave the objects in the cluster.',
      });
    }
    if (rows.length > 0) await this.inventory.delete({ contextId: id });
    return this.connections.remove(id);
  }

  inventoryOf(inventoryId: string): Promise<InventoryObjectEntity[]> {
    return this.inventory.find({ where: { inventoryId }, order: { seq: 'ASC' } });
  }

  engine(client: KubeApiClient, emit: (event: OperationEventInput) => void) {
    return engineFor(client, (event) => emit(toEvent(event)));
  }

  parse(manifest: string): KubeObject[] {
    try {
      return parseManifest(manifest);
    } catch (error) {
      if (error instanceof ManifestError) throw invalidInput('manifest', [{ field: 'manifest', message: error.message }]);
      throw error;
    }
  }

  private checkTimeout(timeoutSeconds: number | null | undefined): void {
    if (timeoutSeconds !== undefined && timeoutSeconds !== null && !(timeoutSeconds > 0 && timeoutSeconds <= 3600)) {
      throw invalidInput('manifest request', [{ field: 'timeoutSeconds', message: 'expected 1 to 3600 seconds' }]);
    }
  }
}

