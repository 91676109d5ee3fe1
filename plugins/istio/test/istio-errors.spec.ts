import { PluginError } from '@meshery/plugin-api';
import { buildKubeconfig, startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { closedPort, startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildIstioMirror,
  clusterObjects,
  createDirectly,
  foreignControlPlane,
  mirrorPaths,
  platform,
  pluginDir,
  sha256Of,
  tempDir,
  writeFakeIstioctl,
  type Events,
} from './istio-fixtures.js';

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    return error as PluginError;
  }
  throw new Error('expected the operation to fail');
}

describe('Istio plugin errors and foreign installations (mirror as a directory)', () => {
  let root: string;
  let mirror: string;
  let sim: KubeSim | undefined;
  let host: PluginTestHost | undefined;

  beforeAll(async () => {
    root = await tempDir('meshery-istio-errors-');
    mirror = await buildIstioMirror(root, ['1.24.0', '1.23.2']);
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

  /** A fresh kube-sim and plugin host; returned non-null for the test's use. */
  async function start(options: { config?: Record<string, unknown>; mirror?: string | null } = {}): Promise<{ sim: KubeSim; host: PluginTestHost }> {
    sim = await startKubeSim({ readyDelayMs: 20 });
    host = await startPluginTestHost({
      pluginDir,
      config: { readinessTimeoutSeconds: 20, ...options.config },
      cluster: { kubeconfig: sim.kubeconfig },
      ...(options.mirror === null ? {} : { artifactsMirror: options.mirror ?? mirror }),
    });
    return { sim, host };
  }
  const op = () => host!.operation<Events[number]>().ctx;

  it('lists the pinned versions and the configured ones; refuses an unknown version with UNSUPPORTED_VERSION listing them', async () => {
    const { sim, host } = await start({ config: { versions: ['1.25.1'] } });
    const istio = host.meshProvider('istio');
    expect(await istio.listVersions()).toEqual([
      { version: '1.24.0', default: true },
      { version: '1.23.2', default: false },
      { version: '1.22.3', default: false },
      { version: '1.25.1', default: false },
    ]);
    const before = clusterObjects(sim);
    const error = await rejection(istio.install({ contextId: host.contextId, version: '1.9.9', options: {} }, op()));
    expect(error.code).toBe('UNSUPPORTED_VERSION');
    expect(error.message).toContain('1.24.0, 1.23.2, 1.22.3, 1.25.1');
    expect(clusterObjects(sim)).toEqual(before);
  });

  it('refuses bad install options with INVALID_REQUEST naming the option, and reports istioctl failures with its stderr', async () => {
    const { sim, host } = await start();
    const istio = host.meshProvider('istio');
    const unknown = await rejection(istio.install({ contextId: host.contextId, options: { profile: 'demo' } }, op()));
    expect(unknown).toMatchObject({ code: 'INVALID_REQUEST', field: 'options.profile' });
    const reserved = await rejection(istio.install({ contextId: host.contextId, options: { set: { profile: 'demo' } } }, op()));
    expect(reserved).toMatchObject({ code: 'INVALID_REQUEST', field: 'options.set.profile' });
    const wrongType = await rejection(istio.install({ contextId: host.contextId, options: { readinessTimeoutSeconds: '30' } }, op()));
    expect(wrongType).toMatchObject({ code: 'INVALID_REQUEST', field: 'options.readinessTimeoutSeconds' });
    const before = clusterObjects(sim);
    const cli = await rejection(istio.install({ contextId: host.contextId, options: { set: { 'values.pilot.nope': 1 } } }, op()));
    expect(cli.code).toBe('PRECONDITION_FAILED');
    expect(cli.message).toMatch(/istioctl manifest generate .* failed \(exit 1\): Error: generate config: unknown field "values\.pilot\.nope"/);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  it('cannot reach a cluster on a closed port: CLUSTER_UNREACHABLE', async () => {
    const port = await closedPort();
    const unreachable = await startPluginTestHost({ pluginDir, cluster: { kubeconfig: buildKubeconfig({ server: `http://127.0.0.1:${port}` }) }, artifactsMirror: mirror });
    host = unreachable;
    const error = await rejection(unreachable.meshProvider('istio').install({ contextId: host.contextId, options: {} }, op()));
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(await unreachable.store.keys()).toEqual([]);
  }, 40_000);

  it('a checksum mismatch in the mirror fails with PRECONDITION_FAILED before anything is applied', async () => {
    const corrupt = await tempDir('meshery-istio-corrupt-');
    try {
      const copy = await buildIstioMirror(corrupt, ['1.24.0']);
      const { checksum } = mirrorPaths(copy, '1.24.0');
      const line = await readFile(checksum, 'utf8');
      await writeFile(checksum, `${'0'.repeat(64)}${line.slice(64)}`);
      const { sim, host } = await start({ mirror: copy });
      const before = clusterObjects(sim);
      const error = await rejection(host.meshProvider('istio').install({ contextId: host.contextId, options: {} }, op()));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toMatch(/Checksum mismatch for istio-1\.24\.0-/);
      expect(clusterObjects(sim)).toEqual(before);
      expect(await host.store.keys()).toEqual([]);
    } finally {
      await rm(corrupt, { recursive: true, force: true });
    }
  });

  it('verifies against a digest pinned in "checksums" instead of the mirror\'s .sha256 file', async () => {
    const corrupt = await tempDir('meshery-istio-pinned-');
    try {
      const copy = await buildIstioMirror(corrupt, ['1.24.0']);
      const { archive, checksum } = mirrorPaths(copy, '1.24.0');
      const digest = await sha256Of(archive);
      // A mirror whose checksum file was tampered with along with (or instead of) the archive.
      await writeFile(checksum, `${'0'.repeat(64)}  ${archive.split('/').pop()}\n`);
      const { host } = await start({ mirror: copy, config: { checksums: { [`1.24.0/${platform}`]: digest.toUpperCase() } } });
      const install = host.operation<Events[number]>();
      await host.meshProvider('istio').install({ contextId: host.contextId, version: '1.24.0', options: {} }, install.ctx);
      expect(install.events.map((e) => e.summary).join('\n')).toMatch(/verified against the SHA-256 pinned in the configuration \(checksums: [0-9a-f]{12}…\)/);
      expect(install.events.filter((e) => e.type === 'artifact').map((e) => e.summary).join('\n')).toMatch(/SHA-256 verified/);
    } finally {
      await rm(corrupt, { recursive: true, force: true });
    }
  });

  it('a pinned digest the archive does not match fails with PRECONDITION_FAILED, even when the mirror\'s .sha256 file agrees with the archive', async () => {
    const fileName = `istio-1.24.0-${platform}.tar.gz`;
    const { sim, host } = await start({ config: { checksums: { [fileName]: 'ab'.repeat(32) } } });
    const before = clusterObjects(sim);
    const error = await rejection(host.meshProvider('istio').install({ contextId: host.contextId, version: '1.24.0', options: {} }, op()));
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(new RegExp(`Checksum mismatch for ${fileName.replaceAll('.', '\\.')} .*expected ${'ab'.repeat(32)}`));
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  it('detects a foreign installation: status reads its version, install and uninstall refuse and apply nothing', async () => {
    const { sim, host } = await start();
    const istio = host.meshProvider('istio');
    await createDirectly(sim, foreignControlPlane('1.23.2'));
    const before = clusterObjects(sim);

    const status = await istio.status({ contextId: host.contextId }, op());
    expect(status).toMatchObject({ installed: true, version: '1.23.2', namespace: 'istio-system', managedByMeshery: false, healthy: false });
    expect(status.checks.find((c) => c.component === 'version')).toMatchObject({ healthy: true, message: expect.stringMatching(/istiod runs 1\.23\.2 \(not installed by Meshery/) });
    expect(status.checks.find((c) => c.component === 'sidecar injector webhook')).toMatchObject({ healthy: false, remediation: expect.any(String) });

    const install = await rejection(istio.install({ contextId: host.contextId, version: '1.23.2', options: {} }, op()));
    expect(install.code).toBe('PRECONDITION_FAILED');
    expect(install.message).toMatch(/Istio 1\.23\.2 is already installed in namespace istio-system .* by someone else; nothing was applied/);
    expect(install.remediation).toMatch(/istioctl uninstall --purge/);
    expect(clusterObjects(sim)).toEqual(before);

    const uninstall = await rejection(istio.uninstall({ contextId: host.contextId }, op()));
    expect(uninstall.code).toBe('PRECONDITION_FAILED');
    expect(uninstall.message).toMatch(/installed by someone else/);
    expect(uninstall.remediation).toMatch(/istioctl uninstall --purge -y .* kubectl delete namespace istio-system/);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  it('reads a foreign control plane version from the pilot image tag when it has no version label', async () => {
    const { sim, host } = await start();
    await createDirectly(sim, foreignControlPlane('1.22.3', 'mesh-system', false));
    const status = await host.meshProvider('istio').status({ contextId: host.contextId }, op());
    expect(status).toMatchObject({ installed: true, version: '1.22.3', namespace: 'mesh-system', managedByMeshery: false });
  });

  it('uninstall with nothing installed, and install over its own other version, fail with PRECONDITION_FAILED', async () => {
    const { sim, host } = await start();
    const istio = host.meshProvider('istio');
    const nothing = await rejection(istio.uninstall({ contextId: host.contextId }, op()));
    expect(nothing).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringMatching(/nothing to uninstall/) });
    const notInstalled = await istio.status({ contextId: host.contextId }, op());
    expect(notInstalled).toEqual({ installed: false, healthy: false, checks: [expect.objectContaining({ healthy: false })], injectionNamespaces: [], sampleApps: [] });

    await istio.install({ contextId: host.contextId, version: '1.23.2', options: {} }, op());
    const before = clusterObjects(sim);
    const other = await rejection(istio.install({ contextId: host.contextId, version: '1.24.0', options: {} }, op()));
    expect(other.code).toBe('PRECONDITION_FAILED');
    expect(other.message).toMatch(/Istio 1\.23\.2 is installed by Meshery/);
    expect(other.remediation).toMatch(/Uninstall Istio 1\.23\.2 first/);
    expect(clusterObjects(sim)).toEqual(before);
    await istio.uninstall({ contextId: host.contextId }, op());
  });

  it('uses istioctl from cliPath without downloading, and refuses one of another version', async () => {
    const bin = await tempDir('meshery-istio-cli-');
    try {
      const cliPath = await writeFakeIstioctl(bin, '1.24.0');
      const { sim, host } = await start({ config: { cliPath }, mirror: null });
      const istio = host.meshProvider('istio');
      const events = host.operation<Events[number]>();
      await istio.install({ contextId: host.contextId, version: '1.24.0', options: {} }, events.ctx);
      expect(events.events.filter((e) => e.type === 'artifact')).toEqual([]);
      expect(sim.store.get('apps', 'deployments', 'istio-system', 'istiod')).toBeDefined();
      await istio.uninstall({ contextId: host.contextId }, op());

      const mismatch = await rejection(istio.install({ contextId: host.contextId, version: '1.23.2', options: {} }, op()));
      expect(mismatch.code).toBe('PRECONDITION_FAILED');
      expect(mismatch.message).toMatch(/is version 1\.24\.0, not 1\.23\.2/);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  it('refuses sample apps and injection requests that cannot be carried out', async () => {
    const { sim, host } = await start();
    const istio = host.meshProvider('istio');
    expect(await rejection(istio.deploySampleApp({ contextId: host.contextId, namespace: 'demo', app: 'emojivoto' }, op()))).toMatchObject({ code: 'INVALID_REQUEST', field: 'app' });
    expect(await rejection(istio.deploySampleApp({ contextId: host.contextId, namespace: 'Demo_1', app: 'httpbin' }, op()))).toMatchObject({ code: 'INVALID_REQUEST', field: 'namespace' });
    expect(await rejection(istio.removeSampleApp({ contextId: host.contextId, namespace: 'demo', app: 'httpbin' }, op()))).toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: 'httpbin is not deployed by Meshery in namespace demo',
    });
    expect(await rejection(istio.setInjection({ contextId: host.contextId, namespace: 'missing', enabled: true }, op()))).toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: 'Namespace missing does not exist',
    });
  });

  it('deploys a sample app without Istio (saying sidecars need injection), into a namespace it creates and deletes again', async () => {
    const { sim, host } = await start();
    const istio = host.meshProvider('istio');
    const before = clusterObjects(sim);
    const deploy = host.operation<Events[number]>();
    await istio.deploySampleApp({ contextId: host.contextId, namespace: 'demo', app: 'httpbin' }, deploy.ctx);
    expect(deploy.events.filter((e) => e.type === 'step').map((e) => e.summary).join('\n')).toMatch(/Istio is not installed on this cluster: httpbin runs without sidecars\. Sidecars are only injected when/);
    await istio.deploySampleApp({ contextId: host.contextId, namespace: 'demo', app: 'bookinfo' }, op());
    // Removing one app keeps the namespace the other still lives in.
    await istio.removeSampleApp({ contextId: host.contextId, namespace: 'demo', app: 'httpbin' }, op());
    expect(sim.store.get('apps', 'deployments', 'demo', 'productpage-v1')).toBeDefined();
    await istio.removeSampleApp({ contextId: host.contextId, namespace: 'demo', app: 'bookinfo' }, op());
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  it('tells when a namespace also carries istio.io/rev', async () => {
    const { sim, host } = await start();
    await createDirectly(sim, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: canary\n  labels:\n    istio.io/rev: canary\n');
    const istio = host.meshProvider('istio');
    const on = host.operation<Events[number]>();
    await istio.setInjection({ contextId: host.contextId, namespace: 'canary', enabled: true }, on.ctx);
    expect(on.events.map((e) => e.summary).join('\n')).toMatch(/also carries istio\.io\/rev=canary: while both labels are there, istio-injection takes precedence/);
    const off = host.operation<Events[number]>();
    await istio.setInjection({ contextId: host.contextId, namespace: 'canary', enabled: false }, off.ctx);
    expect(off.events.map((e) => e.summary).join('\n')).toMatch(/still carries istio\.io\/rev=canary, which takes precedence now/);
    expect(sim.store.get('', 'namespaces', '', 'canary')?.metadata?.labels).toMatchObject({ 'istio.io/rev': 'canary' });
    expect(sim.store.get('', 'namespaces', '', 'canary')?.metadata?.labels).not.toHaveProperty('istio-injection');
  });
});
