import type { KubernetesService, MeshHealthCheck, MeshStatus } from '@meshery/plugin-api';
import type { InstallRecord } from './istio-records.js';

/** The label the host's engine puts on every object it applies. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_MESHERY = 'meshery';

/** The parts of Kubernetes objects the checks read. */
interface Metadata {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}
interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}
export interface DeploymentObject {
  readonly metadata?: Metadata;
  readonly spec?: {
    readonly replicas?: number;
    readonly template?: { readonly spec?: { readonly containers?: readonly { readonly name?: string; readonly image?: string }[] } };
  };
  readonly status?: { readonly availableReplicas?: number; readonly conditions?: readonly Condition[] };
}
interface CrdObject {
  readonly metadata?: Metadata;
  readonly spec?: { readonly group?: string };
  readonly status?: { readonly conditions?: readonly Condition[] };
}
interface WebhookObject {
  readonly metadata?: Metadata;
  readonly webhooks?: readonly {
    readonly name?: string;
    readonly clientConfig?: { readonly caBundle?: string; readonly url?: string; readonly service?: { readonly name?: string; readonly namespace?: string } };
  }[];
}

/** An Istio control plane found in the cluster. */
export interface ControlPlane {
  readonly namespace: string;
  readonly deployment: DeploymentObject;
  /** From its labels, else from the pilot image's tag. */
  readonly version?: string;
  /** Carries the engine's `app.kubernetes.io/managed-by=meshery` label. */
  readonly labelledByMeshery: boolean;
}

const as = <T>(value: unknown): T => value as T;

/** The tag of an image reference (`docker.io/istio/pilot:1.24.0` → `1.24.0`), without a digest. */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const withoutDigest = image.split('@')[0]!;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(colon + 1) : undefined;
}

/** The Istio version an image tag stands for: `1.24.0-distroless` → `1.24.0`. */
export function versionOfTag(tag: string | undefined): string | undefined {
  return tag?.replace(/-(distroless|debug)$/, '');
}

/** The version of a control-plane Deployment, read as `istioctl version` would. */
export function controlPlaneVersion(deployment: DeploymentObject): string | undefined {
  const labels = deployment.metadata?.labels ?? {};
  const fromLabel = labels['operator.istio.io/version'] ?? labels['app.kubernetes.io/version'];
  if (fromLabel) return fromLabel;
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  const discovery = containers.find((c) => c.name === 'discovery') ?? containers.find((c) => /\/pilot[:@]/.test(c.image ?? '')) ?? containers[0];
  return versionOfTag(imageTag(discovery?.image));
}

/** Every Deployment labelled `app=istiod` in any namespace, the default revision (`istiod`) first. */
export async function findControlPlanes(kube: KubernetesService, contextId: string): Promise<ControlPlane[]> {
  const deployments = as<DeploymentObject[]>(await kube.list(contextId, { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: 'app=istiod' }));
  return deployments
    .map((deployment) => {
      const version = controlPlaneVersion(deployment);
      return {
        namespace: deployment.metadata?.namespace ?? 'default',
        deployment,
        ...(version ? { version } : {}),
        labelledByMeshery: deployment.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_MESHERY,
      };
    })
    .sort((a, b) => Number(b.deployment.metadata?.name === 'istiod') - Number(a.deployment.metadata?.name === 'istiod'));
}

/** Whether a control plane is the one this plugin installed (its record, and the engine's label). */
export function isOurs(plane: ControlPlane, record: InstallRecord | undefined): boolean {
  return record !== undefined && plane.namespace === record.namespace && plane.labelledByMeshery;
}

/** How a Deployment is doing, as `kubectl rollout status` would judge it. */
export function deploymentCheck(component: string, namespace: string, deployment: DeploymentObject | null, absentHint = ''): MeshHealthCheck {
  const name = deployment?.metadata?.name ?? component;
  if (!deployment) {
    return {
      component,
      healthy: false,
      message: `Deployment ${namespace}/${component} not found${absentHint}`,
      remediation: `kubectl get deployments -n ${namespace}; run install again to restore it`,
    };
  }
  const wanted = deployment.spec?.replicas ?? 1;
  const available = deployment.status?.availableReplicas ?? 0;
  const condition = deployment.status?.conditions?.find((c) => c.type === 'Available');
  const healthy = wanted > 0 && available >= wanted && condition?.status === 'True';
  return {
    component,
    healthy,
    message: `${available}/${wanted} replicas available${!healthy && condition?.message ? ` (${condition.message})` : ''}`,
    ...(healthy
      ? {}
      : { remediation: `kubectl describe deployment ${name} -n ${namespace}; kubectl logs deployment/${name} -n ${namespace}` }),
  };
}

/**
 * The CRDs of Istio's base chart across the releases this plugin knows (1.22–1.24; the
 * IstioOperator CRD was dropped in 1.24): what status looks up for an installation it did not
 * make. Read by name, never by listing every CRD of the cluster (each comes with its full schema).
 */
export const KNOWN_ISTIO_CRDS: readonly string[] = Object.freeze([
  'authorizationpolicies.security.istio.io',
  'destinationrules.networking.istio.io',
  'envoyfilters.networking.istio.io',
  'gateways.networking.istio.io',
  'istiooperators.install.istio.io',
  'peerauthentications.security.istio.io',
  'proxyconfigs.networking.istio.io',
  'requestauthentications.security.istio.io',
  'serviceentries.networking.istio.io',
  'sidecars.networking.istio.io',
  'telemetries.telemetry.istio.io',
  'virtualservices.networking.istio.io',
  'wasmplugins.extensions.istio.io',
  'workloadentries.networking.istio.io',
  'workloadgroups.networking.istio.io',
]);

/**
 * The CRDs check. `expected` are the CRDs the installation needs (this plugin's: from its inventory
 * and install record), each of which must exist; without them, the known Istio CRDs that exist are
 * checked. Every CRD is read by name.
 */
async function crdCheck(kube: KubernetesService, contextId: string, expected: readonly string[]): Promise<MeshHealthCheck> {
  const required = expected.length > 0;
  const names = required ? [...new Set(expected)] : KNOWN_ISTIO_CRDS;
  const objects = await Promise.all(names.map((name) => kube.get(contextId, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name })));
  const crds = objects.filter((crd): crd is Readonly<Record<string, unknown>> => crd !== null).map((crd) => as<CrdObject>(crd));
  const missing = required ? names.filter((_, i) => objects[i] === null) : [];
  const notEstablished = crds.filter((crd) => crd.status?.conditions?.find((c) => c.type === 'Established')?.status !== 'True').map((crd) => crd.metadata?.name ?? '?');
  const remediation = 'kubectl get crd | grep istio.io; kubectl describe crd <name>; run install again to restore missing CRDs';
  if (crds.length === 0) return { component: 'CRDs', healthy: false, message: 'no Istio CRDs (group *.istio.io) found', remediation };
  if (missing.length > 0) {
    return { component: 'CRDs', healthy: false, message: `${missing.length} of the installation's CRDs missing: ${missing.join(', ')}`, remediation };
  }
  if (notEstablished.length > 0) {
    return { component: 'CRDs', healthy: false, message: `${notEstablished.length} of ${crds.length} Istio CRDs not established: ${notEstablished.join(', ')}`, remediation };
  }
  return { component: 'CRDs', healthy: true, message: `${crds.length} Istio CRDs established` };
}

function pointsToIstiod(webhook: WebhookObject, namespace: string, service: string): string | undefined {
  for (const hook of webhook.webhooks ?? []) {
    const target = hook.clientConfig?.service;
    if (!target) return `webhook ${hook.name ?? '?'} calls ${hook.clientConfig?.url ?? 'no service'}, not service ${namespace}/${service}`;
    if (target.name !== service || target.namespace !== namespace) {
      return `webhook ${hook.name ?? '?'} points to service ${target.namespace ?? '?'}/${target.name ?? '?'}, not ${namespace}/${service}`;
    }
  }
  return undefined;
}

async function injectorCheck(kube: KubernetesService, contextId: string, namespace: string, istiod: string): Promise<MeshHealthCheck> {
  const component = 'sidecar injector webhook';
  const revisionSuffix = istiod === 'istiod' ? '' : istiod.slice('istiod'.length);
  const names = [`istio-sidecar-injector${revisionSuffix}`, `istio-sidecar-injector${revisionSuffix}-${namespace}`];
  let webhook: WebhookObject | null = null;
  for (const name of names) {
    webhook = as<WebhookObject | null>(await kube.get(contextId, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name }));
    if (webhook) break;
  }
  if (!webhook) {
    return { component, healthy: false, message: `MutatingWebhookConfiguration ${names[0]} not found: pods cannot get sidecars`, remediation: 'kubectl get mutatingwebhookconfigurations; run install again to restore it' };
  }
  const name = webhook.metadata?.name ?? names[0]!;
  if ((webhook.webhooks ?? []).length === 0) {
    return { component, healthy: false, message: `${name} has no webhooks`, remediation: 'Run install again to restore it.' };
  }
  const wrongTarget = pointsToIstiod(webhook, namespace, istiod);
  if (wrongTarget) return { component, healthy: false, message: `${name}: ${wrongTarget}`, remediation: `kubectl get mutatingwebhookconfiguration ${name} -o yaml; run install again to restore it` };
  const withoutCa = (webhook.webhooks ?? []).filter((hook) => !hook.clientConfig?.caBundle);
  if (withoutCa.length > 0) {
    return {
      component,
      healthy: false,
      message: `${name}: istiod has not injected its CA yet (empty caBundle on ${withoutCa.length} of ${(webhook.webhooks ?? []).length} webhooks)`,
      remediation: `istiod patches the caBundle when it starts; if this lasts, check it: kubectl logs deployment/${istiod} -n ${namespace}`,
    };
  }
  return { component, healthy: true, message: `${name} points to ${namespace}/${istiod} and carries istiod's CA` };
}

async function validatorCheck(kube: KubernetesService, contextId: string, namespace: string, istiod: string): Promise<MeshHealthCheck> {
  const component = 'validation webhook';
  const revisionSuffix = istiod === 'istiod' ? '' : istiod.slice('istiod'.length);
  const names = [`istio-validator${revisionSuffix}-${namespace}`, 'istiod-default-validator'];
  const found: WebhookObject[] = [];
  for (const name of names) {
    const webhook = as<WebhookObject | null>(await kube.get(contextId, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', name }));
    if (webhook) found.push(webhook);
  }
  if (found.length === 0) {
    return { component, healthy: false, message: `neither ValidatingWebhookConfiguration ${names.join(' nor ')} found: Istio configuration is not validated`, remediation: 'kubectl get validatingwebhookconfigurations; run install again to restore it' };
  }
  for (const webhook of found) {
    const wrongTarget = pointsToIstiod(webhook, namespace, istiod);
    if (wrongTarget) {
      return { component, healthy: false, message: `${webhook.metadata?.name ?? '?'}: ${wrongTarget}`, remediation: `kubectl get validatingwebhookconfiguration ${webhook.metadata?.name ?? ''} -o yaml` };
    }
  }
  return { component, healthy: true, message: `${found.map((w) => w.metadata?.name).join(', ')} point${found.length === 1 ? 's' : ''} to ${namespace}/${istiod}` };
}

function versionCheck(plane: ControlPlane, gateway: DeploymentObject | null, record: InstallRecord | undefined, ours: boolean): MeshHealthCheck {
  const containers = plane.deployment.spec?.template?.spec?.containers ?? [];
  const pilotTag = versionOfTag(imageTag((containers.find((c) => c.name === 'discovery') ?? containers[0])?.image));
  const gatewayTag = versionOfTag(imageTag(gateway?.spec?.template?.spec?.containers?.[0]?.image));
  const running = pilotTag ?? plane.version ?? 'unknown';
  if (!ours || !record) {
    return { component: 'version', healthy: true, message: `istiod runs ${running}${gatewayTag ? `, istio-ingressgateway ${gatewayTag}` : ''} (not installed by Meshery: nothing to compare with)` };
  }
  const mismatched = [pilotTag && pilotTag !== record.version ? `istiod image tag ${pilotTag}` : '', gatewayTag && gatewayTag !== record.version ? `istio-ingressgateway image tag ${gatewayTag}` : ''].filter(Boolean);
  if (!pilotTag) {
    return { component: 'version', healthy: false, message: `cannot read istiod's image tag; Meshery installed ${record.version}`, remediation: `kubectl get deployment ${plane.deployment.metadata?.name ?? 'istiod'} -n ${plane.namespace} -o jsonpath='{.spec.template.spec.containers[*].image}'` };
  }
  if (mismatched.length > 0) {
    return {
      component: 'version',
      healthy: false,
      message: `${mismatched.join(' and ')}, but Meshery installed ${record.version}`,
      remediation: `Someone changed the images; run install of ${record.version} again to restore them (kubectl get deployments -n ${plane.namespace} -o wide shows the images).`,
    };
  }
  return { component: 'version', healthy: true, message: `istiod${gatewayTag ? ' and istio-ingressgateway run' : ' runs'} ${record.version}, as installed` };
}

/**
 * The mesh's status read from the cluster, whoever installed it: the control plane found by its
 * `app=istiod` label, then one check per component in the manner of Istio's install verification.
 */
export async function istioStatus(
  kube: KubernetesService,
  contextId: string,
  record: InstallRecord | undefined,
  expectedCrds: readonly string[],
): Promise<MeshStatus> {
  const planes = await findControlPlanes(kube, contextId);
  const plane = planes.find((p) => isOurs(p, record)) ?? planes[0];
  if (!plane) {
    const message = record
      ? record.state === 'installing'
        ? `Istio is not installed: Meshery's install of ${record.version} was interrupted before istiod was applied`
        : `Istio is not installed: Meshery installed ${record.version} in ${record.namespace}, but no istiod Deployment is left (removed outside Meshery?)`
      : 'Istio is not installed: no Deployment labelled app=istiod in any namespace';
    return {
      installed: false,
      healthy: false,
      checks: [
        {
          component: 'control plane',
          healthy: false,
          message,
          remediation: record ? 'Run install again to finish or restore it, or uninstall to remove what is left.' : 'Install Istio (install operation).',
        },
      ],
    };
  }
  const ours = isOurs(plane, record);
  const namespace = plane.namespace;
  const istiodName = plane.deployment.metadata?.name ?? 'istiod';
  const checks: MeshHealthCheck[] = [];
  if (ours && record?.state === 'installing') {
    checks.push({ component: 'installation', healthy: false, message: `Meshery's install of Istio ${record.version} did not finish`, remediation: 'Run install again: it resumes into the same inventory.' });
  }
  checks.push(await crdCheck(kube, contextId, ours ? expectedCrds : []));
  const others = planes.filter((p) => p !== plane).map((p) => `${p.namespace}/${p.deployment.metadata?.name ?? '?'}`);
  const istiod = deploymentCheck(istiodName, namespace, plane.deployment);
  checks.push(others.length > 0 ? { ...istiod, message: `${istiod.message}; other control planes: ${others.join(', ')}` } : istiod);
  const gateway = as<DeploymentObject | null>(await kube.get(contextId, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'istio-ingressgateway', namespace }));
  checks.push(deploymentCheck('istio-ingressgateway', namespace, gateway, ' (profiles without an ingress gateway, such as minimal, do not have one)'));
  checks.push(await injectorCheck(kube, contextId, namespace, istiodName));
  checks.push(await validatorCheck(kube, contextId, namespace, istiodName));
  checks.push(versionCheck(plane, gateway, record, ours));
  const version = plane.version ?? (ours ? record?.version : undefined);
  return {
    installed: true,
    ...(version ? { version } : {}),
    namespace,
    managedByMeshery: ours,
    healthy: checks.every((check) => check.healthy),
    checks,
  };
}
