import type { KubernetesObjectRef, KubernetesService } from '@meshery/plugin-api';

type Obj = Readonly<Record<string, any>>;

/**
 * The namespaced kinds looked at before deleting a namespace the plugin created: what a user or
 * another tool would have put there. `ownedSkipped`: objects of the kind that a controller owns
 * (pods of a ReplicaSet, ReplicaSets of a Deployment, Jobs of a CronJob) are represented by their
 * owner, which is looked at itself — and those of a workload just deleted are still being
 * garbage-collected.
 */
const KINDS: readonly { apiVersion: string; kind: string; ownedSkipped?: boolean; ignore?: (o: Obj) => boolean }[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', ownedSkipped: true },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'batch/v1', kind: 'Job', ownedSkipped: true },
  { apiVersion: 'v1', kind: 'Pod', ownedSkipped: true },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  // Every namespace gets the cluster's CA bundle and a default service account.
  { apiVersion: 'v1', kind: 'ConfigMap', ignore: (o) => o['metadata']?.name === 'kube-root-ca.crt' },
  { apiVersion: 'v1', kind: 'Secret', ignore: (o) => o['type'] === 'kubernetes.io/service-account-token' },
  { apiVersion: 'v1', kind: 'ServiceAccount', ignore: (o) => o['metadata']?.name === 'default' },
];

const refKey = (r: Pick<KubernetesObjectRef, 'kind' | 'name'>) => `${r.kind}/${r.name}`;

/**
 * What a namespace holds besides `ours` (the objects of Meshery's inventories there) and what
 * Kubernetes puts in every namespace: e.g. `Deployment/my-app`, or `Secrets (cannot list: …)` when
 * a kind cannot be listed (then nothing can be said to be absent). Objects being deleted are left out.
 */
export async function otherObjectsIn(
  kube: KubernetesService,
  contextId: string,
  namespace: string,
  ours: readonly KubernetesObjectRef[],
): Promise<string[]> {
  const known = new Set(ours.filter((r) => r.namespace === namespace || r.namespace === undefined).map(refKey));
  const found: string[] = [];
  for (const { apiVersion, kind, ownedSkipped, ignore } of KINDS) {
    let objects: readonly Obj[];
    try {
      objects = (await kube.list(contextId, { apiVersion, kind, namespace })) as readonly Obj[];
    } catch (error) {
      found.push(`${kind}s (cannot list: ${(error as Error).message})`);
      continue;
    }
    for (const object of objects) {
      const name = String(object['metadata']?.name);
      if (object['metadata']?.deletionTimestamp) continue;
      if (ownedSkipped && (object['metadata']?.ownerReferences ?? []).some((o: Obj) => o['controller'] === true)) continue;
      if (ignore?.(object) || known.has(refKey({ kind, name }))) continue;
      found.push(`${kind}/${name}`);
    }
  }
  return found;
}
