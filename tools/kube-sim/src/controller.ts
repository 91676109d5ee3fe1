/**
 * A small stand-in for kube-controller-manager and friends. It is level-triggered: every change
 * to an object it cares about makes it compute the status that object should have now and write it
 * (through the status subresource, as manager `kube-controller-manager`) when it differs.
 *
 * - Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers: progressing at
 *   once, available `readyDelayMs` after each new generation; an object annotated
 *   `kube-sim.meshery.io/never-ready: "true"` (or matched by `neverReady`) never gets there, and a
 *   Deployment then reports ProgressDeadlineExceeded after spec.progressDeadlineSeconds.
 * - Jobs: active at once, Complete after the delay (Failed with `kube-sim.meshery.io/fail: "true"`).
 * - Bare Pods: Running and Ready after the delay. LoadBalancer Services get an ingress IP.
 * - CRDs: NamesAccepted and Established at once; on deletion their objects are deleted, then the
 *   CRD. Namespaces: on deletion their objects are deleted, then the namespace.
 * - Garbage collection by ownerReferences (Background, Foreground, Orphan).
 * - New namespaces get the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap.
 * - Events for what it does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { asVersion, CRD_FINALIZER, FOREGROUND_FINALIZER, type Api } from './api.js';
import { ApiError } from './errors.js';
import { canonicalJson, clone, deepEqual, isPlainObject, rfc3339, type KubeObject } from './json.js';
import { apiVersionOf, storageKey, type ResourceType } from './resource-type.js';
import type { StoreEvent } from './store.js';

export const NEVER_READY_ANNOTATION = 'kube-sim.meshery.io/never-ready';
export const FAIL_ANNOTATION = 'kube-sim.meshery.io/fail';

export interface ObjectMatcher {
  group?: string;
  resource?: string;
  namespace?: string;
  name?: string;
}

type Obj = Record<string, unknown>;
const CONTROLLER = 'kube-controller-manager';
const WORKLOADS = new Set(['apps/deployments', 'apps/statefulsets', 'apps/daemonsets', 'apps/replicasets', '/replicationcontrollers']);
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function obj(v: unknown): Obj {
  return isPlainObject(v) ? v : {};
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

/** A pod-template-hash-like suffix derived from the template. */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(template ?? {})).digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += SAFE_ALPHABET[digest[i]! % SAFE_ALPHABET.length];
  return out;
}

/** Drops zero/empty fields like Go's omitempty on status structs. */
function omitEmpty(status: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(status)) {
    if (v === 0 || v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string;
}

/** Keeps timestamps of conditions whose status did not change (and lastUpdateTime when nothing changed). */
function mergeConditions(previous: unknown, desired: Condition[], withUpdateTime: boolean): Condition[] {
  const prev = Array.isArray(previous) ? (previous as Condition[]) : [];
  const now = rfc3339();
  return desired.map((c) => {
    const old = prev.find((p) => p.type === c.type);
    const sameStatus = old?.status === c.status;
    const unchanged = sameStatus && old?.reason === c.reason && old?.message === c.message;
    const out: Condition = { type: c.type, status: c.status };
    if (withUpdateTime) out.lastUpdateTime = unchanged && old?.lastUpdateTime ? old.lastUpdateTime : now;
    out.lastTransitionTime = sameStatus && old?.lastTransitionTime ? old.lastTransitionTime : now;
    if (c.lastProbeTime !== undefined) out.lastProbeTime = c.lastProbeTime;
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  });
}

export interface ControllerOptions {
  readyDelayMs: number;
  /** How long namespace/CRD/foreground cleanup waits after deletion starts (default 0). */
  finalizeDelayMs?: number;
}

export class Controller {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** When each object generation becomes ready: key -> { generation, at }. */
  private readonly readyAt = new Map<string, { generation: number; at: number; started: number }>();
  /** When each object was first seen marked for deletion. */
  private readonly deletingSince = new Map<string, number>();
  /** The pod-template hash each Deployment last became available with. */
  private readonly rolledOut = new Map<string, string>();
  private readonly neverReadyMatchers: ObjectMatcher[] = [];
  private closed = false;
  private unsubscribe: () => void = () => {};
  private podIP = 10;
  private lbIP = 200;
  readyDelayMs: number;
  finalizeDelayMs: number;

  constructor(
    private readonly api: Api,
    opts: ControllerOptions,
  ) {
    this.readyDelayMs = opts.readyDelayMs;
    this.finalizeDelayMs = opts.finalizeDelayMs ?? 0;
  }

  start(): void {
    this.unsubscribe = this.api.store.subscribe((e) => this.onEvent(e));
    this.api.hooks = {
      onDeleted: (t, o, propagation) => this.enqueue(`gc|${o.metadata?.uid ?? ''}`, () => this.collect(t, o, propagation)),
    };
    // Objects that exist before start (seeded) are reconciled too.
    for (const ref of this.api.store.all()) this.onEvent({ type: 'ADDED', rv: 0, key: ref.key, namespace: ref.namespace, name: ref.name, object: ref.object });
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  neverReady(matcher: ObjectMatcher): void {
    this.neverReadyMatchers.push(matcher);
  }

  private isNeverReady(t: ResourceType, o: KubeObject): boolean {
    if (o.metadata?.annotations?.[NEVER_READY_ANNOTATION] === 'true') return true;
    return this.neverReadyMatchers.some(
      (m) =>
        (m.group === undefined || m.group === t.group) &&
        (m.resource === undefined || m.resource === t.resource) &&
        (m.namespace === undefined || m.namespace === (o.metadata?.namespace ?? '')) &&
        (m.name === undefined || m.name === o.metadata?.name),
    );
  }

  /**
   * Runs `fn` after `delayMs`, once per key however many times it is requested before it runs
   * (`replace` re-arms a pending timer with the new delay instead of keeping it).
   */
  private enqueue(key: string, fn: () => void, delayMs = 0, replace = false): void {
    if (this.closed) return;
    const existing = this.timers.get(key);
    if (existing) {
      if (!replace) return;
      clearTimeout(existing);
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (this.closed) return;
      try {
        fn();
      } catch (e) {
        // A conflicting concurrent write or a vanished object: the next event reconciles again.
        if (!(e instanceof ApiError)) throw e;
      }
    }, delayMs);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  private typeOf(key: string): ResourceType | undefined {
    const [group, resource] = key.split('/', 2) as [string, string];
    return this.api.registry.storageTypeOf(group, resource);
  }

  private onEvent(e: StoreEvent): void {
    if (this.closed) return;
    const t = this.typeOf(e.key);
    if (!t) return;
    const ref = `${e.key}|${e.namespace}|${e.name}`;
    if (e.type === 'DELETED') {
      this.readyAt.delete(ref);
      this.rolledOut.delete(ref);
      this.deletingSince.delete(ref);
      return;
    }
    if (WORKLOADS.has(e.key) || e.key === 'batch/jobs' || e.key === '/pods' || e.key === '/services') {
      this.enqueue(`reconcile|${ref}`, () => this.reconcile(t, e.namespace, e.name, ref));
    } else if (e.key === 'apiextensions.k8s.io/customresourcedefinitions') {
      this.enqueue(`crd|${ref}`, () => this.establishCrd(t, e.name));
    } else if (e.key === '/namespaces' && e.type === 'ADDED') {
      this.enqueue(`ns|${ref}`, () => this.populateNamespace(e.name));
    }
    if (e.object.metadata?.deletionTimestamp) {
      if (!this.deletingSince.has(ref)) this.deletingSince.set(ref, Date.now());
      const delay = Math.max(0, this.deletingSince.get(ref)! + this.finalizeDelayMs - Date.now());
      this.enqueue(`finalize|${ref}`, () => this.finalize(t, asVersion(e.object, t)), delay);
    }
  }

  // ------------------------------------------------------------ writes

  private writeStatus(t: ResourceType, o: KubeObject, status: Obj): void {
    if (deepEqual(o['status'], status)) return;
    const next = clone(o);
    next['status'] = status;
    this.api.commitUpdate(t, o, next, { fieldManager: CONTROLLER }, { subresource: t.status ? 'status' : undefined });
  }

  recordEvent(t: ResourceType, o: KubeObject, reason: string, message: string, component: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    const events = this.api.registry.find('', 'v1', 'events');
    const ns = o.metadata?.namespace || 'default';
    if (!events || !this.api.store.get('/namespaces', '', ns)) return;
    const now = rfc3339();
    const hex = (BigInt(Date.now()) * 1000000n + BigInt(randomBytes(2).readUInt16BE())).toString(16).padStart(16, '0');
    try {
      this.api.create(
        events,
        ns,
        {
          metadata: { name: `${o.metadata?.name ?? 'object'}.${hex}`, namespace: ns },
          involvedObject: {
            kind: t.kind,
            namespace: o.metadata?.namespace,
            name: o.metadata?.name,
            uid: o.metadata?.uid,
            apiVersion: apiVersionOf(t),
            resourceVersion: o.metadata?.resourceVersion,
          },
          reason,
          message,
          source: { component },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          type,
          eventTime: null,
          reportingComponent: component,
          reportingInstance: '',
        },
        { fieldManager: component },
      );
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  // ------------------------------------------------------------ readiness

  /** When the current generation of an object becomes ready (scheduling a wake-up if it is not yet). */
  private readiness(ref: string, generation: number, reconcile: () => void): { ready: boolean; started: number } {
    let entry = this.readyAt.get(ref);
    if (!entry || entry.generation !== generation) {
      const now = Date.now();
      entry = { generation, at: now + this.readyDelayMs, started: now };
      this.readyAt.set(ref, entry);
    }
    const wait = entry.at - Date.now();
    if (wait > 0) this.enqueue(`wake|${ref}`, reconcile, wait, true);
    return { ready: wait <= 0, started: entry.started };
  }

  private reconcile(t: ResourceType, namespace: string, name: string, ref: string): void {
    const stored = this.api.store.get(storageKey(t), namespace, name);
    if (!stored || stored.metadata?.deletionTimestamp) return;
    const o = asVersion(stored, t);
    const again = (): void => this.reconcile(t, namespace, name, ref);
    switch (storageKey(t)) {
      case 'apps/deployments':
        return this.reconcileDeployment(t, o, ref, again);
      case 'apps/statefulsets':
        return this.reconcileStatefulSet(t, o, ref, again);
      case 'apps/daemonsets':
        return this.reconcileDaemonSet(t, o, ref, again);
      case 'apps/replicasets':
      case '/replicationcontrollers':
        return this.reconcileReplicaSet(t, o, ref, again);
      case 'batch/jobs':
        return this.reconcileJob(t, o, ref, again);
      case '/pods':
        return this.reconcilePod(t, o, ref, again);
      case '/services':
        return this.reconcileService(t, o, ref, again);
    }
  }

  private reconcileDeployment(t: ResourceType, o: KubeObject, ref: string, again: () => void): void {
    const spec = obj(o['spec']);
    const prev = obj(o['status']);
    const generation = o.metadata?.generation ?? 1;
    const desired = num(spec['replicas'], 1);
    const hash = templateHash(spec['template']);
    const rsName = `${o.metadata?.name}-${hash}`;
    const never = this.isNeverReady(t, o);
    const { ready, started } = this.readiness(ref, generation, again);
    const firstRollout = prev['observedGeneration'] === undefined;
    // A change that keeps the pod template (scaling) does not start a new ReplicaSet.
    const sameTemplate = this.rolledOut.get(ref) === hash;
    if (prev['observedGeneration'] !== generation) {
      this.recordEvent(t, o, 'ScalingReplicaSet', `Scaled up replica set ${rsName} to ${desired}`, 'deployment-controller');
    }
    let status: Obj;
    if (ready && !never) {
      this.rolledOut.set(ref, hash);
      status = omitEmpty({
        observedGeneration: generation,
        replicas: desired,
        updatedReplicas: desired,
        readyReplicas: desired,
        availableReplicas: desired,
      });
      status['conditions'] = mergeConditions(
        prev['conditions'],
        [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` },
        ],
        true,
      );
    } else {
      const wasAvailable = !firstRollout && num(prev['availableReplicas'], 0) > 0;
      const available = wasAvailable ? Math.min(desired, num(prev['availableReplicas'], 0)) : 0;
      const deadline = num(spec['progressDeadlineSeconds'], 600) * 1000;
      const timedOut = never && Date.now() - started >= deadline;
      if (never && !timedOut) this.enqueue(`deadline|${ref}`, again, started + deadline - Date.now());
      status = omitEmpty({
        observedGeneration: generation,
        replicas: desired,
        updatedReplicas: firstRollout || sameTemplate ? desired : 0,
        readyReplicas: available,
        availableReplicas: available,
        unavailableReplicas: desired - available,
      });
      status['conditions'] = mergeConditions(
        prev['conditions'],
        [
          available >= desired && desired > 0
            ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
            : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
          timedOut
            ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` }
            : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` },
        ],
        true,
      );
    }
    this.writeStatus(t, o, status);
  }

  private reconcileStatefulSet(t: ResourceType, o: KubeObject, ref: string, again: () => void): void {
    const spec = obj(o['spec']);
    const prev = obj(o['status']);
    const generation = o.metadata?.generation ?? 1;
    const desired = num(spec['replicas'], 1);
    const revision = `${o.metadata?.name}-${templateHash(spec['template'])}`;
    const { ready } = this.readiness(ref, generation, again);
    const ok = ready && !this.isNeverReady(t, o);
    const status = omitEmpty({
      observedGeneration: generation,
      replicas: desired,
      readyReplicas: ok ? desired : 0,
      currentReplicas: ok ? desired : num(prev['currentReplicas'], 0),
      updatedReplicas: ok ? desired : 0,
      availableReplicas: ok ? desired : 0,
      currentRevision: ok ? revision : (prev['currentRevision'] ?? revision),
      updateRevision: revision,
    });
    status['collisionCount'] = 0;
    if (prev['observedGeneration'] !== generation && desired > 0) {
      this.recordEvent(t, o, 'SuccessfulCreate', `create Pod ${o.metadata?.name}-0 in StatefulSet ${o.metadata?.name} successful`, 'statefulset-controller');
    }
    this.writeStatus(t, o, status);
  }

  private nodeCount(): number {
    return Math.max(1, this.api.store.list('/nodes').length);
  }

  private reconcileDaemonSet(t: ResourceType, o: KubeObject, ref: string, again: () => void): void {
    const generation = o.metadata?.generation ?? 1;
    const n = this.nodeCount();
    const { ready } = this.readiness(ref, generation, again);
    const ok = ready && !this.isNeverReady(t, o);
    const status = omitEmpty({
      currentNumberScheduled: n,
      desiredNumberScheduled: n,
      numberReady: ok ? n : 0,
      observedGeneration: generation,
      updatedNumberScheduled: ok ? n : 0,
      numberAvailable: ok ? n : 0,
      numberUnavailable: ok ? 0 : n,
    });
    status['numberMisscheduled'] = 0;
    this.writeStatus(t, o, status);
  }

  private reconcileReplicaSet(t: ResourceType, o: KubeObject, ref: string, again: () => void): void {
    const generation = o.metadata?.generation ?? 1;
    const desired = num(obj(o['spec'])['replicas'], 1);
    const { ready } = this.readiness(ref, generation, again);
    const ok = ready && !this.isNeverReady(t, o);
    this.writeStatus(
      t,
      o,
      omitEmpty({
        replicas: desired,
        fullyLabeledReplicas: desired,
        readyReplicas: ok ? desired : 0,
        availableReplicas: ok ? desired : 0,
        observedGeneration: generation,
      }),
    );
  }

  private reconcileJob(t: ResourceType, o: KubeObject, ref: string, again: () => void): void {
    const spec = obj(o['spec']);
    const prev = obj(o['status']);
    if (Array.isArray(prev['conditions']) && prev['conditions'].some((c) => ['Complete', 'Failed'].includes(String(obj(c)['type'])) && obj(c)['status'] === 'True')) return;
    if (spec['suspend'] === true) return;
    const now = rfc3339();
    const startTime = typeof prev['startTime'] === 'string' ? prev['startTime'] : now;
    const { ready } = this.readiness(ref, o.metadata?.generation ?? 1, again);
    const fail = o.metadata?.annotations?.[FAIL_ANNOTATION] === 'true';
    if (prev['startTime'] === undefined) {
      this.recordEvent(t, o, 'SuccessfulCreate', `Created pod: ${o.metadata?.name}-${templateHash(o.metadata?.uid).slice(0, 5)}`, 'job-controller');
    }
    let status: Obj;
    if (ready && fail) {
      status = {
        conditions: [
          { type: 'Failed', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
        ],
        startTime,
        failed: num(spec['backoffLimit'], 6) + 1,
        ready: 0,
        uncountedTerminatedPods: {},
      };
      this.recordEvent(t, o, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'job-controller', 'Warning');
    } else if (ready && !this.isNeverReady(t, o)) {
      status = {
        conditions: [{ type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now }],
        startTime,
        completionTime: now,
        succeeded: num(spec['completions'], 1),
        ready: 0,
        uncountedTerminatedPods: {},
      };
      this.recordEvent(t, o, 'Completed', 'Job completed', 'job-controller');
    } else {
      status = { startTime, active: num(spec['parallelism'], 1), ready: 0, uncountedTerminatedPods: {} };
      if (deepEqual(omitEmpty(prev), omitEmpty(status))) return;
    }
    this.writeStatus(t, o, status);
  }

  private reconcilePod(t: ResourceType, o: KubeObject, ref: string, again: () => void): void {
    const prev = obj(o['status']);
    const { ready } = this.readiness(ref, 1, again);
    if (!ready || this.isNeverReady(t, o) || prev['phase'] === 'Running' || prev['phase'] === 'Succeeded' || prev['phase'] === 'Failed') return;
    let pod = o;
    const nodeName = this.api.store.list('/nodes')[0]?.metadata?.name;
    if (!obj(o['spec'])['nodeName'] && nodeName) {
      // What the scheduler's binding does.
      const bound = clone(o);
      bound['spec'] = { ...obj(o['spec']), nodeName };
      const stored = this.api.store.get(storageKey(t), o.metadata?.namespace ?? '', o.metadata?.name ?? '');
      if (!stored) return;
      pod = this.api.commitUpdate(t, stored, bound, { fieldManager: 'kube-scheduler' }, {}).object;
      this.recordEvent(t, pod, 'Scheduled', `Successfully assigned ${o.metadata?.namespace}/${o.metadata?.name} to ${nodeName}`, 'default-scheduler');
    }
    const now = rfc3339();
    const containers = (Array.isArray(obj(pod['spec'])['containers']) ? (obj(pod['spec'])['containers'] as unknown[]) : []).map(obj);
    const ip = `10.244.0.${(this.podIP++ % 250) + 2}`;
    const conditions = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now }));
    for (const c of containers) {
      this.recordEvent(t, pod, 'Pulled', `Container image "${String(c['image'])}" already present on machine`, 'kubelet');
      this.recordEvent(t, pod, 'Created', `Created container ${String(c['name'])}`, 'kubelet');
      this.recordEvent(t, pod, 'Started', `Started container ${String(c['name'])}`, 'kubelet');
    }
    this.writeStatus(t, pod, {
      phase: 'Running',
      conditions,
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      containerStatuses: containers.map((c) => ({
        name: c['name'],
        state: { running: { startedAt: now } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: c['image'],
        imageID: `docker.io/library/${String(c['image'])}@sha256:${createHash('sha256').update(String(c['image'])).digest('hex')}`,
        containerID: `containerd://${createHash('sha256').update(`${o.metadata?.uid}/${String(c['name'])}`).digest('hex')}`,
        started: true,
      })),
      qosClass: prev['qosClass'] ?? 'BestEffort',
    });
  }

  private reconcileService(t: ResourceType, o: KubeObject, ref: string, again: () => void): void {
    if (obj(o['spec'])['type'] !== 'LoadBalancer') return;
    const ingress = obj(obj(o['status'])['loadBalancer'])['ingress'];
    if (Array.isArray(ingress) && ingress.length > 0) return;
    const { ready } = this.readiness(ref, 1, again);
    if (!ready || this.isNeverReady(t, o)) return;
    this.writeStatus(t, o, { loadBalancer: { ingress: [{ ip: `172.18.255.${this.lbIP++ % 250}`, ipMode: 'VIP' }] } });
  }

  private establishCrd(t: ResourceType, name: string): void {
    const stored = this.api.store.get(storageKey(t), '', name);
    if (!stored || stored.metadata?.deletionTimestamp) return;
    const o = asVersion(stored, t);
    const spec = obj(o['spec']);
    const names = obj(spec['names']);
    const prev = obj(o['status']);
    const versions = Array.isArray(spec['versions']) ? spec['versions'].map(obj) : [];
    const storage = versions.find((v) => v['storage'] === true)?.['name'];
    const stored0 = Array.isArray(prev['storedVersions']) ? (prev['storedVersions'] as string[]) : [];
    const status: Obj = {
      conditions: mergeConditions(
        prev['conditions'],
        [
          { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
          { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
        ],
        false,
      ),
      acceptedNames: omitEmpty({
        plural: names['plural'],
        singular: names['singular'],
        shortNames: names['shortNames'],
        kind: names['kind'],
        listKind: names['listKind'],
        categories: names['categories'],
      }),
      storedVersions: storage && !stored0.includes(String(storage)) ? [...stored0, String(storage)] : stored0,
    };
    this.writeStatus(t, o, status);
  }

  private populateNamespace(name: string): void {
    const ns = this.api.store.get('/namespaces', '', name);
    if (!ns || ns.metadata?.deletionTimestamp) return;
    const sa = this.api.registry.find('', 'v1', 'serviceaccounts');
    const cm = this.api.registry.find('', 'v1', 'configmaps');
    if (sa && !this.api.store.get('/serviceaccounts', name, 'default')) {
      this.api.create(sa, name, { metadata: { name: 'default' } }, { fieldManager: CONTROLLER });
    }
    if (cm && !this.api.store.get('/configmaps', name, 'kube-root-ca.crt')) {
      this.api.create(
        cm,
        name,
        { metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': this.caCert } },
        { fieldManager: CONTROLLER },
      );
    }
  }

  caCert = '';

  // ------------------------------------------------------------ deletion

  private dependentsOf(uid: string): { t: ResourceType; o: KubeObject }[] {
    const out: { t: ResourceType; o: KubeObject }[] = [];
    for (const ref of this.api.store.all()) {
      const owners = ref.object.metadata?.ownerReferences ?? [];
      if (!owners.some((r) => r.uid === uid)) continue;
      const t = this.typeOf(ref.key);
      if (t) out.push({ t, o: asVersion(ref.object, t) });
    }
    return out;
  }

  private deleteQuietly(t: ResourceType, o: KubeObject, propagation: 'Background' | 'Foreground' | 'Orphan' = 'Background'): void {
    try {
      this.api.delete(t, o.metadata?.namespace, o.metadata?.name ?? '', { propagationPolicy: propagation }, false);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
  }

  private removeFinalizer(t: ResourceType, namespace: string, name: string, finalizer: string): void {
    const stored = this.api.store.get(storageKey(t), namespace, name);
    if (!stored) return;
    const o = asVersion(stored, t);
    const next = clone(o);
    next.metadata!.finalizers = (o.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    if (next.metadata!.finalizers.length === 0) delete next.metadata!.finalizers;
    this.api.commitUpdate(t, stored, next, { fieldManager: CONTROLLER }, {});
  }

  /** Namespace, CRD and foreground cleanup for an object marked for deletion. */
  private finalize(t: ResourceType, o: KubeObject): void {
    const namespace = o.metadata?.namespace ?? '';
    const name = o.metadata?.name ?? '';
    const key = storageKey(t);
    const retry = (): void => this.enqueue(`finalize|${key}|${namespace}|${name}`, () => this.finalize(t, o), 50);
    const current = this.api.store.get(key, namespace, name);
    if (!current?.metadata?.deletionTimestamp) return;
    const finalizers = current.metadata.finalizers ?? [];

    if (key === '/namespaces') {
      const keys = new Set(this.api.registry.all().filter((r) => r.namespaced).map((r) => storageKey(r)));
      for (const k of this.api.store.keys()) if (k !== '/namespaces') keys.add(k);
      for (const k of keys) {
        const rt = this.typeOf(k);
        for (const item of this.api.store.list(k, name)) {
          if (!rt) this.api.store.delete(k, name, item.metadata?.name ?? '');
          else if (!item.metadata?.deletionTimestamp) this.deleteQuietly(rt, asVersion(item, rt));
        }
      }
      if ([...keys].some((k) => this.api.store.list(k, name).length > 0)) return retry();
      // Content is gone: the "kubernetes" finalizer is satisfied.
      if (finalizers.length === 0) this.api.store.delete(key, '', name);
      else {
        const next = clone(asVersion(current, t));
        next['spec'] = { ...obj(current['spec']), finalizers: [] };
        this.api.store.update(key, next);
      }
      return;
    }

    if (key === 'apiextensions.k8s.io/customresourcedefinitions' && finalizers.includes(CRD_FINALIZER)) {
      const spec = obj(current['spec']);
      const crKey = `${String(spec['group'])}/${String(obj(spec['names'])['plural'])}`;
      const crType = this.typeOf(crKey);
      const items = this.api.store.list(crKey);
      for (const item of items) {
        if (item.metadata?.deletionTimestamp) continue;
        if (crType) this.deleteQuietly(crType, asVersion(item, crType));
        else this.api.store.delete(crKey, item.metadata?.namespace ?? '', item.metadata?.name ?? '');
      }
      if (this.api.store.list(crKey).length > 0) return retry();
      this.removeFinalizer(t, '', name, CRD_FINALIZER);
      return;
    }

    if (finalizers.includes(FOREGROUND_FINALIZER)) {
      const uid = current.metadata.uid ?? '';
      const dependents = this.dependentsOf(uid);
      for (const d of dependents) if (!d.o.metadata?.deletionTimestamp) this.deleteQuietly(d.t, d.o, 'Foreground');
      if (this.dependentsOf(uid).length > 0) return retry();
      this.removeFinalizer(t, namespace, name, FOREGROUND_FINALIZER);
    }
  }

  /** Garbage collection after an owner is gone (Background) or is being deleted with Orphan. */
  private collect(_t: ResourceType, owner: KubeObject, propagation: 'Orphan' | 'Background' | 'Foreground'): void {
    const uid = owner.metadata?.uid;
    if (!uid) return;
    for (const d of this.dependentsOf(uid)) {
      if (propagation === 'Orphan') {
        const stored = this.api.store.get(storageKey(d.t), d.o.metadata?.namespace ?? '', d.o.metadata?.name ?? '');
        if (!stored) continue;
        const next = clone(d.o);
        next.metadata!.ownerReferences = (d.o.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (next.metadata!.ownerReferences.length === 0) delete next.metadata!.ownerReferences;
        this.api.commitUpdate(d.t, stored, next, { fieldManager: 'generic-garbage-collector' }, {});
      } else if (!d.o.metadata?.deletionTimestamp) {
        // Only delete when no other owner is left.
        const others = (d.o.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid && this.ownerExists(r.uid));
        if (others.length === 0) this.deleteQuietly(d.t, d.o, 'Background');
      }
    }
  }

  private ownerExists(uid: string): boolean {
    return this.api.store.all().some((r) => r.object.metadata?.uid === uid);
  }
}
