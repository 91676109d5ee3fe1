import type { OperationContext } from './operation.js';

/**
 * A Kubernetes object named by its kind and name.
 *
 * @example
 * ```ts
 * const ref: KubernetesObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'istiod', namespace: 'istio-system' };
 * ```
 */
export interface KubernetesObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
}

/**
 * What happened to an object during an apply or a removal, or what the host is waiting for.
 *
 * @example
 * ```ts
 * ctx.emit({ type: 'waiting', summary: 'waiting for Deployment istio-system/istiod to be ready' });
 * ```
 */
export interface KubernetesObjectEvent {
  readonly type: 'created' | 'configured' | 'unchanged' | 'deleted' | 'absent' | 'waiting' | 'ready' | 'retrying' | 'info';
  readonly summary: string;
  readonly object?: KubernetesObjectRef;
}

/**
 * A manifest to apply on a connected cluster.
 *
 * @example
 * ```ts
 * const request: KubernetesApplyRequest = { contextId, manifest: yamlText, namespace: 'istio-system' };
 * ```
 */
export interface KubernetesApplyRequest {
  /** A cluster connection id. */
  readonly contextId: string;
  /** Multi-document YAML or JSON. */
  readonly manifest: string;
  /** For namespaced objects that name none; `default` otherwise. */
  readonly namespace?: string;
  readonly dryRun?: boolean;
  /**
   * Take ownership of fields another field manager owns instead of failing with
   * `PRECONDITION_FAILED` (e.g. when converging an installation whose objects were edited).
   */
  readonly force?: boolean;
  /** Wait for workloads to be ready (default true). */
  readonly wait?: boolean;
  readonly timeoutSeconds?: number;
  /**
   * Add the objects to this inventory (e.g. one per mesh installation); a new one when absent.
   * Re-applying into the same inventory converges; removing it deletes everything it holds.
   */
  readonly inventoryId?: string;
}

/**
 * The Kubernetes engine of the host: server-side apply in dependency order, readiness waits,
 * retries, and an inventory per apply so that a removal deletes exactly what was applied.
 * Offered to in-process plugins (a worker-hosted plugin cannot receive it yet).
 *
 * @example
 * ```ts
 * constructor(@inject(PluginTokens.kubernetes) private readonly kube: KubernetesService) {}
 * async install(request: MeshInstallRequest, ctx: OperationContext<MeshOperationEvent>) {
 *   const { inventoryId } = await this.kube.apply({ contextId: request.contextId, manifest }, ctx);
 * }
 * ```
 */
export interface KubernetesService {
  apply(
    request: KubernetesApplyRequest,
    ctx: OperationContext<KubernetesObjectEvent>,
  ): Promise<{ readonly inventoryId: string; readonly objects: readonly (KubernetesObjectRef & { readonly result: 'created' | 'configured' | 'unchanged' })[] }>;
  /** Deletes every object of an inventory, in reverse dependency order, and forgets it. */
  removeInventory(
    request: { readonly contextId: string; readonly inventoryId: string; readonly dryRun?: boolean },
    ctx: OperationContext<KubernetesObjectEvent>,
  ): Promise<void>;
  /** The objects an inventory holds. */
  inventory(inventoryId: string): Promise<readonly KubernetesObjectRef[]>;
  /** One object as the API server returns it, or `null` when absent. */
  get(contextId: string, ref: KubernetesObjectRef): Promise<Readonly<Record<string, unknown>> | null>;
  /**
   * Changes an object that is not this plugin's to own (e.g. a label on a user's namespace) with a
   * JSON merge patch (RFC 7386: `null` removes a key). The object is not added to any inventory.
   * Fails with `PRECONDITION_FAILED` when the object does not exist.
   */
  patch(contextId: string, ref: KubernetesObjectRef, patch: Readonly<Record<string, unknown>>): Promise<Readonly<Record<string, unknown>>>;
  /**
   * Deletes one object (e.g. something the mesh's control plane created at run time) and waits
   * until it is gone; `absent` when there was nothing to delete.
   */
  delete(contextId: string, ref: KubernetesObjectRef, ctx: OperationContext<KubernetesObjectEvent>): Promise<'deleted' | 'absent'>;
  /** Objects of a kind, optionally in a namespace and matching a label selector. */
  list(
    contextId: string,
    query: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string; readonly labelSelector?: string },
  ): Promise<readonly Readonly<Record<string, unknown>>[]>;
}
