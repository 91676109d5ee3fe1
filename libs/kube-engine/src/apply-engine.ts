import { PluginError, type PluginErrorCode } from '@meshery/plugin-api';
import { ApiDiscovery, type ServedResource } from './api-discovery.js';
import { inApplyOrder, inDeleteOrder } from './apply-order.js';
import { KubeApiError, type KubeApiClient } from './kube-api-client.js';
import { describeRef, refOf, splitApiVersion, type KubeObject, type ObjectRef } from './manifest.js';
import { describeConditions, readinessOf, WAITED_KINDS } from './readiness.js';

/**
 * The label every applied object carries. It is the same for every apply, so re-applying a
 * manifest changes nothing; which inventory an object belongs to is recorded by the server.
 */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The field manager of every server-side apply. */
export const FIELD_MANAGER = 'meshery';

/** What happened to an object, or what the engine is doing. */
export type EngineEventType = 'created' | 'configured' | 'unchanged' | 'deleted' | 'absent' | 'waiting' | 'ready' | 'retrying' | 'info';

export interface EngineEvent {
  readonly type: EngineEventType;
  readonly summary: string;
  readonly object?: ObjectRef;
}

/** An object the engine applied, as recorded in the inventory. */
export interface AppliedObject extends ObjectRef {
  readonly uid?: string;
  readonly result: 'created' | 'configured' | 'unchanged';
}

export interface ApplyOptions {
  readonly inventoryId: string;
  /** Namespace for namespaced objects that name none; `default` when absent. */
  readonly namespace?: string;
  readonly dryRun?: boolean;
  /** Take ownership of fields another field manager owns, instead of failing. */
  readonly force?: boolean;
  /** Wait for workloads to be ready after applying. */
  readonly wait?: boolean;
  readonly readinessTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly emit: (event: EngineEvent) => void;
  /** Called after each object is applied (not in a dry run), before the next one. */
  readonly onApplied?: (object: AppliedObject) => Promise<void> | void;
  /**
   * Called before an object that does not exist yet is created (not in a dry run), so that an
   * apply cut short while the API server commits it still leaves it recorded.
   */
  readonly onCreating?: (object: ObjectRef) => Promise<void> | void;
}

export interface DeleteOptions {
  /** Namespace for namespaced objects that name none; `default` when absent. */
  readonly namespace?: string;
  readonly dryRun?: boolean;
  /** Wait until each object is gone. */
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly emit: (event: EngineEvent) => void;
  readonly onDeleted?: (object: ObjectRef) => Promise<void> | void;
}

const DEFAULT_READINESS_TIMEOUT_MS = 5 * 60_000;

interface Planned {
  readonly object: KubeObject;
  readonly resource: ServedResource | 'defined-by-crd';
}

function engineError(code: PluginErrorCode, message: string, probableCause: string, remediation: string): PluginError {
  return new PluginError(code, message, { probableCause, remediation });
}

/** The error of a failed request about `ref`, in the user's terms. */
export function objectError(action: string, ref: ObjectRef, error: unknown): PluginError {
  const what = describeRef(ref);
  if (error instanceof PluginError) return error;
  if (error instanceof KubeApiError) {
    if (error.network) {
      return engineError('CLUSTER_UNREACHABLE', `${action} ${what} failed: ${error.message}`, 'The Kubernetes API server could not be reached, even after retries.', 'Check that the cluster is running and reachable from the server (clusterInfo), then run the operation again; it resumes where it stopped.');
    }
    const causes = (error.kubeStatus?.details?.causes ?? []).map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`).join('; ');
    const detail = `${error.message}${causes && !error.message.includes(causes) ? ` (${causes})` : ''}`;
    if (error.status === 409) {
      return engineError(
        'PRECONDITION_FAILED',
        `${action} ${what} failed: conflict: ${detail}`,
        error.reason === 'Conflict' && /manager|field/i.test(detail)
          ? 'Another field manager (a person with kubectl, another tool or controller) owns fields this manifest sets.'
          : 'The object changed on the server while it was being applied.',
        'Check who else manages the object (kubectl get -o yaml --show-managed-fields); if Meshery should own those fields, apply again with force (applyManifest force: true), or change the manifest.',
      );
    }
    if (error.status === 403 && /being terminated/i.test(detail)) {
      return engineError('PRECONDITION_FAILED', `${action} ${what} was refused: ${detail}`, 'Its namespace is being deleted.', 'Wait until the namespace is gone (kubectl get namespace), then run the operation again.');
    }
    if (error.status === 403 && /exceeded quota|forbidden: exceeded/i.test(detail)) {
      return engineError('PRECONDITION_FAILED', `${action} ${what} was refused: ${detail}`, 'A ResourceQuota of the namespace does not leave room for it.', 'Raise the quota (kubectl describe resourcequota -n <namespace>) or free resources, then run the operation again.');
    }
    if (error.status === 401 || error.status === 403) {
      return engineError('PRECONDITION_FAILED', `${action} ${what} was refused: ${detail}`, error.status === 401 ? 'The credentials of this cluster connection were not accepted (expired or revoked).' : 'The credentials of this cluster connection lack the permission (RBAC), or an admission policy forbids the object.', error.status === 401 ? 'Refresh the kubeconfig and add the cluster connection again.' : 'Use a kubeconfig context whose user may manage this kind of object (kubectl auth can-i), or check the cluster’s admission policies.');
    }
    if (error.status === 400 || error.status === 422 || error.status === 404) {
      return engineError('INVALID_REQUEST', `${action} ${what} was rejected by the API server: ${detail}`, 'The object is invalid for this cluster (a wrong field, value or version).', 'Fix the object in the manifest; objects before it in the event log were applied.');
    }
    return engineError('INTERNAL', `${action} ${what} failed: HTTP ${error.status ?? '?'}: ${detail}`, 'The API server answered with an error, even after retries.', 'Check the API server’s health and run the operation again.');
  }
  return engineError('INTERNAL', `${action} ${what} failed: ${(error as Error).message}`, 'An unexpected error.', 'Check the server log and run the operation again.');
}

/** Objects without the fields the server manages, for comparing a dry-run answer with what is there. */
function comparable(object: any): unknown {
  if (!object) return object;
  const { status: _status, metadata = {}, ...rest } = object;
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, uid: _u, creationTimestamp: _c, ...meta } = metadata;
  return { ...rest, metadata: meta };
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * Applies and deletes manifests: server-side apply with the `meshery` field manager, in
 * dependency order, waiting for CRDs to be established before their custom resources and for
 * workloads to become ready, recording every applied object so that a removal deletes exactly
 * those.
 */
export class ApplyEngine {
  private readonly discovery: ApiDiscovery;

  constructor(private readonly client: KubeApiClient) {
    this.discovery = new ApiDiscovery(client);
  }

  /**
   * Checks every object before anything is applied: its kind must be served by the cluster or
   * defined by a CRD in the same manifest.
   */
  async plan(objects: readonly KubeObject[]): Promise<Planned[]> {
    const crdKinds = new Map<string, boolean>();
    for (const object of objects) {
      if (object.kind !== 'CustomResourceDefinition') continue;
      const spec = (object as { spec?: any }).spec ?? {};
      for (const version of spec.versions ?? []) {
        if (spec.group && spec.names?.kind && version?.name) crdKinds.set(`${spec.group}/${version.name}/${spec.names.kind}`, spec.scope !== 'Cluster');
      }
    }
    const planned: Planned[] = [];
    for (const object of objects) {
      const resource = await this.discovery.resource(object.apiVersion, object.kind).catch((error: unknown) => {
        throw objectError('Looking up the kind of', refOf(object), error);
      });
      if (resource) {
        planned.push({ object, resource });
        continue;
      }
      const { group, version } = splitApiVersion(object.apiVersion);
      if (crdKinds.has(`${group}/${version}/${object.kind}`)) {
        planned.push({ object, resource: 'defined-by-crd' });
        continue;
      }
      throw new PluginError('INVALID_REQUEST', `${describeRef(refOf(object))}: the cluster does not serve kind ${object.kind} in ${object.apiVersion}; nothing was applied`, {
        probableCause: 'The kind comes from a CRD that is not installed, or apiVersion is misspelt or no longer served.',
        remediation: 'Install the CRD that defines it (or include it in this manifest), or correct apiVersion.',
      });
    }
    return planned;
  }

  async apply(objects: readonly KubeObject[], options: ApplyOptions): Promise<AppliedObject[]> {
    const planned = await this.plan(objects);
    const applied: AppliedObject[] = [];
    const ordered = inApplyOrder(planned.map((p) => ({ ...p, kind: p.object.kind })));
    const crdsToWait: KubeObject[] = [];
    const workloads: { object: KubeObject; resource: ServedResource }[] = [];
    for (const item of ordered) {
      this.throwIfAborted(options.signal);
      // Custom resources wait for every CRD applied before them to be established.
      if (item.kind !== 'CustomResourceDefinition' && item.kind !== 'Namespace' && crdsToWait.length > 0) {
        for (const crd of crdsToWait.splice(0)) await this.waitReady(crd, await this.resourceFor(crd), options);
      }
      const resource = item.resource === 'defined-by-crd' ? await this.resourceFor(item.object, options.dryRun) : item.resource;
      const object = this.prepare(item.object, resource, options);
      const result = await this.applyOne(object, resource, options);
      applied.push(result);
      if (!options.dryRun) {
        await options.onApplied?.(result);
        if (object.kind === 'CustomResourceDefinition') crdsToWait.push(object);
        else if (WAITED_KINDS.has(object.kind)) workloads.push({ object, resource });
      }
    }
    if (!options.dryRun) {
      for (const crd of crdsToWait) await this.waitReady(crd, await this.resourceFor(crd), options);
      if (options.wait !== false && workloads.length > 0) await this.waitAllReady(workloads, options);
    }
    return applied;
  }

  /**
   * Deletes objects in reverse dependency order. A ref that carries the `uid` recorded when it was
   * applied deletes only that very object: one deleted and re-created by someone else since is
   * left alone.
   */
  async delete(refs: readonly (ObjectRef & { readonly uid?: string | null })[], options: DeleteOptions): Promise<void> {
    for (const { uid: recordedUid, ...given } of inDeleteOrder(refs)) {
      this.throwIfAborted(options.signal);
      const resource = await this.discovery.resource(given.apiVersion, given.kind).catch((error: unknown) => {
        throw objectError('Looking up the kind of', given, error);
      });
      const ref: ObjectRef = resource
        ? resource.namespaced
          ? { ...given, namespace: given.namespace ?? options.namespace ?? 'default' }
          : { apiVersion: given.apiVersion, kind: given.kind, name: given.name }
        : given;
      if (!resource) {
        // Its CRD is gone, and the custom resources with it.
        options.emit({ type: 'absent', summary: `${describeRef(ref)} is already gone (its kind is no longer served)`, object: ref });
        if (!options.dryRun) await options.onDeleted?.(ref);
        continue;
      }
      const path = ApiDiscovery.path(resource, ref.namespace, ref.name);
      const replaced = () => {
        options.emit({ type: 'absent', summary: `${describeRef(ref)} was deleted and re-created by someone else since it was applied: left alone`, object: ref });
      };
      try {
        const existing = await this.client.request('GET', path, { signal: options.signal });
        if (recordedUid && existing?.metadata?.uid && existing.metadata.uid !== recordedUid) {
          replaced();
          if (!options.dryRun) await options.onDeleted?.(ref);
          continue;
        }
        await this.client.request('DELETE', path, {
          query: { propagationPolicy: 'Background', ...(options.dryRun ? { dryRun: 'All' } : {}) },
          ...(recordedUid ? { body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: recordedUid } } } : {}),
          signal: options.signal,
        });
        if (!options.dryRun && options.wait !== false) await this.waitGone(ref, resource, existing?.metadata?.uid, options);
        options.emit({ type: 'deleted', summary: `${describeRef(ref)} ${options.dryRun ? 'would be deleted' : 'deleted'}`, object: ref });
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) {
          options.emit({ type: 'absent', summary: `${describeRef(ref)} is already gone`, object: ref });
        } else if (recordedUid && error instanceof KubeApiError && error.status === 409 && /precondition/i.test(error.message)) {
          replaced();
        } else {
          throw objectError('Deleting', ref, error);
        }
      }
      if (!options.dryRun) await options.onDeleted?.(ref);
      if (ref.kind === 'CustomResourceDefinition') this.discovery.forget(ref.apiVersion);
    }
  }

  private async resourceFor(object: KubeObject, dryRun = false): Promise<ServedResource> {
    if (object.kind === 'CustomResourceDefinition') {
      const resource = await this.discovery.resource(object.apiVersion, object.kind);
      if (resource) return resource;
    }
    const resource = await this.discovery.resource(object.apiVersion, object.kind, true);
    if (resource) return resource;
    if (dryRun) {
      // The CRD was only dry-run applied: describe the resource from the CRD in the manifest.
      throw new PluginError('PRECONDITION_FAILED', `${describeRef(refOf(object))} cannot be dry-run: its CRD is not installed yet, so the server cannot validate it`, {
        probableCause: 'A dry run does not create the CRD the object needs.',
        remediation: 'Apply the CRD first, or dry-run the custom resources separately after it.',
      });
    }
    throw objectError('Applying', refOf(object), new Error(`kind ${object.kind} is still not served after its CRD was established`));
  }

  private prepare(source: KubeObject, resource: ServedResource, options: ApplyOptions): KubeObject {
    const object: KubeObject = structuredClone(source);
    if (resource.namespaced) object.metadata.namespace ??= options.namespace ?? 'default';
    else delete object.metadata.namespace;
    object.metadata.labels = { ...object.metadata.labels, [MANAGED_BY_LABEL]: 'meshery' };
    return object;
  }

  private async applyOne(object: KubeObject, resource: ServedResource, options: ApplyOptions): Promise<AppliedObject> {
    const ref = refOf(object);
    const path = ApiDiscovery.path(resource, object.metadata.namespace, object.metadata.name);
    let existing: any;
    let answer: any;
    try {
      existing = await this.client.request('GET', path, { signal: options.signal }).catch((error: unknown) => {
        if (error instanceof KubeApiError && error.status === 404) return undefined;
        throw error;
      });
      if (!existing && !options.dryRun) await options.onCreating?.(ref);
      answer = await this.client.request('PATCH', path, {
        query: { fieldManager: FIELD_MANAGER, ...(options.force ? { force: true } : {}), ...(options.dryRun ? { dryRun: 'All' } : {}) },
        body: JSON.stringify(object),
        contentType: 'application/apply-patch+yaml',
        signal: options.signal,
      });
    } catch (error) {
      throw objectError('Applying', ref, error);
    }
    let result: AppliedObject['result'];
    if (!existing) result = 'created';
    else if (options.dryRun) result = stableJson(comparable(existing)) === stableJson(comparable(answer)) ? 'unchanged' : 'configured';
    else result = existing.metadata?.resourceVersion === answer?.metadata?.resourceVersion ? 'unchanged' : 'configured';
    const verb = options.dryRun ? { created: 'would be created', configured: 'would be configured', unchanged: 'unchanged' }[result] : result;
    options.emit({ type: result, summary: `${describeRef(ref)} ${verb}`, object: ref });
    return { ...ref, result, ...(answer?.metadata?.uid ? { uid: answer.metadata.uid as string } : {}) };
  }

  private async waitAllReady(workloads: { object: KubeObject; resource: ServedResource }[], options: ApplyOptions): Promise<void> {
    const outcomes = await Promise.allSettled(workloads.map(({ object, resource }) => this.waitReady(object, resource, options)));
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as PluginError] : []));
    if (failures.length === 0) return;
    if (failures.length === 1) throw failures[0];
    const timeouts = failures.filter((f) => f.code === 'TIMEOUT');
    throw new PluginError(timeouts.length === failures.length ? 'TIMEOUT' : failures[0]!.code, `${failures.length} objects did not become ready: ${failures.map((f) => f.message).join(' | ')}`, {
      probableCause: failures[0]!.probableCause ?? 'The workloads cannot start.',
      remediation: failures[0]!.remediation ?? 'Inspect the objects and their events.',
    });
  }

  /** Waits, by watch, until the object is ready; TIMEOUT names it with its conditions and events. */
  private async waitReady(object: KubeObject, resource: ServedResource, options: ApplyOptions): Promise<void> {
    const ref = refOf(object);
    const timeoutMs = options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const path = ApiDiscovery.path(resource, ref.namespace, ref.name);
    const collection = ApiDiscovery.path(resource, ref.namespace);
    let last: any;
    let announced = false;
    for (;;) {
      this.throwIfAborted(options.signal);
      try {
        last = await this.client.request('GET', path, { signal: options.signal });
      } catch (error) {
        throw objectError('Waiting for', ref, error);
      }
      const readiness = readinessOf(last);
      if (readiness.ready) {
        options.emit({ type: 'ready', summary: `${describeRef(ref)} is ${object.kind === 'CustomResourceDefinition' ? 'established' : 'ready'} (${readiness.message})`, object: ref });
        return;
      }
      if (readiness.failed) {
        throw new PluginError('PRECONDITION_FAILED', `${describeRef(ref)} cannot become ready: ${readiness.message}`, {
          probableCause: 'The workload failed.',
          remediation: `Inspect it: kubectl describe ${object.kind.toLowerCase()} ${ref.name}${ref.namespace ? ` -n ${ref.namespace}` : ''}`,
        });
      }
      if (!announced) {
        options.emit({ type: 'waiting', summary: `waiting for ${describeRef(ref)} to be ${object.kind === 'CustomResourceDefinition' ? 'established' : 'ready'} (${readiness.message})`, object: ref });
        announced = true;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw await this.notReady(ref, last, timeoutMs);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), remaining);
      const onAbort = (): void => controller.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await this.client.watch(
          collection,
          { fieldSelector: `metadata.name=${ref.name}`, resourceVersion: last?.metadata?.resourceVersion, timeoutSeconds: Math.max(1, Math.ceil(remaining / 1000)) },
          (type, changed) => {
            if (type === 'DELETED') return true;
            if (type !== 'ADDED' && type !== 'MODIFIED') return false;
            last = changed;
            return readinessOf(changed).ready || Boolean(readinessOf(changed).failed);
          },
          controller.signal,
        );
      } catch (error) {
        // 410 Gone or a dropped stream: read again and watch anew.
        if (!(error instanceof KubeApiError) || (error.status !== 410 && !error.network)) {
          if (!(error instanceof KubeApiError)) throw objectError('Watching', ref, error);
        }
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  private async notReady(ref: ObjectRef, object: any, timeoutMs: number): Promise<PluginError> {
    const conditions = describeConditions(object);
    let events: string[] = [];
    if (ref.namespace) {
      try {
        const list = await this.client.request<{ items?: any[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events`, {
          query: { fieldSelector: `involvedObject.name=${ref.name}` },
        });
        events = (list.items ?? []).slice(-5).map((e) => `${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}`.trim());
      } catch {
        events = [];
      }
    }
    return new PluginError(
      'TIMEOUT',
      `${describeRef(ref)} was not ready within ${Math.round(timeoutMs / 1000)} s: ${readinessOf(object).message}` +
        `${conditions.length ? `; conditions: ${conditions.join(', ')}` : ''}${events.length ? `; recent events: ${events.join(' / ')}` : ''}`,
      {
        probableCause: 'Its pods cannot be scheduled, pulled or started, or the cluster is short of resources.',
        remediation: `Inspect it with kubectl describe ${ref.kind.toLowerCase()} ${ref.name}${ref.namespace ? ` -n ${ref.namespace}` : ''}; the objects are applied, so running the operation again resumes the wait.`,
      },
    );
  }

  private async waitGone(ref: ObjectRef, resource: ServedResource, uid: string | undefined, options: DeleteOptions): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS);
    const path = ApiDiscovery.path(resource, ref.namespace, ref.name);
    let announced = false;
    while (Date.now() < deadline) {
      this.throwIfAborted(options.signal);
      let current: any;
      try {
        current = await this.client.request('GET', path, { signal: options.signal });
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) return;
        throw objectError('Deleting', ref, error);
      }
      if (uid && current?.metadata?.uid !== uid) return; // a new object of the same name
      if (!announced) {
        options.emit({ type: 'waiting', summary: `waiting for ${describeRef(ref)} to be removed`, object: ref });
        announced = true;
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
      try {
        await this.client.watch(
          ApiDiscovery.path(resource, ref.namespace),
          { fieldSelector: `metadata.name=${ref.name}`, resourceVersion: current?.metadata?.resourceVersion },
          (type) => type === 'DELETED',
          controller.signal,
        );
      } catch {
        // Read again below.
      } finally {
        clearTimeout(timer);
      }
    }
    throw new PluginError('TIMEOUT', `${describeRef(ref)} was not removed in time`, {
      probableCause: 'A finalizer keeps it, or its controller is not running.',
      remediation: `Check its finalizers: kubectl get ${ref.kind.toLowerCase()} ${ref.name}${ref.namespace ? ` -n ${ref.namespace}` : ''} -o yaml`,
    });
  }

  private throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new PluginError('CANCELLED', 'The operation was cancelled', { remediation: 'Run it again to continue; applying is idempotent.' });
  }
}
