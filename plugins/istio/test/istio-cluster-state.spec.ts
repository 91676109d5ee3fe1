import { PluginError } from '@meshery/plugin-api';
import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  buildIstioMirror,
  clusterObjects,
  createDirectly,
  deleteDirectly,
  generatedManifest,
  patchAs,
  pluginDir,
  playIstiod,
  playIstiodWebhookControllers,
  steps,
  tempDir,
  type Events,
} from './istio-fixtures.js';

const VERSION = '1.24.0';
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    return error as PluginError;
  }
  throw new Error('expected the operation to fail');
}

/**
 * The VirtualService CRD of the release as `helm install istio-base` left it after
 * `helm uninstall` (the chart annotates CRDs `helm.sh/resource-policy: keep`): no Meshery label.
 * `served` limits the versions it serves.
 */
async function helmKeptVirtualServiceCrd(served?: readonly string[]): Promise<string> {
  const crd = parseAllDocuments(await generatedManifest(VERSION))
    .map((document) => document.toJS() as Record<string, any> | null)
    .find((object) => object?.['kind'] === 'CustomResourceDefinition' && object['metadata']['name'] === 'virtualservices.networking.istio.io')!;
  if (served) {
    crd['spec']['versions'] = crd['spec']['versions'].filter((v: { name: string }) => served.includes(v.name));
    crd['spec']['versions'][0].storage = true;
  }
  return JSON.stringify(crd);
}

describe('Istio and what the cluster already holds (mirror as a directory)', () => {
  let root: string;
  let mirror: string;
  let sim: KubeSim | undefined;
  let host: PluginTestHost | undefined;

  beforeAll(async () => {
    root = await tempDir('meshery-istio-state-');
    mirror = await buildIstioMirror(root, [VERSION]);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  afterEach(async () => {
    await host?.stop();
    await sim?.close();
    host = undefined;
    sim = undefined;
  });

  async function start(): Promise<{ sim: KubeSim; host: PluginTestHost }> {
    sim = await startKubeSim({ readyDelayMs: 20 });
    host = await startPluginTestHost({ pluginDir, config: { readinessTimeoutSeconds: 20 }, cluster: { kubeconfig: sim.kubeconfig }, artifactsMirror: mirror });
    return { sim, host };
  }
  const op = () => host!.operation<Events[number]>();

  it('keeps a namespace it created for sample apps while it holds the user’s own workload, and deletes it once it holds nothing else', async () => {
    const { sim, host } = await start();
    const istio = host.meshProvider('istio');
    const contextId = host.contextId;
    const before = clusterObjects(sim);

    await istio.deploySampleApp({ contextId, namespace: 'demo', app: 'httpbin' }, op().ctx);
    // The user deploys a workload of their own next to it; istiod writes its root certificate.
    await createDirectly(
      sim,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-api
  namespace: demo
spec:
  selector:
    matchLabels: { app: my-api }
  template:
    metadata:
      labels: { app: my-api }
    spec:
      containers:
      - name: api
        image: example.com/my-api:1.0
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio-ca-root-cert
  namespace: demo
  labels: { istio.io/config: "true" }
data:
  root-cert.pem: test
`,
    );

    const removal = op();
    await istio.removeSampleApp({ contextId, namespace: 'demo', app: 'httpbin' }, removal.ctx);
    expect(sim.store.get('apps', 'deployments', 'demo', 'httpbin')).toBeUndefined();
    expect(sim.store.get('', 'namespaces', '', 'demo')).toBeDefined();
    expect(sim.store.get('', 'namespaces', '', 'demo')?.metadata?.deletionTimestamp).toBeUndefined();
    expect(sim.store.get('apps', 'deployments', 'demo', 'my-api')).toBeDefined();
    const said = steps(removal.events).join('\n');
    expect(said).toMatch(/Keeping namespace demo: .* holds .*\(Deployment my-api\)\. .*kubectl delete namespace demo/);
    // Only the user's workload is named: the default ServiceAccount, kube-root-ca.crt and istiod's certificate are not.
    expect(said).not.toMatch(/ServiceAccount default|kube-root-ca\.crt|ConfigMap istio-ca-root-cert/);

    // Once the user's workload is gone, removing the last sample app deletes the namespace after all.
    await deleteDirectly(sim, '/apis/apps/v1/namespaces/demo/deployments/my-api');
    await istio.deploySampleApp({ contextId, namespace: 'demo', app: 'httpbin' }, op().ctx);
    const last = op();
    await istio.removeSampleApp({ contextId, namespace: 'demo', app: 'httpbin' }, last.ctx);
    expect(steps(last.events).join('\n')).toMatch(/Deleting namespace demo/);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  it('leaves Istio CRDs that were there before (helm uninstall keeps them) out of the installation: uninstall keeps them and the objects of their kind', async () => {
    const { sim, host } = await start();
    const istio = host.meshProvider('istio');
    const contextId = host.contextId;
    await createDirectly(sim, await helmKeptVirtualServiceCrd());
    await createDirectly(
      sim,
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: default\nspec:\n  hosts: [reviews]\n',
    );
    const before = clusterObjects(sim);
    const crdBefore = sim.store.get('apiextensions.k8s.io', 'customresourcedefinitions', '', 'virtualservices.networking.istio.io');

    const install = op();
    await istio.install({ contextId, version: VERSION, options: {} }, install.ctx);
    expect(steps(install.events).join('\n')).toMatch(/Leaving out 1 Istio CRD that was in the cluster before Meshery's install .*: virtualservices\.networking\.istio\.io/);
    const record = await host.store.get<{ inventoryId: string; preexistingCrds: string[] }>(`install/${contextId}`);
    expect(record?.preexistingCrds).toEqual(['virtualservices.networking.istio.io']);
    const crdsApplied = (await host.kubernetes.inventory(record!.inventoryId)).filter((ref) => ref.kind === 'CustomResourceDefinition').map((ref) => ref.name);
    expect(crdsApplied).toHaveLength(6);
    expect(crdsApplied).not.toContain('virtualservices.networking.istio.io');
    // Untouched: no Meshery label, same resourceVersion.
    const crdAfter = sim.store.get('apiextensions.k8s.io', 'customresourcedefinitions', '', 'virtualservices.networking.istio.io');
    expect(crdAfter?.metadata?.resourceVersion).toBe(crdBefore?.metadata?.resourceVersion);
    expect(crdAfter?.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');

    // Status checks it as one the installation needs.
    await playIstiod(sim, host.kubernetes, contextId, ['istio-system']);
    const status = await istio.status({ contextId }, op().ctx);
    expect(status.checks.find((c) => c.component === 'CRDs')).toEqual({ component: 'CRDs', healthy: true, message: '7 Istio CRDs established' });

    // Converging keeps leaving it out (it exists now whoever looks, but it is still not Meshery's).
    const again = op();
    await istio.install({ contextId, version: VERSION, options: {} }, again.ctx);
    expect(steps(again.events).join('\n')).toMatch(/Leaving out 1 Istio CRD .*virtualservices\.networking\.istio\.io/);
    expect((await host.kubernetes.inventory(record!.inventoryId)).map((ref) => ref.name)).not.toContain('virtualservices.networking.istio.io');

    const uninstall = op();
    await istio.uninstall({ contextId }, uninstall.ctx);
    expect(steps(uninstall.events).join('\n')).toMatch(/the Istio CRDs that were in the cluster before it \(virtualservices\.networking\.istio\.io\) are left in place/);
    expect(clusterObjects(sim)).toEqual(before);
    expect(sim.store.get('networking.istio.io', 'virtualservices', 'default', 'reviews')).toBeDefined();
    expect(await host.store.keys()).toEqual([]);
  });

  it('refuses, naming them, pre-existing Istio CRDs that do not serve the versions the release needs; nothing is applied', async () => {
    const { sim, host } = await start();
    await createDirectly(sim, await helmKeptVirtualServiceCrd(['v1alpha3']));
    const before = clusterObjects(sim);
    const error = await rejection(host.meshProvider('istio').install({ contextId: host.contextId, version: VERSION, options: {} }, op().ctx));
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/virtualservices\.networking\.istio\.io serves v1alpha3, needs v1, v1alpha3, v1beta1; nothing was applied/);
    expect(error.remediation).toMatch(/helm upgrade istio-base .*kubectl delete crd virtualservices\.networking\.istio\.io/);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  it('install again after istiod took over its webhooks converges without force: failurePolicy stays Fail and the CA stays; fields someone else changed fail the apply', async () => {
    const { sim, host } = await start();
    const istio = host.meshProvider('istio');
    const contextId = host.contextId;
    await istio.install({ contextId, version: VERSION, options: {} }, op().ctx);
    const validators = () =>
      ['istio-validator-istio-system', 'istiod-default-validator'].map(
        (name) => sim.store.get('admissionregistration.k8s.io', 'validatingwebhookconfigurations', '', name) as unknown as { webhooks: { failurePolicy: string; clientConfig: { caBundle?: string } }[] },
      );
    expect(validators().flatMap((w) => w.webhooks.map((h) => h.failurePolicy))).toEqual(['Ignore', 'Ignore']);

    const caBundle = await playIstiodWebhookControllers(sim);
    const again = op();
    await istio.install({ contextId, version: VERSION, options: {} }, again.ctx);
    for (const webhook of validators()) {
      expect(webhook.webhooks.map((h) => [h.failurePolicy, h.clientConfig.caBundle])).toEqual([['Fail', caBundle]]);
    }
    expect(steps(again.events).join('\n')).toMatch(/Leaving fields istiod set at run time as they are: failurePolicy of webhook rev\.validation\.istio\.io in ValidatingWebhookConfiguration istio-validator-istio-system \(Fail\)/);
    const injector = sim.store.get('admissionregistration.k8s.io', 'mutatingwebhookconfigurations', '', 'istio-sidecar-injector') as unknown as { webhooks: { clientConfig: { caBundle?: string } }[] };
    expect(injector.webhooks.every((h) => h.clientConfig.caBundle === caBundle)).toBe(true);
    // Nothing else changed either.
    expect(again.events.filter((e) => e.type === 'created' || e.type === 'configured')).toEqual([]);

    // A field another manager took that the manifest sets is not taken back silently.
    await patchAs(sim, 'kubectl-edit', '/api/v1/namespaces/istio-system/configmaps/istio', { data: { mesh: 'defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n# edited by hand\n' } });
    const conflict = await rejection(istio.install({ contextId, version: VERSION, options: {} }, op().ctx));
    expect(conflict.code).toBe('PRECONDITION_FAILED');
    expect(conflict.message).toMatch(/ConfigMap istio-system\/istio[\s\S]*conflict with "kubectl-edit"/);
    expect((sim.store.get('', 'configmaps', 'istio-system', 'istio')?.['data'] as Record<string, string>)['mesh']).toContain('# edited by hand');
  });

  it('status reads the Istio CRDs by name, never the list of every CRD in the cluster', async () => {
    const { sim, host } = await start();
    const istio = host.meshProvider('istio');
    const contextId = host.contextId;
    await istio.install({ contextId, version: VERSION, options: {} }, op().ctx);
    const crdRequests = async (run: () => Promise<unknown>) => {
      const marker = `/api/v1/namespaces/status-marker-${Math.random().toString(36).slice(2)}`;
      await fetch(`${sim.url}${marker}`, { headers: sim.token ? { authorization: `Bearer ${sim.token}` } : {} });
      await run();
      const log = sim.requests;
      const start = log.map((r) => r.path).lastIndexOf(marker);
      return log.slice(start + 1).filter((r) => r.path.startsWith(CRDS));
    };
    const ours = await crdRequests(() => istio.status({ contextId }, op().ctx));
    expect(ours.filter((r) => r.path === CRDS)).toEqual([]);
    expect(ours.map((r) => r.path.slice(CRDS.length + 1)).sort()).toEqual([
      'authorizationpolicies.security.istio.io',
      'destinationrules.networking.istio.io',
      'gateways.networking.istio.io',
      'peerauthentications.security.istio.io',
      'telemetries.telemetry.istio.io',
      'virtualservices.networking.istio.io',
      'wasmplugins.extensions.istio.io',
    ]);

    // Someone else's installation: the known Istio CRD names, still one by one.
    await host.store.delete(`install/${contextId}`);
    const foreign = await crdRequests(() => istio.status({ contextId }, op().ctx));
    expect(foreign.length).toBeGreaterThan(0);
    expect(foreign.filter((r) => r.path === CRDS)).toEqual([]);
  });
});
