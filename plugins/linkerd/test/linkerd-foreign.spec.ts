import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { PluginError, type MeshOperationEvent, type MeshProvider } from '@meshery/plugin-api';
import { startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrustAnchor, issueIssuer } from '../src/linkerd-certificates.js';
import { cliUrl } from '../src/linkerd-versions.js';
import { applyAsForeignTool, buildMirror, clusterObjects, mirrorPath, PLUGIN_DIR, removeDir } from './linkerd-test-kit.js';

const run = promisify(execFile);

/** What "linkerd install --crds" and "linkerd install" print, run as a user would (fake CLI). */
async function renderWithCli(cli: string, issuerDays: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'linkerd-foreign-'));
  try {
    await chmod(dir, 0o700);
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfig, '');
    const now = new Date();
    const anchor = await generateTrustAnchor(3650, now);
    const issuer = await issueIssuer(anchor.certificatePEM, anchor.keyPEM, issuerDays, now);
    const files = { ca: path.join(dir, 'ca.crt'), crt: path.join(dir, 'issuer.crt'), key: path.join(dir, 'issuer.key') };
    await writeFile(files.ca, anchor.certificatePEM, { mode: 0o600 });
    await writeFile(files.crt, issuer.certificatePEM, { mode: 0o600 });
    await writeFile(files.key, issuer.keyPEM, { mode: 0o600 });
    const env = { PATH: process.env['PATH'], KUBECONFIG: kubeconfig };
    const crds = await run(cli, ['install', '--crds', '--ignore-cluster'], { env });
    const cp = await run(cli, ['install', '--ignore-cluster', '--identity-trust-anchors-file', files.ca, '--identity-issuer-certificate-file', files.crt, '--identity-issuer-key-file', files.key], { env });
    return `${crds.stdout}\n---\n${cp.stdout}`;
  } finally {
    await removeDir(dir);
  }
}

async function settle(sim: KubeSim): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ready = ['linkerd-identity', 'linkerd-destination', 'linkerd-proxy-injector'].every(
      (name) => (sim.store.get('apps', 'deployments', 'linkerd', name) as any)?.status?.availableReplicas === 1,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the foreign control plane did not become ready');
}

describe('A Linkerd installed by someone else', () => {
  let sim: KubeSim;
  let mirrorDir: string;
  let host: PluginTestHost;
  let linkerd: MeshProvider;
  let cli: string;

  const op = () => host.operation<MeshOperationEvent>().ctx;

  beforeAll(async () => {
    sim = await startKubeSim({ readyDelayMs: 20 });
    mirrorDir = await buildMirror();
    cli = mirrorPath(mirrorDir, cliUrl('stable-2.14.10'));
    host = await startPluginTestHost({ pluginDir: PLUGIN_DIR, cluster: { kubeconfig: sim.kubeconfig }, artifactsMirror: mirrorDir });
    linkerd = host.meshProvider('linkerd');
    await applyAsForeignTool(sim, await renderWithCli(cli, 365));
    await settle(sim);
  });

  afterAll(async () => {
    await host?.stop();
    await sim?.close();
    await removeDir(mirrorDir);
  });

  it('is detected from the cluster: installed, its version and namespace, not managed by Meshery, healthy', async () => {
    const status = await linkerd.status({ contextId: host.contextId }, op());
    expect(status).toMatchObject({ installed: true, version: 'stable-2.14.10', namespace: 'linkerd', managedByMeshery: false, healthy: true });
    expect(status.checks).toHaveLength(8);
  });

  it('is not installed over: PRECONDITION_FAILED saying what was found, and nothing applied', async () => {
    const objects = clusterObjects(sim);
    const version = sim.store.resourceVersion;
    const error = (await linkerd.install({ contextId: host.contextId, options: {} }, op()).catch((e: unknown) => e)) as PluginError;
    expect(error).toBeInstanceOf(PluginError);
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/Linkerd stable-2\.14\.10 in namespace linkerd is already installed, and not by this Meshery server/);
    expect(error.remediation).toMatch(/linkerd uninstall \| kubectl delete -f -/);
    expect(clusterObjects(sim)).toEqual(objects);
    expect(sim.store.resourceVersion).toBe(version);
    expect(await host.store.keys()).toEqual([]);
  });

  it('is not uninstalled: PRECONDITION_FAILED telling how its owner removes it', async () => {
    const error = (await linkerd.uninstall({ contextId: host.contextId }, op()).catch((e: unknown) => e)) as PluginError;
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/was not installed by this Meshery server/);
    expect(error.remediation).toMatch(/helm uninstall linkerd-control-plane -n linkerd/);
    expect(sim.store.get('apps', 'deployments', 'linkerd', 'linkerd-identity')).toBeDefined();
  });

  it('refuses injection on the control-plane namespace', async () => {
    const error = (await linkerd.setInjection({ contextId: host.contextId, namespace: 'linkerd', enabled: true }, op()).catch((e: unknown) => e)) as PluginError;
    expect(error.code).toBe('PRECONDITION_FAILED');
  });

  it('reports an issuer certificate expiring within 60 days as unhealthy, with a remediation', async () => {
    // Re-render with a 20-day issuer but keep the cluster's trust anchor: the issuer is then not signed by it either.
    const manifest = await renderWithCli(cli, 20);
    const issuerDoc = manifest.split(/^---$/m).find((doc) => /name: linkerd-identity-issuer\n/.test(doc) && /kind: Secret/.test(doc))!;
    await applyAsForeignTool(sim, issuerDoc);
    const status = await linkerd.status({ contextId: host.contextId }, op());
    expect(status.healthy).toBe(false);
    const issuer = status.checks.find((c) => c.component === 'issuer certificate')!;
    expect(issuer.healthy).toBe(false);
    expect(issuer.message).toMatch(/not signed by the trust anchor|expires on/);
    expect(issuer.remediation).toMatch(/kubectl -n linkerd get secret linkerd-identity-issuer/);

    // Now the matching trust anchor too: only the near expiry remains.
    const rootsDoc = manifest.split(/^---$/m).find((doc) => /name: linkerd-identity-trust-roots\n/.test(doc))!;
    await applyAsForeignTool(sim, rootsDoc);
    const again = (await linkerd.status({ contextId: host.contextId }, op())).checks.find((c) => c.component === 'issuer certificate')!;
    expect(again.healthy).toBe(false);
    expect(again.message).toMatch(/expires on .* in (19|20) days \(less than 60\)/);
  });

  it('reports a missing control-plane workload and a webhook without CA bundle', async () => {
    await fetch(`${sim.url}/apis/apps/v1/namespaces/linkerd/deployments/linkerd-proxy-injector`, { method: 'DELETE', headers: { authorization: `Bearer ${sim.token}` } });
    await fetch(`${sim.url}/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/linkerd-proxy-injector-webhook-config`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'remove', path: '/webhooks/0/clientConfig/caBundle' }]),
    });
    const checks = (await linkerd.status({ contextId: host.contextId }, op())).checks;
    expect(checks.find((c) => c.component === 'linkerd-proxy-injector')).toMatchObject({ healthy: false, message: 'Deployment linkerd/linkerd-proxy-injector not found' });
    expect(checks.find((c) => c.component === 'proxy injector webhook')).toMatchObject({ healthy: false });
    expect(checks.find((c) => c.component === 'linkerd-identity')).toMatchObject({ healthy: true });
  });
});
