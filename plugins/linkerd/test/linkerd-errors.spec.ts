import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { PluginError, type MeshOperationEvent, type MeshProvider } from '@meshery/plugin-api';
import { startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import { writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliPlatform, cliUrl } from '../src/linkerd-versions.js';
import { buildMirror, clusterObjects, mirrorPath, PLUGIN_DIR, removeDir, unreachableKubeconfig } from './linkerd-test-kit.js';

async function failure(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    return error as PluginError;
  }
  throw new Error('expected the operation to fail');
}

describe('Linkerd errors', () => {
  let sim: KubeSim;
  let mirrorDir: string;
  let host: PluginTestHost;
  let linkerd: MeshProvider;
  let before: string[];
  const extraHosts: PluginTestHost[] = [];
  const extraDirs: string[] = [];

  const op = () => host.operation<MeshOperationEvent>().ctx;

  beforeAll(async () => {
    sim = await startKubeSim({ readyDelayMs: 20 });
    mirrorDir = await buildMirror(['stable-2.14.10', 'edge-24.11.8']);
    host = await startPluginTestHost({
      pluginDir: PLUGIN_DIR,
      config: { readinessTimeoutSeconds: 2 },
      cluster: { kubeconfig: sim.kubeconfig },
      artifactsMirror: mirrorDir,
    });
    linkerd = host.meshProvider('linkerd');
    before = clusterObjects(sim);
  });

  afterEach(async () => {
    // Every failure leaves nothing behind, unless the test cleans up itself.
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  afterAll(async () => {
    for (const h of extraHosts) await h.stop();
    for (const d of extraDirs) await removeDir(d);
    await host?.stop();
    await sim?.close();
    await removeDir(mirrorDir);
  });

  it('refuses an unknown version, listing the known ones', async () => {
    const error = await failure(linkerd.install({ contextId: host.contextId, version: 'stable-2.99.0', options: {} }, op()));
    expect(error.code).toBe('UNSUPPORTED_VERSION');
    expect(error.message).toContain('stable-2.14.10, edge-24.11.8, edge-24.8.2');
  });

  it('refuses unknown or mistyped options and half-given certificates, naming the option', async () => {
    const unknown = await failure(linkerd.install({ contextId: host.contextId, options: { ha: true } }, op()));
    expect(unknown).toMatchObject({ code: 'INVALID_REQUEST', field: 'options.ha' });
    const mistyped = await failure(linkerd.install({ contextId: host.contextId, options: { issuerValidityDays: '365' } }, op()));
    expect(mistyped).toMatchObject({ code: 'INVALID_REQUEST', field: 'options.issuerValidityDays' });
    const half = await failure(linkerd.install({ contextId: host.contextId, options: { trustAnchorPEM: 'x' } }, op()));
    expect(half).toMatchObject({ code: 'INVALID_REQUEST', field: 'options.issuerCertificatePEM' });
    expect(half.message).toMatch(/missing: issuerCertificatePEM, issuerKeyPEM/);
  });

  it('reports an unreachable cluster as CLUSTER_UNREACHABLE', async () => {
    const gone = await startPluginTestHost({ pluginDir: PLUGIN_DIR, cluster: { kubeconfig: await unreachableKubeconfig() }, artifactsMirror: mirrorDir });
    extraHosts.push(gone);
    const error = await failure(gone.meshProvider('linkerd').install({ contextId: gone.contextId, options: {} }, gone.operation<MeshOperationEvent>().ctx));
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(await gone.store.keys()).toEqual([]);
  }, 30_000);

  it('refuses to uninstall what is not installed', async () => {
    const error = await failure(linkerd.uninstall({ contextId: host.contextId }, op()));
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/not installed by Meshery/);
  });

  it('fails on a checksum mismatch in the mirror, applying nothing', async () => {
    const tampered = await buildMirror(['stable-2.14.10']);
    extraDirs.push(tampered);
    await writeFile(mirrorPath(tampered, cliUrl('stable-2.14.10')), '#!/bin/sh\necho not linkerd\n');
    const h = await startPluginTestHost({ pluginDir: PLUGIN_DIR, cluster: { kubeconfig: sim.kubeconfig }, artifactsMirror: tampered });
    extraHosts.push(h);
    const error = await failure(h.meshProvider('linkerd').install({ contextId: h.contextId, options: {} }, h.operation<MeshOperationEvent>().ctx));
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/Checksum mismatch for linkerd2-cli-stable-2\.14\.10-/);
    expect(await h.store.keys()).toEqual([]);
  });

  it('fails when the mirror lacks the CLI, telling where to put it', async () => {
    const error = await failure(
      linkerd.install({ contextId: host.contextId, version: 'edge-24.8.2', options: {} }, op()),
    );
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.remediation).toContain(`github.com/linkerd/linkerd2/releases/download/edge-24.8.2/linkerd2-cli-edge-24.8.2-${cliPlatform()}`);
  });

  it('refuses a configured cliPath of another version', async () => {
    const h = await startPluginTestHost({
      pluginDir: PLUGIN_DIR,
      config: { cliPath: mirrorPath(mirrorDir, cliUrl('edge-24.11.8')) },
      cluster: { kubeconfig: sim.kubeconfig },
    });
    extraHosts.push(h);
    const error = await failure(h.meshProvider('linkerd').install({ contextId: h.contextId, options: {} }, h.operation<MeshOperationEvent>().ctx));
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/is edge-24\.11\.8, not stable-2\.14\.10/);
  });

  it('kills a hanging CLI when the operation is cancelled (CANCELLED) or takes too long (TIMEOUT)', async () => {
    const hanging = await buildMirror(['stable-2.14.10'], { hang: true });
    extraDirs.push(hanging);
    const h = await startPluginTestHost({ pluginDir: PLUGIN_DIR, config: { cliTimeoutSeconds: 1 }, cluster: { kubeconfig: sim.kubeconfig }, artifactsMirror: hanging });
    extraHosts.push(h);
    const cancelled = h.operation<MeshOperationEvent>();
    const running = h.meshProvider('linkerd').install({ contextId: h.contextId, options: {} }, cancelled.ctx);
    setTimeout(() => cancelled.abort(), 300);
    expect((await failure(running)).code).toBe('CANCELLED');

    const started = Date.now();
    const timedOut = await failure(h.meshProvider('linkerd').install({ contextId: h.contextId, options: {} }, h.operation<MeshOperationEvent>().ctx));
    expect(timedOut.code).toBe('TIMEOUT');
    expect(timedOut.message).toMatch(/linkerd install --ignore-cluster .* did not finish within 1 s/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await h.store.keys()).toEqual([]);
  });

  it('reports a control plane that never becomes ready as TIMEOUT naming the workload, then uninstalls cleanly', async () => {
    sim.neverReady({ resource: 'deployments', name: 'linkerd-destination' });
    const error = await failure(linkerd.install({ contextId: host.contextId, options: {} }, op()));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/linkerd-destination/);

    const status = await linkerd.status({ contextId: host.contextId }, op());
    expect(status).toMatchObject({ installed: true, managedByMeshery: true, healthy: false });
    expect(status.checks.find((c) => c.component === 'installation')).toMatchObject({ healthy: false });
    const destination = status.checks.find((c) => c.component === 'linkerd-destination')!;
    expect(destination).toMatchObject({ healthy: false, message: '0/1 replicas available' });
    expect(destination.remediation).toMatch(/kubectl -n linkerd describe deployment linkerd-destination/);
    expect(status.checks.find((c) => c.component === 'linkerd-identity')).toMatchObject({ healthy: true });

    await linkerd.uninstall({ contextId: host.contextId }, op());
  });

  it('refuses sample-app and injection requests that cannot be honoured', async () => {
    expect(await failure(linkerd.deploySampleApp({ contextId: host.contextId, namespace: 'demo', app: 'bookinfo' }, op()))).toMatchObject({ code: 'INVALID_REQUEST', field: 'app' });
    expect(await failure(linkerd.deploySampleApp({ contextId: host.contextId, namespace: 'Not_A_Name', app: 'emojivoto' }, op()))).toMatchObject({ code: 'INVALID_REQUEST', field: 'namespace' });
    const notDeployed = await failure(linkerd.removeSampleApp({ contextId: host.contextId, namespace: 'default', app: 'emojivoto' }, op()));
    expect(notDeployed.code).toBe('PRECONDITION_FAILED');
    const missing = await failure(linkerd.setInjection({ contextId: host.contextId, namespace: 'nowhere', enabled: true }, op()));
    expect(missing.code).toBe('PRECONDITION_FAILED');
    expect(missing.message).toBe('Namespace nowhere does not exist');
  });

  it('verifies a sample app manifest against a digest pinned in the configuration', async () => {
    const h = await startPluginTestHost({
      pluginDir: PLUGIN_DIR,
      config: { sampleAppSha256: { emojivoto: '0'.repeat(64) } },
      cluster: { kubeconfig: sim.kubeconfig },
      artifactsMirror: mirrorDir,
    });
    extraHosts.push(h);
    const error = await failure(h.meshProvider('linkerd').deploySampleApp({ contextId: h.contextId, namespace: 'demo', app: 'emojivoto' }, h.operation<MeshOperationEvent>().ctx));
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/Checksum mismatch for emojivoto\.yml/);
    expect(await h.store.keys()).toEqual([]);
  });

  it('names the platforms it can download a CLI for', () => {
    expect(cliPlatform('linux', 'x64')).toBe('linux-amd64');
    expect(cliPlatform('linux', 'arm64')).toBe('linux-arm64');
    expect(cliPlatform('darwin', 'x64')).toBe('darwin');
    expect(cliPlatform('darwin', 'arm64')).toBe('darwin-arm64');
    let error: unknown;
    try {
      cliPlatform('win32', 'x64');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', message: 'No Linkerd CLI is published for win32/x64 that this plugin can download' });
    expect((error as PluginError).remediation).toMatch(/"cliPath"/);
  });
});
