import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { closedPort } from '@meshery/plugin-testing';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The Istio plugin's own test fixtures: a fake release archive (istioctl printing a trimmed
// default-profile manifest, sample apps) in a mirror, and helpers that act on kube-sim directly.
import { buildIstioMirror, clusterObjects, createDirectly, serveDirectory, tempDir } from '../../../../plugins/istio/test/istio-fixtures.js';
import { collect, gql, gqlData, wsClient } from '../support/graphql-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const VERSION = '1.24.0';

const EVENTS = `subscription E($id: ID!) { operationEvents(operationId: $id) {
  seq type summary object { kind name namespace } error { code message probableCause remediation } } }`;
const STATUS_FIELDS = `contextId mesh installed version namespace managedByMeshery healthy checkedAt injectionNamespaces sampleApps { app namespace ready }
  checks { component healthy message remediation } error { code message remediation }`;

interface OperationEvent {
  seq: number;
  type: string;
  summary: string;
  object: { kind: string; name: string; namespace: string | null } | null;
  error: { code: string; message: string; probableCause: string | null; remediation: string | null } | null;
}
interface MeshStatus {
  installed: boolean;
  version: string | null;
  namespace: string | null;
  managedByMeshery: boolean | null;
  healthy: boolean;
  checks: { component: string; healthy: boolean; message: string; remediation: string | null }[];
  error: { code: string } | null;
  injectionNamespaces: string[];
  sampleApps: { app: string; namespace: string; ready: boolean }[];
}

describe('Istio end to end through the server’s GraphQL API', () => {
  let sim: KubeSim;
  let server: ServerProcess;
  let mirrorServer: Awaited<ReturnType<typeof serveDirectory>>;
  let workDir: string;
  let contextId: string;
  let serverEnv: Record<string, string>;

  /** Every event of an operation, once it has ended. */
  const eventsOf = async (operationId: string): Promise<OperationEvent[]> => {
    const client = wsClient(server.url);
    try {
      const received = await collect<{ operationEvents: OperationEvent }>(client, EVENTS, { id: operationId }, 60_000).done;
      return received.map((e) => e.operationEvents);
    } finally {
      await client.dispose();
    }
  };
  const operation = async (id: string) =>
    (await gqlData<{ operation: { status: string; kind: string; summary: string; error: { code: string } | null } }>(
      server.url,
      `query O($id: ID!) { operation(id: $id) { status kind summary error { code } } }`,
      { id },
    )).operation;
  const run = async (mutation: string, variables: Record<string, unknown>) => {
    const data = await gqlData<Record<string, { id: string; status: string }>>(server.url, mutation, variables);
    const started = Object.values(data)[0]!;
    expect(started.status).toBe('RUNNING');
    const events = await eventsOf(started.id);
    return { id: started.id, events, last: events.at(-1)! };
  };
  const install = (variables: Record<string, unknown> = {}) =>
    run(`mutation I($input: InstallMeshInput!) { installMesh(input: $input) { id status } }`, { input: { contextId, mesh: 'istio', ...variables } });
  const status = async () =>
    (await gqlData<{ meshStatus: MeshStatus }>(server.url, `query S($c: ID!) { meshStatus(contextId: $c, mesh: "istio") { ${STATUS_FIELDS} } }`, { c: contextId })).meshStatus;
  const namespaceLabels = (name: string) => (sim.store.get('', 'namespaces', '', name)?.metadata?.labels ?? {}) as Record<string, string>;
  /** Plays istiod starting up, which kube-sim cannot: it patches its CA into the injector webhook. */
  const playIstiod = async () => {
    const path = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/istio-sidecar-injector';
    const headers = { authorization: `Bearer ${sim.token}` };
    const webhook = (await (await fetch(`${sim.url}${path}`, { headers })).json()) as { webhooks: Record<string, unknown>[] };
    const caBundle = Buffer.from('-----BEGIN CERTIFICATE-----\nistiod root (test)\n-----END CERTIFICATE-----\n').toString('base64');
    const response = await fetch(`${sim.url}${path}`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ webhooks: webhook.webhooks.map((hook) => ({ ...hook, clientConfig: { ...(hook['clientConfig'] as object), caBundle } })) }),
    });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    sim = await startKubeSim({ readyDelayMs: 100 });
    workDir = await tempDir('meshery-mesh-e2e-');
    mirrorServer = await serveDirectory(await buildIstioMirror(workDir, [VERSION]));
    serverEnv = {
      MESHERY_ARTIFACTS_MIRROR: mirrorServer.url,
      MESHERY_ARTIFACTS_OFFLINE: '1',
      MESHERY_MESH_STATUS_INTERVAL_SECONDS: '1',
    };
    server = await startServerProcess({ env: serverEnv });
    const added = await gqlData<{ addClusterConnection: { id: string } }>(
      server.url,
      `mutation A($input: AddClusterConnectionInput!) { addClusterConnection(input: $input) { id } }`,
      { input: { kubeconfig: sim.kubeconfig, name: 'sim' } },
    );
    contextId = added.addClusterConnection.id;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await mirrorServer?.close();
    await sim?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('lists Istio with its pinned versions and sample apps, and detects that it is not installed', async () => {
    const { meshes } = await gqlData<{ meshes: { mesh: string; pluginId: string; defaultVersion: string; versions: { version: string; default: boolean }[]; sampleApps: { name: string }[]; operations: string[] }[] }>(
      server.url,
      `{ meshes { mesh pluginId defaultVersion operations versions { version default } sampleApps { name } } }`,
    );
    const istio = meshes.find((m) => m.mesh === 'istio')!;
    expect(istio.pluginId).toBe('mesh-istio');
    expect(istio.defaultVersion).toBe(VERSION);
    expect(istio.versions.filter((v) => v.default).map((v) => v.version)).toEqual([VERSION]);
    expect(istio.sampleApps.map((a) => a.name).sort()).toEqual(['bookinfo', 'httpbin']);
    expect(istio.operations).toEqual(expect.arrayContaining(['install', 'uninstall', 'status', 'sample-apps', 'injection']));

    const { detectedMeshes } = await gqlData<{ detectedMeshes: (MeshStatus & { mesh: string })[] }>(
      server.url,
      `query D($c: ID!) { detectedMeshes(contextId: $c) { mesh installed healthy error { code } } }`,
      { c: contextId },
    );
    expect(detectedMeshes.find((d) => d.mesh === 'istio')).toMatchObject({ installed: false, healthy: false, error: null });
  });

  it('refuses bad requests before starting anything', async () => {
    const unknownMesh = await gql(server.url, `mutation { installMesh(input: { contextId: "${contextId}", mesh: "kuma" }) { id } }`);
    expect(unknownMesh.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_REQUEST', field: 'mesh' });
    expect(unknownMesh.errors?.[0]?.message).toContain('istio');

    const unknownCluster = await gql(server.url, `mutation { installMesh(input: { contextId: "00000000-0000-0000-0000-000000000000", mesh: "istio" }) { id } }`);
    expect(unknownCluster.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');

    const badNamespace = await gql(server.url, `mutation { setNamespaceInjection(contextId: "${contextId}", namespace: "Not_A_Namespace", mesh: "istio", enabled: true) { id } }`);
    expect(badNamespace.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_REQUEST', field: 'namespace' });

    const badApp = await gql(server.url, `mutation { deploySampleApp(input: { contextId: "${contextId}", mesh: "istio", app: "emojivoto", namespace: "demo" }) { id } }`);
    expect(badApp.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_REQUEST', field: 'app' });
    expect(badApp.errors?.[0]?.message).toContain('bookinfo');

    const { operations } = await gqlData<{ operations: { total: number } }>(server.url, `{ operations { total } }`);
    expect(operations.total).toBe(0);
  });

  it('says a cluster it cannot reach is unreachable: in status, in detection and as the end of an install', async () => {
    const port = await closedPort();
    const kubeconfig = sim.kubeconfig.replace(new URL(sim.url).port, String(port));
    const { addClusterConnection } = await gqlData<{ addClusterConnection: { id: string } }>(
      server.url,
      `mutation A($input: AddClusterConnectionInput!) { addClusterConnection(input: $input) { id } }`,
      { input: { kubeconfig, name: 'down' } },
    );
    const down = addClusterConnection.id;
    const statusAnswer = await gql(server.url, `query S($c: ID!) { meshStatus(contextId: $c, mesh: "istio") { installed } }`, { c: down });
    expect(statusAnswer.errors?.[0]?.extensions).toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    expect(statusAnswer.errors?.[0]?.extensions?.['remediation']).toBeTruthy();

    const { detectedMeshes } = await gqlData<{ detectedMeshes: { mesh: string; installed: boolean; error: { code: string } | null }[] }>(
      server.url,
      `query D($c: ID!) { detectedMeshes(contextId: $c) { mesh installed error { code } } }`,
      { c: down },
    );
    expect(detectedMeshes.length).toBeGreaterThanOrEqual(2);
    for (const detected of detectedMeshes) expect(detected).toMatchObject({ installed: false, error: { code: 'CLUSTER_UNREACHABLE' } });

    const { last } = await run(`mutation I($input: InstallMeshInput!) { installMesh(input: $input) { id status } }`, { input: { contextId: down, mesh: 'istio' } });
    expect(last).toMatchObject({ type: 'failed', error: { code: 'CLUSTER_UNREACHABLE' } });
    expect(last.error!.remediation).toBeTruthy();
    await gqlData(server.url, `mutation R($id: ID!) { removeClusterConnection(id: $id) }`, { id: down });
  }, 60_000);

  it('ends an install of an unknown version with UNSUPPORTED_VERSION and applies nothing', async () => {
    const before = clusterObjects(sim);
    const { id, last } = await install({ version: '9.9.9' });
    expect(last.type).toBe('failed');
    expect(last.error).toMatchObject({ code: 'UNSUPPORTED_VERSION' });
    expect(last.error!.remediation).toBeTruthy();
    expect(last.error!.message).toContain(VERSION);
    expect((await operation(id)).status).toBe('FAILED');
    expect(clusterObjects(sim)).toEqual(before);
  });

  it('installs, reports health live, deploys a sample app, toggles injection, and uninstalls leaving the cluster as it was', async () => {
    const before = clusterObjects(sim);
    // Watch the status from the start: first the current one, then each change.
    const watcher = wsClient(server.url);
    const watched = collect<{ meshStatusChanged: MeshStatus }>(
      watcher,
      `subscription W($c: ID!) { meshStatusChanged(contextId: $c, mesh: "istio") { ${STATUS_FIELDS} } }`,
      { c: contextId },
      120_000,
    );
    watched.done.catch(() => {});
    const waitForStatus = async (predicate: (s: MeshStatus) => boolean, what: string) => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const match = watched.events.map((e) => e.meshStatusChanged).find(predicate);
        if (match) return match;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no status update ${what}; got ${JSON.stringify(watched.events.map((e) => e.meshStatusChanged.healthy))}`);
    };
    try {
      await waitForStatus((s) => !s.installed, 'saying not installed');

      const installed = await install();
      expect(installed.last.type).toBe('done');
      expect(installed.last.summary).toContain(`Istio ${VERSION} installed`);
      const types = new Set(installed.events.map((e) => e.type));
      for (const type of ['step', 'artifact', 'created', 'ready']) expect(types, `event types ${[...types].join(', ')}`).toContain(type);
      expect(installed.events.find((e) => e.type === 'artifact')!.summary).toContain(mirrorServer.url);
      const created = installed.events.filter((e) => e.type === 'created').map((e) => `${e.object!.kind}/${e.object!.name}`);
      expect(created).toEqual(expect.arrayContaining(['Namespace/istio-system', 'Deployment/istiod', 'Deployment/istio-ingressgateway', 'MutatingWebhookConfiguration/istio-sidecar-injector']));
      expect(created.filter((c) => c.startsWith('CustomResourceDefinition/')).length).toBeGreaterThan(3);

      // The connection cannot be dropped while Meshery manages an installation through it.
      const refused = await gql(server.url, `mutation { removeClusterConnection(id: "${contextId}") }`);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'id' });
      expect(refused.errors?.[0]?.message).toContain('Meshery still manages');

      // istiod has not injected its CA yet: installed, ours, one check failing with a remedy.
      const fresh = await status();
      expect(fresh).toMatchObject({ installed: true, version: VERSION, namespace: 'istio-system', managedByMeshery: true, healthy: false });
      const failing = fresh.checks.filter((c) => !c.healthy);
      expect(failing).toHaveLength(1);
      expect(failing[0]!.remediation).toBeTruthy();
      await waitForStatus((s) => s.installed && !s.healthy, 'saying installed but not healthy');

      await playIstiod();
      const healthy = await waitForStatus((s) => s.healthy, 'saying healthy');
      expect(healthy.checks.length).toBeGreaterThanOrEqual(5);
      expect(healthy.checks.every((c) => c.healthy)).toBe(true);
      expect((await status()).healthy).toBe(true);

      // One action per cluster and mesh at a time; the first re-install converges.
      const first = await gqlData<{ installMesh: { id: string } }>(server.url, `mutation { installMesh(input: { contextId: "${contextId}", mesh: "istio" }) { id } }`);
      const second = await gql(server.url, `mutation { installMesh(input: { contextId: "${contextId}", mesh: "istio" }) { id } }`);
      expect(second.errors?.[0]?.extensions?.['code']).toBe('PRECONDITION_FAILED');
      expect(second.errors?.[0]?.message).toContain(first.installMesh.id);
      const converged = await eventsOf(first.installMesh.id);
      expect(converged.at(-1)!.type).toBe('done');
      expect(converged.filter((e) => e.type === 'created')).toEqual([]);
      expect(converged.some((e) => e.type === 'unchanged')).toBe(true);

      const deployed = await run(`mutation D($input: SampleAppInput!) { deploySampleApp(input: $input) { id status } }`, {
        input: { contextId, mesh: 'istio', app: 'bookinfo', namespace: 'bookinfo' },
      });
      expect(deployed.last.type).toBe('done');
      expect(sim.store.get('apps', 'deployments', 'bookinfo', 'productpage-v1')).toBeDefined();

      const enabled = await run(`mutation { setNamespaceInjection(contextId: "${contextId}", namespace: "bookinfo", mesh: "istio", enabled: true) { id status } }`, {});
      expect(enabled.last.type).toBe('done');
      expect(namespaceLabels('bookinfo')['istio-injection']).toBe('enabled');
      expect(await status()).toMatchObject({ injectionNamespaces: ['bookinfo'], sampleApps: [{ app: 'bookinfo', namespace: 'bookinfo', ready: true }] });
      expect(enabled.events.some((e) => e.summary.includes('rollout restart'))).toBe(true);
      const disabled = await run(`mutation { setNamespaceInjection(contextId: "${contextId}", namespace: "bookinfo", mesh: "istio", enabled: false) { id status } }`, {});
      expect(disabled.last.type).toBe('done');
      expect(namespaceLabels('bookinfo')['istio-injection']).toBeUndefined();

      const removed = await run(`mutation R($input: SampleAppInput!) { removeSampleApp(input: $input) { id status } }`, {
        input: { contextId, mesh: 'istio', app: 'bookinfo', namespace: 'bookinfo' },
      });
      expect(removed.last.type).toBe('done');
      expect(sim.store.get('apps', 'deployments', 'bookinfo', 'productpage-v1')).toBeUndefined();
      expect(await status()).toMatchObject({ injectionNamespaces: [], sampleApps: [] });

      // istiod would have written its root certificate into namespaces; uninstall removes those too.
      await createDirectly(sim, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-ca-root-cert\n  namespace: default\n  labels:\n    istio.io/config: "true"\ndata:\n  root-cert.pem: test\n`);
      const uninstalled = await run(`mutation { uninstallMesh(contextId: "${contextId}", mesh: "istio") { id status } }`, {});
      expect(uninstalled.last.type).toBe('done');
      const deleted = uninstalled.events.filter((e) => e.type === 'deleted').map((e) => `${e.object!.kind}/${e.object!.name}`);
      expect(deleted).toEqual(expect.arrayContaining(['CustomResourceDefinition/virtualservices.networking.istio.io', 'ClusterRole/istiod-clusterrole-istio-system', 'MutatingWebhookConfiguration/istio-sidecar-injector', 'Namespace/istio-system']));
      expect(clusterObjects(sim)).toEqual(before);
      await waitForStatus((s) => !s.installed && watched.events.some((e) => e.meshStatusChanged.healthy), 'saying not installed after uninstall');

      const again = await run(`mutation { uninstallMesh(contextId: "${contextId}", mesh: "istio") { id status } }`, {});
      expect(again.last).toMatchObject({ type: 'failed', error: { code: 'PRECONDITION_FAILED' } });
    } finally {
      await watcher.dispose();
    }
  }, 120_000);

  it('stops checking a status nobody watches any more', async () => {
    const client = wsClient(server.url);
    const watched = collect<{ meshStatusChanged: MeshStatus }>(
      client,
      `subscription W($c: ID!) { meshStatusChanged(contextId: $c, mesh: "istio") { installed } }`,
      { c: contextId },
      30_000,
    );
    watched.done.catch(() => {});
    const deadline = Date.now() + 10_000;
    while (watched.events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(watched.events).toHaveLength(1);
    // While watched, the checks run every second (MESHERY_MESH_STATUS_INTERVAL_SECONDS=1) ...
    const before = sim.requests.length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(sim.requests.length).toBeGreaterThan(before);
    // ... and once the client leaves (nothing changed meanwhile), they stop.
    await client.dispose();
    await new Promise((r) => setTimeout(r, 1_500));
    const afterLeaving = sim.requests.length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(sim.requests.length).toBe(afterLeaving);
  }, 30_000);

  it('ends an install cut off by a server crash as interrupted, and running it again converges', async () => {
    const before = clusterObjects(sim);
    sim.setReadyDelay(5_000);
    const started = await gqlData<{ installMesh: { id: string } }>(server.url, `mutation { installMesh(input: { contextId: "${contextId}", mesh: "istio" }) { id } }`);
    const id = started.installMesh.id;
    const deadline = Date.now() + 30_000;
    while (!sim.store.get('apps', 'deployments', 'istio-system', 'istio-ingressgateway')) {
      if (Date.now() > deadline) throw new Error('the install never reached the gateway');
      await new Promise((r) => setTimeout(r, 50));
    }
    await server.stop('SIGKILL');
    server = await startServerProcess({ dataDir: server.dataDir, env: serverEnv });
    sim.setReadyDelay(100);

    // The history of the cut-off install ends, for a client that follows it, with the interruption.
    const events = await eventsOf(id);
    expect(events.at(-1)).toMatchObject({ type: 'failed', error: { code: 'CANCELLED' } });
    expect(events.some((e) => e.type === 'created')).toBe(true);
    expect((await operation(id)).status).toBe('INTERRUPTED');
    const partial = await status();
    expect(partial).toMatchObject({ installed: true, managedByMeshery: true, healthy: false });

    const again = await install();
    expect(again.last.type).toBe('done');
    expect(again.events.some((e) => e.type === 'unchanged')).toBe(true);
    await playIstiod();
    const deadlineHealthy = Date.now() + 10_000;
    while (!(await status()).healthy) {
      if (Date.now() > deadlineHealthy) throw new Error(`never healthy: ${JSON.stringify(await status())}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const uninstalled = await run(`mutation { uninstallMesh(contextId: "${contextId}", mesh: "istio") { id status } }`, {});
    expect(uninstalled.last.type).toBe('done');
    expect(clusterObjects(sim)).toEqual(before);
  }, 90_000);

  it('cancels an install that waits for a workload that never gets ready, and the uninstall then removes what it applied', async () => {
    const before = clusterObjects(sim);
    sim.neverReady({ group: 'apps', resource: 'deployments', name: 'istio-ingressgateway' });
    const started = await gqlData<{ installMesh: { id: string } }>(server.url, `mutation { installMesh(input: { contextId: "${contextId}", mesh: "istio" }) { id } }`);
    const id = started.installMesh.id;
    const client = wsClient(server.url);
    const stream = collect<{ operationEvents: OperationEvent }>(client, EVENTS, { id }, 60_000);
    try {
      const deadline = Date.now() + 30_000;
      while (!stream.events.some((e) => e.operationEvents.type === 'waiting' && e.operationEvents.object?.name === 'istio-ingressgateway')) {
        if (Date.now() > deadline) throw new Error('the install never waited for the gateway');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const cancelledAt = Date.now();
      const cancel = await gqlData<{ cancelOperation: { id: string } }>(server.url, `mutation { cancelOperation(id: "${id}") { id } }`);
      expect(cancel.cancelOperation.id).toBe(id);
      const events = (await stream.done).map((e) => e.operationEvents);
      expect(Date.now() - cancelledAt).toBeLessThan(5_000);
      expect(events.at(-1)).toMatchObject({ type: 'failed', error: { code: 'CANCELLED' } });
      expect((await operation(id)).status).toBe('CANCELLED');
    } finally {
      await client.dispose();
    }
    const notRunning = await gql(server.url, `mutation { cancelOperation(id: "${id}") { id } }`);
    expect(notRunning.errors?.[0]?.extensions?.['code']).toBe('PRECONDITION_FAILED');

    // The partial installation is Meshery's: uninstall removes exactly what was applied.
    expect((await status()).managedByMeshery).toBe(true);
    const uninstalled = await run(`mutation { uninstallMesh(contextId: "${contextId}", mesh: "istio") { id status } }`, {});
    expect(uninstalled.last.type).toBe('done');
    expect(clusterObjects(sim)).toEqual(before);
  }, 90_000);
});
