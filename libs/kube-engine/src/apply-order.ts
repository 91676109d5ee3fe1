import type { KubeObject } from './manifest.js';

/**
 * Apply order: namespaces and CRDs first (CRDs are waited on until Established), then RBAC and
 * service accounts, configuration, storage, services, workloads, other (custom) resources, and
 * admission webhooks last so they never intercept the objects they belong with. Deletion runs in
 * reverse.
 */
const RANKS: Readonly<Record<string, number>> = {
  Namespace: 0,
  CustomResourceDefinition: 0.5,
  PriorityClass: 1,
  ResourceQuota: 1,
  LimitRange: 1,
  PodSecurityPolicy: 1,
  ServiceAccount: 2,
  ClusterRole: 2,
  ClusterRoleBinding: 2,
  Role: 2,
  RoleBinding: 2,
  ConfigMap: 3,
  Secret: 3,
  StorageClass: 4,
  PersistentVolume: 4,
  PersistentVolumeClaim: 4,
  Service: 5,
  Deployment: 6,
  StatefulSet: 6,
  DaemonSet: 6,
  ReplicaSet: 6,
  ReplicationController: 6,
  Job: 6,
  CronJob: 6,
  Pod: 6,
  MutatingWebhookConfiguration: 9,
  ValidatingWebhookConfiguration: 9,
  ValidatingAdmissionPolicy: 9,
  ValidatingAdmissionPolicyBinding: 9,
  APIService: 9,
};
const OTHER = 7;

export function applyRank(kind: string): number {
  return RANKS[kind] ?? OTHER;
}

/** Objects in apply order; the manifest's order is kept within a rank. */
export function inApplyOrder<T extends Pick<KubeObject, 'kind'>>(objects: readonly T[]): T[] {
  return objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => applyRank(a.object.kind) - applyRank(b.object.kind) || a.index - b.index)
    .map(({ object }) => object);
}

/** Objects in deletion order: the reverse of the apply order. */
export function inDeleteOrder<T extends Pick<KubeObject, 'kind'>>(objects: readonly T[]): T[] {
  return inApplyOrder(objects).reverse();
}
