import { PluginError, type MeshOperationEvent, type OperationContext } from '@meshery/plugin-api';
import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildIstioMirror, clusterObjects, pluginDir, playIstiod, steps, tempDir, type Events } from './istio-fixtures.js';

const VERSION = '1.24.0';

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise;
  } catch (error) {
    return error as PluginError;
  }
  throw new Error('expected the operation to fail');
}

describe('Istio install interrupted, timed out or cancelled (mirror as a directory)', () => {
  let root: string;
  let mirror: string;
  let sim: KubeSim;
  let host: PluginTestHost;

  beforeAll(async () => {
    root = await tempDir('meshery-istio-recovery-');
    mirror = await buildIstioMirror(root, [VERSION]);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  afterEach(async () => {
    await host?.stop();
    await sim?.close();
  });

  async function start(config: Record<string, unknown> = {}): Promise<void> {
    sim = await startKubeSim({ readyDelayMs: 30 });
    host = await startPluginTestHost({ pluginDir, config: { readinessTimeoutSeconds: 20, ...config }, cluster: { kubeconfig: sim.kubeconfig }, artifactsMirror: mirror });
  }

  it('an install aborted mid-apply, run again, converges into the same inventory and turns healthy', async () => {
    await start();
    const before = clusterObjects(sim);
    const istio = host.meshProvider('istio');
    const contextId = host.contextId;

    const first = host.operation<Events[number]>();
    let created = 0;
    const ctx: OperationContext<MeshOperationEvent> = {
      ...first.ctx,
      emit(event) {
        first.ctx.emit(event);
        if (event.type === 'created' && ++created === 12) first.abort();
      },
    };
    const error = await rejection(istio.install({ contextId, version: VERSION, options: {} }, ctx));
    expect(error.code).toBe('CANCELLED');
    const interrupted = await host.store.get<{ inventoryId: string; state: string }>(`install/${contextId}`);
    expect(interrupted?.state).toBe('installing');
    // Part of it is there (CRDs first), the webhooks (applied last) are not.
    expect(sim.store.get('apiextensions.k8s.io', 'customresourcedefinitions', '', 'virtualservices.networking.istio.io')).toBeDefined();
    expect(sim.store.get('admissionregistration.k8s.io', 'mutatingwebhookconfigurations', '', 'istio-sidecar-injector')).toBeUndefined();
    const partial = await istio.status({ contextId }, host.operation<Events[number]>().ctx);
    expect(partial.healthy).toBe(false);

    const second = host.operation<Events[number]>();
    await istio.install({ contextId, version: VERSION, options: {} }, second.ctx);
    expect(steps(second.events).join('\n')).toMatch(/converging/);
    expect(second.events.filter((e) => e.type === 'unchanged').length).toBeGreaterThanOrEqual(11);
    const record = await host.store.get<{ inventoryId: string; state: string }>(`install/${contextId}`);
    expect(record).toMatchObject({ inventoryId: interrupted!.inventoryId, state: 'installed' });

    await playIstiod(sim, host.kubernetes, contextId, ['istio-system']);
    const status = await istio.status({ contextId }, host.operation<Events[number]>().ctx);
    expect(status.checks.filter((c) => !c.healthy)).toEqual([]);
    expect(status.healthy).toBe(true);

    // Converging again changes nothing, and the webhook keeps the CA istiod patched in.
    const third = host.operation<Events[number]>();
    await istio.install({ contextId, version: VERSION, options: {} }, third.ctx);
    expect(third.events.filter((e) => e.type === 'created' || e.type === 'configured')).toEqual([]);
    expect((await istio.status({ contextId }, host.operation<Events[number]>().ctx)).healthy).toBe(true);

    await istio.uninstall({ contextId }, host.operation<Events[number]>().ctx);
    expect(clusterObjects(sim)).toEqual(before);
  });

  it('a control plane that never becomes ready fails with TIMEOUT naming the workload; uninstall still cleans up', async () => {
    await start({ readinessTimeoutSeconds: 1 });
    sim.neverReady({ resource: 'deployments', name: 'istio-ingressgateway' });
    const before = clusterObjects(sim);
    const istio = host.meshProvider('istio');
    const error = await rejection(istio.install({ contextId: host.contextId, options: {} }, host.operation<Events[number]>().ctx));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/istio-system\/istio-ingressgateway/);
    expect(error.remediation).toMatch(/kubectl describe deployment istio-ingressgateway -n istio-system/);
    const status = await istio.status({ contextId: host.contextId }, host.operation<Events[number]>().ctx);
    const gateway = status.checks.find((c) => c.component === 'istio-ingressgateway')!;
    expect(gateway).toMatchObject({ healthy: false, message: expect.stringMatching(/^0\/1 replicas available/) });
    await istio.uninstall({ contextId: host.contextId }, host.operation<Events[number]>().ctx);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });

  it('cancelling while istioctl renders kills it: CANCELLED at once, nothing applied or recorded', async () => {
    await start();
    const before = clusterObjects(sim);
    const op = host.operation<Events[number]>();
    const started = Date.now();
    const pending = host.meshProvider('istio').install({ contextId: host.contextId, options: { set: { 'values.test.renderDelaySeconds': 20 } } }, op.ctx);
    setTimeout(() => op.abort(), 300);
    const error = await rejection(pending);
    expect(error.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(clusterObjects(sim)).toEqual(before);
    expect(await host.store.keys()).toEqual([]);
  });
});
