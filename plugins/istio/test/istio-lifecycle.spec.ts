import type { MeshProvider } from '@meshery/plugin-api';
import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildIstioMirror,
  clusterObjects,
  createDirectly,
  pluginDir,
  playIstiod,
  serveDirectory,
  steps,
  tempDir,
  type Events,
} from './istio-fixtures.js';

const VERSION = '1.24.0';

describe('Istio lifecycle against kube-sim, release archive from a mirror served over HTTP', () => {
  let sim: KubeSim;
  let host: PluginTestHost;
  let root: string;
  let server: Awaited<ReturnType<typeof serveDirectory>>;
  let istio: MeshProvider;

  beforeAll(async () => {
    sim = await startKubeSim({ readyDelayMs: 30 });
    root = await tempDir('meshery-istio-lifecycle-');
    server = await serveDirectory(await buildIstioMirror(root, [VERSION]));
    host = await startPluginTestHost({
      pluginDir,
      config: { readinessTimeoutSeconds: 20 },
      cluster: { kubeconfig: sim.kubeconfig },
      artifactsMirror: server.url,
    });
    istio = host.meshProvider('istio');
  });

  afterAll(async () => {
    await host?.stop();
    await sim?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const deployment = (namespace: string, name: string) => sim.store.get('apps', 'deployments', namespace, name) as
    | { metadata: { labels?: Record<string, string> }; status?: { availableReplicas?: number } }
    | undefined;
  const namespaceLabels = (name: string) => (sim.store.get('', 'namespaces', '', name)?.metadata?.labels ?? {}) as Record<string, string>;

  it('installs, turns healthy once istiod has patched its CA, serves sample apps and injection, and uninstalls to exactly the cluster it found', async () => {
    const before = clusterObjects(sim);
    const contextId = host.contextId;

    // --- install -------------------------------------------------------------------------------
    const install = host.operation<Events[number]>();
    await istio.install({ contextId, version: VERSION, options: { set: { 'meshConfig.accessLogFile': '/dev/stdout' } } }, install.ctx);
    expect(server.requests).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^/github.com/istio/istio/releases/download/${VERSION}/istio-${VERSION}-[a-z0-9-]+\\.tar\\.gz\\.sha256$`)), expect.stringMatching(/\.tar\.gz$/)]),
    );
    const artifactEvents = install.events.filter((e) => e.type === 'artifact').map((e) => e.summary);
    expect(artifactEvents.join('\n')).toMatch(new RegExp(`istio-${VERSION}-.*SHA-256 verified`));
    expect(steps(install.events).join('\n')).toMatch(/istioctl reports version 1\.24\.0/);
    expect(install.events.some((e) => e.type === 'ready' && e.summary.includes('istio-system/istiod'))).toBe(true);

    expect(sim.store.get('', 'namespaces', '', 'istio-system')?.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('meshery');
    expect(deployment('istio-system', 'istiod')?.status?.availableReplicas).toBe(1);
    expect(deployment('istio-system', 'istio-ingressgateway')?.status?.availableReplicas).toBe(1);
    // The install option reached istioctl: the mesh config it rendered carries it.
    expect(String((sim.store.get('', 'configmaps', 'istio-system', 'istio')?.['data'] as Record<string, string>)['mesh'])).toContain('accessLogFile: /dev/stdout');

    const record = await host.store.get<{ version: string; inventoryId: string; state: string }>(`install/${contextId}`);
    expect(record).toMatchObject({ version: VERSION, state: 'installed' });
    const inventory = await host.kubernetes.inventory(record!.inventoryId);
    expect(inventory).toContainEqual({ apiVersion: 'v1', kind: 'Namespace', name: 'istio-system' });
    expect(inventory.filter((ref) => ref.kind === 'CustomResourceDefinition')).toHaveLength(7);

    // --- status before istiod has started: its CA is not in the webhook yet ----------------------
    const early = await istio.status({ contextId }, host.operation<Events[number]>().ctx);
    expect(early).toMatchObject({ installed: true, version: VERSION, namespace: 'istio-system', managedByMeshery: true, healthy: false });
    const unhealthy = early.checks.filter((check) => !check.healthy);
    expect(unhealthy.map((check) => check.component)).toEqual(['sidecar injector webhook']);
    expect(unhealthy[0]!.message).toMatch(/istiod has not injected its CA yet/);
    expect(unhealthy[0]!.remediation).toMatch(/kubectl logs deployment\/istiod -n istio-system/);

    await playIstiod(sim, host.kubernetes, contextId, ['istio-system', 'default']);
    const status = await istio.status({ contextId }, host.operation<Events[number]>().ctx);
    expect(status.healthy).toBe(true);
    expect(status.checks.map((check) => [check.component, check.healthy])).toEqual([
      ['CRDs', true],
      ['istiod', true],
      ['istio-ingressgateway', true],
      ['sidecar injector webhook', true],
      ['validation webhook', true],
      ['version', true],
    ]);
    expect(status.checks.find((c) => c.component === 'CRDs')!.message).toBe('7 Istio CRDs established');
    expect(status.checks.find((c) => c.component === 'istiod')!.message).toBe('1/1 replicas available');
    expect(status.checks.find((c) => c.component === 'validation webhook')!.message).toContain('istio-validator-istio-system, istiod-default-validator');

    // --- sample apps ----------------------------------------------------------------------------
    expect((await istio.sampleApps()).map((app) => app.name)).toEqual(['bookinfo', 'httpbin']);
    const bookinfo = host.operation<Events[number]>();
    await istio.deploySampleApp({ contextId, namespace: 'bookinfo', app: 'bookinfo' }, bookinfo.ctx);
    expect(steps(bookinfo.events).join('\n')).toMatch(/Sidecar injection is off for namespace bookinfo/);
    for (const name of ['details-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'productpage-v1']) {
      expect(deployment('bookinfo', name)?.status?.availableReplicas, name).toBe(1);
    }
    expect(sim.store.get('', 'services', 'bookinfo', 'productpage')).toBeDefined();
    const httpbin = host.operation<Events[number]>();
    await istio.deploySampleApp({ contextId, namespace: 'default', app: 'httpbin' }, httpbin.ctx);
    expect(deployment('default', 'httpbin')?.status?.availableReplicas).toBe(1);
    // The archive was fetched once and cached.
    expect(httpbin.events.filter((e) => e.type === 'artifact').map((e) => e.summary).join('\n')).toMatch(/Using cached istio-1\.24\.0/);

    // --- injection ------------------------------------------------------------------------------
    const on = host.operation<Events[number]>();
    await istio.setInjection({ contextId, namespace: 'bookinfo', enabled: true }, on.ctx);
    expect(namespaceLabels('bookinfo')['istio-injection']).toBe('enabled');
    expect(steps(on.events).join('\n')).toMatch(/kubectl rollout restart deployment -n bookinfo/);
    // Status says where injection is on and which sample apps Meshery deployed.
    const withApps = await istio.status({ contextId }, host.operation<Events[number]>().ctx);
    expect(withApps.injectionNamespaces).toEqual(['bookinfo']);
    expect([...(withApps.sampleApps ?? [])].sort((a, b) => a.app.localeCompare(b.app))).toEqual([
      { app: 'bookinfo', namespace: 'bookinfo', ready: true },
      { app: 'httpbin', namespace: 'default', ready: true },
    ]);
    // istiod writes its root certificate into every namespace it sees.
    await createDirectly(sim, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-ca-root-cert\n  namespace: bookinfo\n  labels:\n    istio.io/config: "true"\ndata:\n  root-cert.pem: test\n');
    const off = host.operation<Events[number]>();
    await istio.setInjection({ contextId, namespace: 'bookinfo', enabled: false }, off.ctx);
    expect(namespaceLabels('bookinfo')).not.toHaveProperty('istio-injection');
    expect(steps(off.events).join('\n')).toMatch(/Sidecar injection is off for namespace bookinfo/);

    // --- remove the sample apps -----------------------------------------------------------------
    await istio.removeSampleApp({ contextId, namespace: 'bookinfo', app: 'bookinfo' }, host.operation<Events[number]>().ctx);
    expect(sim.store.get('', 'namespaces', '', 'bookinfo')).toBeUndefined();
    await istio.removeSampleApp({ contextId, namespace: 'default', app: 'httpbin' }, host.operation<Events[number]>().ctx);
    expect(deployment('default', 'httpbin')).toBeUndefined();
    expect(sim.store.get('', 'namespaces', '', 'default')).toBeDefined();

    // --- uninstall ------------------------------------------------------------------------------
    const uninstall = host.operation<Events[number]>();
    await istio.uninstall({ contextId }, uninstall.ctx);
    expect(steps(uninstall.events).join('\n')).toMatch(/1 istio-ca-root-cert ConfigMap/);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
    const after = await istio.status({ contextId }, host.operation<Events[number]>().ctx);
    expect(after).toMatchObject({ installed: false, healthy: false });
    expect(after.checks).toHaveLength(1);
  });
});
