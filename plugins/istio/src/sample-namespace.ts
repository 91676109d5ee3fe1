import type { KubernetesService } from '@meshery/plugin-api';

/**
 * What keeps a namespace the plugin created for sample apps from being deleted with the last of
 * them: anything of a kind that matters that is not there on its own in every namespace (the
 * `default` ServiceAccount, `kube-root-ca.crt`, istiod's `istio-ca-root-cert`, service-account
 * token Secrets) and not on its way out (being deleted, or owned by a controller that is listed
 * itself or is being garbage-collected). Another mesh's sample app or a user's workload keeps it.
 */

type Plain = Record<string, unknown>;

interface Metadata {
  readonly name?: string;
  readonly deletionTimestamp?: string;
  readonly ownerReferences?: readonly { readonly kind?: string; readonly controller?: boolean }[];
}

const metadataOf = (object: Plain): Metadata => (object['metadata'] ?? {}) as Metadata;
const controllerKind = (object: Plain): string | undefined => metadataOf(object).ownerReferences?.find((owner) => owner.controller)?.kind;

/** The ConfigMaps Kubernetes and istiod write into every namespace. */
const AUTOMATIC_CONFIGMAPS = new Set(['kube-root-ca.crt', 'istio-ca-root-cert']);
/** Controllers whose Pods are accounted for by listing the controllers themselves. */
const LISTED_POD_CONTROLLERS = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

/** The namespaced kinds looked for, and which of their objects count. */
export const NAMESPACE_CONTENT_KINDS: readonly { readonly apiVersion: string; readonly kind: string; readonly counts?: (object: Plain) => boolean }[] = Object.freeze([
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  // A Deployment's ReplicaSets are accounted for by the Deployment (or are being garbage-collected with it).
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', counts: (o: Plain) => controllerKind(o) !== 'Deployment' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'batch/v1', kind: 'Job', counts: (o: Plain) => controllerKind(o) !== 'CronJob' },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    counts: (o: Plain) => {
      const owner = controllerKind(o);
      return owner === undefined || !LISTED_POD_CONTROLLERS.has(owner);
    },
  },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap', counts: (o: Plain) => !AUTOMATIC_CONFIGMAPS.has(metadataOf(o).name ?? '') },
  { apiVersion: 'v1', kind: 'Secret', counts: (o: Plain) => o['type'] !== 'kubernetes.io/service-account-token' },
  { apiVersion: 'v1', kind: 'ServiceAccount', counts: (o: Plain) => metadataOf(o).name !== 'default' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  // Istio configuration users add next to the samples (e.g. bookinfo-gateway.yaml); not served without Istio.
  { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway' },
  { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService' },
  { apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule' },
  { apiVersion: 'security.istio.io/v1beta1', kind: 'AuthorizationPolicy' },
]);

/** What the namespace holds that is not Meshery's sample apps, as `<Kind> <name>`, sorted by kind as listed. */
export async function namespaceContents(kube: KubernetesService, contextId: string, namespace: string): Promise<string[]> {
  const lists = await Promise.all(NAMESPACE_CONTENT_KINDS.map(({ apiVersion, kind }) => kube.list(contextId, { apiVersion, kind, namespace })));
  return NAMESPACE_CONTENT_KINDS.flatMap(({ kind, counts }, i) =>
    (lists[i] as Plain[])
      .filter((object) => !metadataOf(object).deletionTimestamp && (counts ? counts(object) : true))
      .map((object) => `${kind} ${metadataOf(object).name ?? '?'}`),
  );
}
