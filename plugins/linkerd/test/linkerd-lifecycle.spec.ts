import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import type { MeshOperationEvent, MeshProvider } from '@meshery/plugin-api';
import { startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliUrl } from '../src/linkerd-versions.js';
import { buildMirror, clusterObjects, PLUGIN_DIR, removeDir, serveDirectory, steps } from './linkerd-test-kit.js';

/**
 * The whole life of an installation against kube-sim, with the artifacts mirror served over HTTP:
 * install, health, both sample apps, injection on and off, removal, uninstall — and the cluster
 * and the plugin's store are left exactly as they were found.
 */
describe('Linkerd lifecycle (mirror over HTTP)', () => {
  let sim: KubeSim;
  let mirrorDir: string;
  let mirror: Awaited<ReturnType<typeof serveDirectory>>;
  let host: PluginTestHost;
  let linkerd: MeshProvider;
  let before: string[];

  beforeAll(async () => {
    sim = await startKubeSim({ readyDelayMs: 20 });
    mirrorDir = await buildMirror();
    mirror = await serveDirectory(mirrorDir);
    host = await startPluginTestHost({
      pluginDir: PLUGIN_DIR,
      config: { readinessTimeoutSeconds: 20 },
      cluster: { kubeconfig: sim.kubeconfig },
      artifactsMirror: mirror.url,
    });
    linkerd = host.meshProvider('linkerd');
    before = clusterObjects(sim);
  });

  afterAll(async () => {
    await host?.stop();
    await mirror?.close();
    await sim?.close();
    await removeDir(mirrorDir);
  });

  it('describes itself: versions with stable-2.14.10 as default, two sample apps', async () => {
    expect(linkerd.descriptor).toEqual({ mesh: 'linkerd', displayName: 'Linkerd', operations: ['install', 'uninstall', 'status', 'sample-apps', 'injection'] });
    const versions = await linkerd.listVersions();
    expect(versions.find((v) => v.default)?.version).toBe('stable-2.14.10');
    expect((await linkerd.sampleApps()).map((a) => a.name)).toEqual(['emojivoto', 'booksapp']);
  });

  it('reports "not installed" before anything is installed', async () => {
    const status = await linkerd.status({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx);
    expect(status).toMatchObject({ installed: false, healthy: false });
    expect(status.checks).toHaveLength(1);
    expect(status.checks[0]).toMatchObject({ component: 'control plane', healthy: false, message: 'No Linkerd control plane was found in the cluster' });
  });

  it('installs the CRDs and control plane from the mirror and reports every check healthy', async () => {
    const op = host.operation<MeshOperationEvent>();
    await linkerd.install({ contextId: host.contextId, options: {} }, op.ctx);

    // The CLI came from the HTTP mirror and was verified by its published checksum.
    const cli = new URL(cliUrl('stable-2.14.10'));
    expect(mirror.requests).toContain(`/${cli.host}${cli.pathname}`);
    expect(mirror.requests).toContain(`/${cli.host}${cli.pathname}.sha256`);
    expect(op.events.some((e) => e.type === 'artifact' && /SHA-256 verified/.test(e.summary))).toBe(true);
    expect(steps(op.events).some((s) => /Generated a trust anchor/.test(s))).toBe(true);

    // CRDs and the control plane are in the cluster, labelled as Meshery's.
    expect(sim.store.get('apiextensions.k8s.io', 'customresourcedefinitions', '', 'servers.policy.linkerd.io')).toBeDefined();
    const identity = sim.store.get('apps', 'deployments', 'linkerd', 'linkerd-identity')!;
    expect(identity.metadata!.labels!['app.kubernetes.io/managed-by']).toBe('meshery');

    // The certificates the control plane got are the ones kept in the store, and form a chain.
    const kept = (await host.store.get<Record<string, string>>(`certificates/${host.contextId}`))!;
    const roots = sim.store.get('', 'configmaps', 'linkerd', 'linkerd-identity-trust-roots')!;
    expect((roots as any).data['ca-bundle.crt'].trim()).toBe(kept['trustAnchorPEM']!.trim());
    const anchor = new x509.X509Certificate(kept['trustAnchorPEM']!);
    const issuer = new x509.X509Certificate(kept['issuerCertificatePEM']!);
    expect(anchor.subject).toBe('CN=root.linkerd.cluster.local');
    expect(issuer.subject).toBe('CN=identity.linkerd.cluster.local');
    expect(await issuer.verify({ publicKey: anchor.publicKey })).toBe(true);
    expect(issuer.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0 });
    expect(kept['issuerKeyPEM']).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);

    const record = await host.store.get<Record<string, string>>(`install/${host.contextId}`);
    expect(record).toMatchObject({ version: 'stable-2.14.10', namespace: 'linkerd', state: 'installed' });

    const status = await linkerd.status({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx);
    expect(status).toMatchObject({ installed: true, version: 'stable-2.14.10', namespace: 'linkerd', managedByMeshery: true, healthy: true });
    expect(status.checks.map((c) => c.component)).toEqual([
      'CRDs',
      'linkerd-identity',
      'linkerd-destination',
      'linkerd-proxy-injector',
      'trust anchors',
      'issuer certificate',
      'proxy injector webhook',
      'control plane version',
    ]);
    for (const check of status.checks) expect(check, check.component).toMatchObject({ healthy: true });
    expect(status.checks.find((c) => c.component === 'linkerd-identity')!.message).toBe('1/1 replicas available');
  });

  it('deploys emojivoto into a new namespace, moving its objects and service addresses there', async () => {
    const op = host.operation<MeshOperationEvent>();
    await linkerd.deploySampleApp({ contextId: host.contextId, namespace: 'demo', app: 'emojivoto' }, op.ctx);
    for (const name of ['emoji', 'vote-bot', 'voting', 'web']) {
      expect(sim.store.get('apps', 'deployments', 'demo', name), name).toBeDefined();
    }
    expect(sim.store.get('', 'namespaces', '', 'emojivoto')).toBeUndefined();
    const bot = sim.store.get('apps', 'deployments', 'demo', 'vote-bot') as any;
    expect(bot.spec.template.spec.containers[0].env).toContainEqual({ name: 'WEB_HOST', value: 'web-svc.demo:80' });
    expect(op.events.some((e) => e.type === 'artifact' && /no published checksum/.test(e.summary))).toBe(true);
    expect(steps(op.events).some((s) => /Creating namespace demo/.test(s))).toBe(true);
  });

  it('deploys booksapp into the same namespace', async () => {
    await linkerd.deploySampleApp({ contextId: host.contextId, namespace: 'demo', app: 'booksapp' }, host.operation<MeshOperationEvent>().ctx);
    for (const name of ['webapp', 'authors', 'books', 'traffic']) {
      expect(sim.store.get('apps', 'deployments', 'demo', name), name).toBeDefined();
    }
    expect((sim.store.get('apps', 'deployments', 'demo', 'webapp') as any).status.availableReplicas).toBe(3);
  });

  it('turns proxy injection on and off with the namespace annotation', async () => {
    const on = host.operation<MeshOperationEvent>();
    await linkerd.setInjection({ contextId: host.contextId, namespace: 'demo', enabled: true }, on.ctx);
    expect(sim.store.get('', 'namespaces', '', 'demo')!.metadata!.annotations!['linkerd.io/inject']).toBe('enabled');
    expect(steps(on.events).join('\n')).toMatch(/kubectl rollout restart deployment -n demo/);
    // Status says where injection is on and which sample apps Meshery deployed.
    const status = await linkerd.status({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx);
    expect(status.injectionNamespaces).toEqual(['demo']);
    expect([...(status.sampleApps ?? [])].sort((a, b) => a.app.localeCompare(b.app))).toEqual([
      { app: 'booksapp', namespace: 'demo', ready: true },
      { app: 'emojivoto', namespace: 'demo', ready: true },
    ]);

    await linkerd.setInjection({ contextId: host.contextId, namespace: 'demo', enabled: false }, host.operation<MeshOperationEvent>().ctx);
    expect(sim.store.get('', 'namespaces', '', 'demo')!.metadata!.annotations?.['linkerd.io/inject']).toBeUndefined();
  });

  it('removes the sample apps, and the namespace it created with the last one', async () => {
    await linkerd.removeSampleApp({ contextId: host.contextId, namespace: 'demo', app: 'emojivoto' }, host.operation<MeshOperationEvent>().ctx);
    expect(sim.store.get('apps', 'deployments', 'demo', 'web')).toBeUndefined();
    expect(sim.store.get('apps', 'deployments', 'demo', 'webapp')).toBeDefined();
    expect(sim.store.get('', 'namespaces', '', 'demo')).toBeDefined();

    await linkerd.removeSampleApp({ contextId: host.contextId, namespace: 'demo', app: 'booksapp' }, host.operation<MeshOperationEvent>().ctx);
    expect(sim.store.get('', 'namespaces', '', 'demo')).toBeUndefined();
  });

  it('uninstalls, leaving the cluster and the store exactly as they were', async () => {
    const op = host.operation<MeshOperationEvent>();
    await linkerd.uninstall({ contextId: host.contextId }, op.ctx);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
    expect((await linkerd.status({ contextId: host.contextId }, host.operation<MeshOperationEvent>().ctx)).installed).toBe(false);
  });
});
