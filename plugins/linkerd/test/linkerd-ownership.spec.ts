import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { PluginError, type MeshOperationEvent, type MeshProvider } from '@meshery/plugin-api';
import { startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFileName, cliUrl } from '../src/linkerd-versions.js';
import type { WebhookTlsRecord } from '../src/linkerd-webhook-tls.js';
import { applyAsForeignTool, buildMirror, clusterObjects, mirrorPath, PLUGIN_DIR, removeDir, sha256, steps } from './linkerd-test-kit.js';

const WEBHOOK_SECRETS = ['linkerd-proxy-injector-k8s-tls', 'linkerd-sp-validator-k8s-tls', 'linkerd-policy-validator-k8s-tls'];
const WEBHOOK_CONFIGURATIONS = ['linkerd-proxy-injector-webhook-config', 'linkerd-sp-validator-webhook-config', 'linkerd-policy-validator-webhook-config'];

/** What the engine reported for an object, by kind and name. */
function resultOf(events: readonly MeshOperationEvent[], kind: string, name: string): string | undefined {
  return events.find((e) => 'object' in e && e.object?.kind === kind && e.object.name === name && ['created', 'configured', 'unchanged'].includes(e.type))?.type;
}

function secretData(sim: KubeSim, name: string): Record<string, string> {
  return (sim.store.get('', 'secrets', 'linkerd', name) as { data: Record<string, string> }).data;
}

function caBundle(sim: KubeSim, name: string): string {
  const resource = name.includes('injector') ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations';
  return (sim.store.get('admissionregistration.k8s.io', resource, '', name) as { webhooks: { clientConfig: { caBundle: string } }[] }).webhooks[0]!.clientConfig.caBundle;
}

describe('What Linkerd installs and removes belongs to it alone', () => {
  let sim: KubeSim;
  let mirrorDir: string;
  let host: PluginTestHost;
  let linkerd: MeshProvider;
  let before: string[];

  const op = () => host.operation<MeshOperationEvent>();

  beforeAll(async () => {
    sim = await startKubeSim({ readyDelayMs: 20 });
    mirrorDir = await buildMirror();
    host = await startPluginTestHost({
      pluginDir: PLUGIN_DIR,
      config: { readinessTimeoutSeconds: 20 },
      cluster: { kubeconfig: sim.kubeconfig },
      artifactsMirror: mirrorDir,
    });
    linkerd = host.meshProvider('linkerd');
    before = clusterObjects(sim);
  });

  afterAll(async () => {
    await host?.stop();
    await sim?.close();
    await removeDir(mirrorDir);
  });

  it('installs with the webhook certificates the CLI generated, and keeps them for converges', async () => {
    await linkerd.install({ contextId: host.contextId, options: {} }, op().ctx);
    const kept = (await host.store.get<WebhookTlsRecord>(`webhook-certificates/${host.contextId}`))!;
    expect(kept.version).toBe('stable-2.14.10');
    expect(kept.webhooks.map((w) => w.valuesKey)).toEqual(['proxyInjector', 'profileValidator', 'policyValidator']);
    for (const [i, name] of WEBHOOK_SECRETS.entries()) {
      // The webhook configuration trusts the very certificate its Secret serves.
      expect(caBundle(sim, WEBHOOK_CONFIGURATIONS[i]!)).toBe(secretData(sim, name)['tls.crt']);
      expect(Buffer.from(secretData(sim, name)['tls.crt']!, 'base64').toString('utf8')).toBe(kept.webhooks[i]!.caBundlePEM.trim());
      expect(new Date(kept.webhooks[i]!.notAfter!).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    }
  });

  it('a converge renders the same webhook Secrets and CA bundles: unchanged, no restart', async () => {
    const secretsBefore = WEBHOOK_SECRETS.map((name) => secretData(sim, name));
    const o = op();
    await linkerd.install({ contextId: host.contextId, options: {} }, o.ctx);
    expect(steps(o.events).some((s) => /Reusing this installation's webhook serving certificates/.test(s))).toBe(true);
    for (const name of WEBHOOK_SECRETS) expect(resultOf(o.events, 'Secret', name), name).toBe('unchanged');
    expect(resultOf(o.events, 'MutatingWebhookConfiguration', 'linkerd-proxy-injector-webhook-config')).toBe('unchanged');
    expect(resultOf(o.events, 'ValidatingWebhookConfiguration', 'linkerd-sp-validator-webhook-config')).toBe('unchanged');
    expect(resultOf(o.events, 'ValidatingWebhookConfiguration', 'linkerd-policy-validator-webhook-config')).toBe('unchanged');
    for (const name of ['linkerd-destination', 'linkerd-proxy-injector', 'linkerd-identity']) expect(resultOf(o.events, 'Deployment', name), name).toBe('unchanged');
    expect(resultOf(o.events, 'ConfigMap', 'linkerd-config')).toBe('unchanged');
    expect(WEBHOOK_SECRETS.map((name) => secretData(sim, name))).toEqual(secretsBefore);
  });

  it('renews webhook certificates that expire within 30 days', async () => {
    const key = `webhook-certificates/${host.contextId}`;
    const kept = (await host.store.get<WebhookTlsRecord>(key))!;
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString();
    await host.store.set(key, { ...kept, webhooks: kept.webhooks.map((w, i) => (i === 0 ? { ...w, notAfter: soon } : w)) });

    const o = op();
    await linkerd.install({ contextId: host.contextId, options: {} }, o.ctx);
    expect(steps(o.events).some((s) => s.includes(`expire on ${soon}: generating new ones`))).toBe(true);
    expect(resultOf(o.events, 'Secret', WEBHOOK_SECRETS[0]!)).toBeDefined();
    expect(caBundle(sim, WEBHOOK_CONFIGURATIONS[0]!)).toBe(secretData(sim, WEBHOOK_SECRETS[0]!)['tls.crt']);
    const renewed = (await host.store.get<WebhookTlsRecord>(key))!;
    expect(renewed.webhooks).toHaveLength(3);
    for (const w of renewed.webhooks) expect(new Date(w.notAfter!).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    expect((await linkerd.status({ contextId: host.contextId }, op().ctx)).healthy).toBe(true);
  });

  it('status reads the CRDs of its installation by name, never a list of every CRD in the cluster', async () => {
    sim.requests.length = 0;
    const status = await linkerd.status({ contextId: host.contextId }, op().ctx);
    expect(status.checks.find((c) => c.component === 'CRDs')).toMatchObject({ healthy: true, message: '8 Linkerd CRDs installed and established' });
    const crdRequests = sim.requests.filter((r) => r.path.startsWith('/apis/apiextensions.k8s.io/v1/customresourcedefinitions'));
    expect(crdRequests.filter((r) => r.path === '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).toEqual([]);
    expect(crdRequests.map((r) => r.path)).toContain('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/servers.policy.linkerd.io');

    // A CRD of the installation that is gone is reported missing.
    await fetch(`${sim.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/httproutes.gateway.networking.k8s.io`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${sim.token}` },
    });
    for (let i = 0; i < 50 && sim.store.get('apiextensions.k8s.io', 'customresourcedefinitions', '', 'httproutes.gateway.networking.k8s.io'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const broken = await linkerd.status({ contextId: host.contextId }, op().ctx);
    expect(broken.checks.find((c) => c.component === 'CRDs')).toMatchObject({ healthy: false, message: 'missing: httproutes.gateway.networking.k8s.io' });
  });

  it('uninstalls, forgetting the webhook certificates', async () => {
    await linkerd.uninstall({ contextId: host.contextId }, op().ctx);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  it('keeps a linkerd namespace that existed before the install, and what the user keeps in it', async () => {
    await applyAsForeignTool(
      sim,
      [
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: linkerd\n  labels:\n    team: platform\n  annotations:\n    owner: alice',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: user-settings\n  namespace: linkerd\ndata:\n  keep: "yes"',
      ].join('\n---\n'),
    );
    const withNamespace = clusterObjects(sim);

    const install = op();
    await linkerd.install({ contextId: host.contextId, options: {} }, install.ctx);
    expect(steps(install.events).some((s) => /Namespace linkerd existed before Linkerd was installed: it is left out of the installation/.test(s))).toBe(true);
    expect(await host.store.get(`install/${host.contextId}`)).toMatchObject({ namespaceCreated: false, state: 'installed' });
    const ns = sim.store.get('', 'namespaces', '', 'linkerd')!;
    expect(ns.metadata!.labels).toMatchObject({ team: 'platform', 'linkerd.io/is-control-plane': 'true', 'config.linkerd.io/admission-webhooks': 'disabled' });
    expect(ns.metadata!.annotations).toMatchObject({ owner: 'alice', 'linkerd.io/inject': 'disabled' });
    expect(ns.metadata!.labels!['app.kubernetes.io/managed-by']).toBeUndefined();
    expect((await linkerd.status({ contextId: host.contextId }, op().ctx)).healthy).toBe(true);

    // A converge keeps it out too.
    await linkerd.install({ contextId: host.contextId, options: {} }, op().ctx);
    expect(sim.store.get('', 'namespaces', '', 'linkerd')!.metadata!.labels!['app.kubernetes.io/managed-by']).toBeUndefined();

    // What the policy controller writes at run time.
    await applyAsForeignTool(sim, 'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: policy-controller-write\n  namespace: linkerd\nspec:\n  holderIdentity: linkerd-destination-1');

    const uninstall = op();
    await linkerd.uninstall({ contextId: host.contextId }, uninstall.ctx);
    expect(steps(uninstall.events)).toContain('Namespace linkerd is kept, with the labels and annotations it had before Linkerd was installed');
    expect(sim.store.get('', 'configmaps', 'linkerd', 'user-settings')).toBeDefined();
    const after = sim.store.get('', 'namespaces', '', 'linkerd')!;
    expect(after.metadata!.labels).toMatchObject({ team: 'platform' });
    expect(Object.keys(after.metadata!.labels!).filter((k) => k.includes('linkerd.io') || k.startsWith('pod-security'))).toEqual([]);
    expect(after.metadata!.annotations).toEqual({ owner: 'alice' });
    expect(clusterObjects(sim)).toEqual(withNamespace);
    expect(await host.store.keys()).toEqual([]);
  });

  it('keeps a namespace it created for a sample app when the user put something else in it', async () => {
    await linkerd.deploySampleApp({ contextId: host.contextId, namespace: 'shared', app: 'emojivoto' }, op().ctx);
    await applyAsForeignTool(
      sim,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:\n  name: my-app\n  namespace: shared',
        'spec:',
        '  selector:\n    matchLabels:\n      app: my-app',
        '  template:\n    metadata:\n      labels:\n        app: my-app\n    spec:\n      containers:\n      - name: app\n        image: example.com/my-app:1',
      ].join('\n'),
    );

    const remove = op();
    await linkerd.removeSampleApp({ contextId: host.contextId, namespace: 'shared', app: 'emojivoto' }, remove.ctx);
    expect(sim.store.get('apps', 'deployments', 'shared', 'web')).toBeUndefined();
    expect(sim.store.get('apps', 'deployments', 'shared', 'my-app')).toBeDefined();
    expect(sim.store.get('', 'namespaces', '', 'shared')).toBeDefined();
    const kept = steps(remove.events).find((s) => s.startsWith('Keeping namespace shared'));
    expect(kept).toContain('Deployment/my-app');
    expect(kept).toContain('kubectl delete namespace shared');
    expect(kept).not.toMatch(/kube-root-ca\.crt|ServiceAccount\/default|Pod\/|ReplicaSet\//);
    expect(await host.store.get(`sample-namespace/${host.contextId}/shared`)).toMatchObject({ apps: [] });

    // Once the user's workload is gone, the next sample app removed there takes the namespace with it.
    await fetch(`${sim.url}/apis/apps/v1/namespaces/shared/deployments/my-app`, { method: 'DELETE', headers: { authorization: `Bearer ${sim.token}` } });
    await linkerd.deploySampleApp({ contextId: host.contextId, namespace: 'shared', app: 'booksapp' }, op().ctx);
    await linkerd.removeSampleApp({ contextId: host.contextId, namespace: 'shared', app: 'booksapp' }, op().ctx);
    for (let i = 0; i < 100 && sim.store.get('', 'namespaces', '', 'shared'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sim.store.get('', 'namespaces', '', 'shared')).toBeUndefined();
    expect(await host.store.keys()).toEqual([]);
  });

  it('verifies the CLI against a digest pinned in "checksums" instead of the published .sha256 file', async () => {
    const pinnedMirror = await buildMirror();
    const url = cliUrl('stable-2.14.10');
    const digest = sha256(await readFile(mirrorPath(pinnedMirror, url)));
    await rm(mirrorPath(pinnedMirror, `${url}.sha256`)); // not needed when pinned
    const hosts: PluginTestHost[] = [];
    try {
      const wrong = await startPluginTestHost({
        pluginDir: PLUGIN_DIR,
        config: { checksums: { [cliFileName('stable-2.14.10')]: 'f'.repeat(64) } },
        cluster: { kubeconfig: sim.kubeconfig },
        artifactsMirror: mirrorDir, // its .sha256 matches the file: only the pin can fail it
      });
      hosts.push(wrong);
      const error = (await wrong.meshProvider('linkerd').install({ contextId: wrong.contextId, options: {} }, wrong.operation<MeshOperationEvent>().ctx).catch((e: unknown) => e)) as PluginError;
      expect(error).toBeInstanceOf(PluginError);
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toMatch(new RegExp(`Checksum mismatch for ${cliFileName('stable-2.14.10')}.*expected f{64}`));

      const pinned = await startPluginTestHost({
        pluginDir: PLUGIN_DIR,
        config: { readinessTimeoutSeconds: 20, checksums: { [cliFileName('stable-2.14.10')]: digest.toUpperCase() } },
        cluster: { kubeconfig: sim.kubeconfig },
        artifactsMirror: pinnedMirror,
      });
      hosts.push(pinned);
      const o = pinned.operation<MeshOperationEvent>();
      await pinned.meshProvider('linkerd').install({ contextId: pinned.contextId, options: {} }, o.ctx);
      expect(steps(o.events).some((s) => s.includes(`the SHA-256 pinned for ${cliFileName('stable-2.14.10')} in the "checksums" setting`))).toBe(true);
      await pinned.meshProvider('linkerd').uninstall({ contextId: pinned.contextId }, pinned.operation<MeshOperationEvent>().ctx);
    } finally {
      for (const h of hosts) await h.stop();
      await removeDir(pinnedMirror);
    }
  });
});
