import type { KubernetesService, MeshHealthCheck } from '@meshery/plugin-api';
import { inspectIssuer, parseCertificates } from './linkerd-certificates.js';
import { MANAGED_BY_LABEL } from './linkerd-records.js';

type Obj = Readonly<Record<string, any>>;

/** The control-plane workloads `linkerd check` looks at. */
export const CONTROL_PLANE_DEPLOYMENTS = ['linkerd-identity', 'linkerd-destination', 'linkerd-proxy-injector'] as const;
/** The CRDs every supported release installs (`linkerd install --crds`). */
export const CORE_CRDS = [
  'authorizationpolicies.policy.linkerd.io',
  'httproutes.policy.linkerd.io',
  'meshtlsauthentications.policy.linkerd.io',
  'networkauthentications.policy.linkerd.io',
  'serverauthorizations.policy.linkerd.io',
  'servers.policy.linkerd.io',
  'serviceprofiles.linkerd.io',
] as const;
export const TRUST_ROOTS_CONFIGMAP = 'linkerd-identity-trust-roots';
export const ISSUER_SECRET = 'linkerd-identity-issuer';
export const INJECTOR_WEBHOOK = 'linkerd-proxy-injector-webhook-config';
/** An issuer certificate expiring sooner than this is reported unhealthy. */
export const ISSUER_WARNING_DAYS = 60;

/** A Linkerd control plane found in the cluster, whoever installed it. */
export interface DetectedControlPlane {
  readonly namespace: string;
  /** Read from the control plane's labels, `linkerd.io/created-by` annotation or image tag. */
  readonly version?: string;
  /** Whether the control plane carries the host's `app.kubernetes.io/managed-by=meshery` label. */
  readonly labelledByMeshery: boolean;
  /** What it was recognised by, for messages. */
  readonly evidence: string;
}

/** The release a control-plane object belongs to. */
export function versionOf(object: Obj | undefined): string | undefined {
  if (!object) return undefined;
  const labelled = object['metadata']?.labels?.['app.kubernetes.io/version'];
  if (typeof labelled === 'string' && labelled) return labelled;
  const createdBy = object['metadata']?.annotations?.['linkerd.io/created-by'];
  if (typeof createdBy === 'string' && createdBy.trim().includes(' ')) return createdBy.trim().split(/\s+/).pop();
  const containers: Obj[] = object['spec']?.template?.spec?.containers ?? [];
  for (const container of containers) {
    const image = typeof container['image'] === 'string' ? (container['image'] as string) : '';
    const match = /\/(controller|policy-controller):([^@]+)/.exec(image);
    if (match) return match[2];
  }
  return undefined;
}

const managed = (object: Obj | undefined | null) => object?.['metadata']?.labels?.[MANAGED_BY_LABEL] === 'meshery';

/**
 * Finds Linkerd's control plane: Deployments labelled `linkerd.io/control-plane-component` (the
 * identity controller first), then a namespace labelled `linkerd.io/is-control-plane=true`.
 */
export async function detectControlPlane(kube: KubernetesService, contextId: string): Promise<DetectedControlPlane | undefined> {
  const workloads: readonly Obj[] = await kube.list(contextId, { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: 'linkerd.io/control-plane-component' });
  const rank = (d: Obj) => ['identity', 'destination', 'proxy-injector'].indexOf(d['metadata']?.labels?.['linkerd.io/control-plane-component']);
  const sorted = [...workloads].sort((a, b) => (rank(a) < 0 ? 9 : rank(a)) - (rank(b) < 0 ? 9 : rank(b)));
  const main = sorted[0];
  if (main) {
    const namespace = String(main['metadata']?.namespace ?? '');
    const ns: Obj | null = await kube.get(contextId, { apiVersion: 'v1', kind: 'Namespace', name: namespace });
    const version = versionOf(main) ?? versionOf(ns ?? undefined);
    return {
      namespace,
      ...(version ? { version } : {}),
      labelledByMeshery: managed(main) || managed(ns),
      evidence: `Deployment ${namespace}/${String(main['metadata']?.name)}`,
    };
  }
  const namespaces: readonly Obj[] = await kube.list(contextId, { apiVersion: 'v1', kind: 'Namespace', labelSelector: 'linkerd.io/is-control-plane=true' });
  const ns = namespaces[0];
  if (!ns) return undefined;
  const version = versionOf(ns);
  return {
    namespace: String(ns['metadata']?.name),
    ...(version ? { version } : {}),
    labelledByMeshery: managed(ns),
    evidence: `Namespace ${String(ns['metadata']?.name)} labelled linkerd.io/is-control-plane=true`,
  };
}

/**
 * The names of the CRDs Linkerd's releases install (`linkerd install --crds`, the linkerd-crds
 * chart): the core ones of every supported release and those of later releases
 * (external workloads in 2.15, egress networks and rate limits in 2.17, and newer).
 */
export const KNOWN_LINKERD_CRDS = [
  ...CORE_CRDS,
  'externalworkloads.workload.linkerd.io',
  'egressnetworks.policy.linkerd.io',
  'httplocalratelimitpolicies.policy.linkerd.io',
  'httploadbalancers.policy.linkerd.io',
  'unmeshednetworks.policy.linkerd.io',
] as const;

/**
 * The CRDs of these names present in the cluster, read one by one: never a list of every CRD in
 * the cluster (with their schemas, tens of MB on clusters with many operators).
 */
export async function crdsNamed(kube: KubernetesService, contextId: string, names: readonly string[]): Promise<Obj[]> {
  const found: Obj[] = [];
  for (const name of [...new Set(names)]) {
    const crd = await kube.get(contextId, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
    if (crd) found.push(crd as Obj);
  }
  return found;
}

/** Linkerd's known CRDs ({@link KNOWN_LINKERD_CRDS}) present in the cluster. */
export async function linkerdCrds(kube: KubernetesService, contextId: string): Promise<readonly Obj[]> {
  return crdsNamed(kube, contextId, KNOWN_LINKERD_CRDS);
}

function decode(value: unknown): string | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

/**
 * Health checks in the manner of `linkerd check`, each unhealthy one with a remediation. The CRDs
 * are read by name: `installedCrds` (those of Meshery's installation, from its inventory), all of
 * which must be there; for an installation made by someone else Linkerd's known ones, of which the
 * core ones must be there.
 */
export async function checkControlPlane(
  kube: KubernetesService,
  contextId: string,
  detected: DetectedControlPlane,
  now: Date,
  expectedVersion?: string,
  installedCrds?: readonly string[],
): Promise<MeshHealthCheck[]> {
  const ns = detected.namespace;
  const checks: MeshHealthCheck[] = [];

  const required: readonly string[] = installedCrds ?? CORE_CRDS;
  const crds = await crdsNamed(kube, contextId, installedCrds ?? KNOWN_LINKERD_CRDS);
  const names = new Set(crds.map((crd) => String(crd['metadata']?.name)));
  const missing = required.filter((name) => !names.has(name));
  const notEstablished = crds
    .filter((crd) => !(crd['status']?.conditions ?? []).some((c: Obj) => c['type'] === 'Established' && c['status'] === 'True'))
    .map((crd) => String(crd['metadata']?.name));
  checks.push(
    missing.length === 0 && notEstablished.length === 0
      ? { component: 'CRDs', healthy: true, message: `${crds.length} Linkerd CRDs installed and established` }
      : {
          component: 'CRDs',
          healthy: false,
          message: [missing.length ? `missing: ${missing.join(', ')}` : '', notEstablished.length ? `not established: ${notEstablished.join(', ')}` : ''].filter(Boolean).join('; '),
          remediation: 'Look closer with: kubectl get crd -o wide | grep linkerd.io; install the CRDs again (install converges).',
        },
  );

  const versions = new Map<string, string | undefined>();
  for (const name of CONTROL_PLANE_DEPLOYMENTS) {
    const deployment = await kube.get(contextId, { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ns });
    if (!deployment) {
      checks.push({ component: name, healthy: false, message: `Deployment ${ns}/${name} not found`, remediation: `kubectl -n ${ns} get deployments; install Linkerd again to restore it.` });
      continue;
    }
    versions.set(name, versionOf(deployment));
    const wanted = Number((deployment as Obj)['spec']?.replicas ?? 1);
    const available = Number((deployment as Obj)['status']?.availableReplicas ?? 0);
    const healthy = wanted > 0 && available >= wanted;
    checks.push({
      component: name,
      healthy,
      message: `${available}/${wanted} replicas available`,
      ...(healthy ? {} : { remediation: `kubectl -n ${ns} describe deployment ${name}; kubectl -n ${ns} get pods -l linkerd.io/control-plane-component=${name.replace(/^linkerd-/, '')}` }),
    });
  }

  const roots = await kube.get(contextId, { apiVersion: 'v1', kind: 'ConfigMap', name: TRUST_ROOTS_CONFIGMAP, namespace: ns });
  const anchorsPEM = typeof (roots as Obj | null)?.['data']?.['ca-bundle.crt'] === 'string' ? String((roots as Obj)['data']['ca-bundle.crt']) : '';
  let anchorCheck: MeshHealthCheck;
  try {
    const anchors = parseCertificates(anchorsPEM);
    const valid = anchors.filter((a) => a.notBefore <= now && now < a.notAfter);
    anchorCheck =
      !roots
        ? { component: 'trust anchors', healthy: false, message: `ConfigMap ${ns}/${TRUST_ROOTS_CONFIGMAP} not found`, remediation: `kubectl -n ${ns} get configmap ${TRUST_ROOTS_CONFIGMAP}; install Linkerd again to restore it.` }
        : valid.length > 0
          ? { component: 'trust anchors', healthy: true, message: `${valid.length} valid trust anchor(s) in ${TRUST_ROOTS_CONFIGMAP}, until ${valid.map((a) => a.notAfter.toISOString()).join(', ')}` }
          : { component: 'trust anchors', healthy: false, message: anchors.length ? 'every trust anchor has expired or is not yet valid' : `${TRUST_ROOTS_CONFIGMAP} holds no PEM certificate in ca-bundle.crt`, remediation: `kubectl -n ${ns} get configmap ${TRUST_ROOTS_CONFIGMAP} -o jsonpath='{.data.ca-bundle\\.crt}' | openssl x509 -noout -dates; see https://linkerd.io/2/tasks/replacing_expired_certificates/` };
  } catch (error) {
    anchorCheck = { component: 'trust anchors', healthy: false, message: `${TRUST_ROOTS_CONFIGMAP} holds an unreadable certificate: ${(error as Error).message}`, remediation: `kubectl -n ${ns} get configmap ${TRUST_ROOTS_CONFIGMAP} -o yaml` };
  }
  checks.push(anchorCheck);

  const issuerSecret = await kube.get(contextId, { apiVersion: 'v1', kind: 'Secret', name: ISSUER_SECRET, namespace: ns });
  const issuerPEM = decode((issuerSecret as Obj | null)?.['data']?.['crt.pem']) ?? decode((issuerSecret as Obj | null)?.['data']?.['tls.crt']);
  if (!issuerSecret || !issuerPEM) {
    checks.push({ component: 'issuer certificate', healthy: false, message: issuerSecret ? `Secret ${ns}/${ISSUER_SECRET} holds no crt.pem or tls.crt` : `Secret ${ns}/${ISSUER_SECRET} not found`, remediation: `kubectl -n ${ns} get secret ${ISSUER_SECRET} -o yaml` });
  } else {
    const issuer = await inspectIssuer(issuerPEM, anchorsPEM, now, ISSUER_WARNING_DAYS);
    checks.push({
      component: 'issuer certificate',
      healthy: issuer.healthy,
      message: issuer.message,
      ...(issuer.healthy
        ? {}
        : { remediation: `Renew the issuer: installing again re-issues it from the kept trust anchor when Meshery generated the certificates; otherwise see https://linkerd.io/2/tasks/manually-rotating-control-plane-tls-credentials/ (inspect: kubectl -n ${ns} get secret ${ISSUER_SECRET} -o jsonpath='{.data.crt\\.pem}' | base64 -d | openssl x509 -noout -dates)` }),
    });
  }

  const webhook = await kube.get(contextId, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: INJECTOR_WEBHOOK });
  const hooks: Obj[] = (webhook as Obj | null)?.['webhooks'] ?? [];
  const withCa = hooks.filter((h) => typeof h['clientConfig']?.caBundle === 'string' && h['clientConfig'].caBundle.length > 0);
  checks.push(
    webhook && hooks.length > 0 && withCa.length === hooks.length
      ? { component: 'proxy injector webhook', healthy: true, message: `${INJECTOR_WEBHOOK} is configured with a CA bundle` }
      : {
          component: 'proxy injector webhook',
          healthy: false,
          message: webhook ? `${INJECTOR_WEBHOOK} has ${hooks.length - withCa.length} webhook(s) without a caBundle` : `MutatingWebhookConfiguration ${INJECTOR_WEBHOOK} not found`,
          remediation: `kubectl get mutatingwebhookconfiguration ${INJECTOR_WEBHOOK} -o yaml; install Linkerd again to restore it.`,
        },
  );

  const seen = [...new Set([...versions.values()].filter((v): v is string => Boolean(v)))];
  if (seen.length === 1 && (!expectedVersion || seen[0] === expectedVersion)) {
    checks.push({ component: 'control plane version', healthy: true, message: `every component runs ${seen[0]}` });
  } else if (seen.length === 0) {
    checks.push({ component: 'control plane version', healthy: false, message: 'no control-plane component tells its version', remediation: `kubectl -n ${ns} get deployments -L app.kubernetes.io/version` });
  } else {
    checks.push({
      component: 'control plane version',
      healthy: false,
      message: seen.length > 1 ? `components run different versions: ${[...versions].map(([n, v]) => `${n} ${v ?? '?'}`).join(', ')}` : `the control plane runs ${seen[0]}, but ${expectedVersion} was installed`,
      remediation: `kubectl -n ${ns} get deployments -L app.kubernetes.io/version; install the wanted version again (uninstall first when it differs).`,
    });
  }
  return checks;
}
