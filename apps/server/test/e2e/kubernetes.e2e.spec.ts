import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { closedPort } from '@meshery/plugin-testing';
import { readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiClient, KubeApiError } from '@meshery/kube-engine';
import { collect, gql, gqlData, wsClient } from '../support/graphql-client.js';
import { makeDataDir, startServerProcess, type ServerProcess } from '../support/server-process.js';

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { a: "1" }
---
apiVersion: v1
kind: Namespace
metadata: { name: shop }
`;

const EVENTS = `subscription E($id: ID!) { operationEvents(operationId: $id) {
  seq type summary object { kind name namespace } error { code message probableCause remediation } } }`;

interface EventData {
  operationEvents: { seq: number; type: string; summary: string; object: { kind: string; name: string; namespace: string | null } | null };
}

describe('clusters and manifests through the running server', () => {
  let sim: KubeSim;
  let server: ServerProcess;
  let contextId: string;

  const events = async (operationId: string) => {
    const client = wsClient(server.url);
    const received = await collect<EventData>(client, EVENTS, { id: operationId }, 30_000).done;
    await client.dispose();
    return received.map((e) => e.operationEvents);
  };
  /** Whether the cluster holds an object, asked directly (with the CA and token of its kubeconfig). */
  const exists = async (apiPath: string) => {
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    try {
      await KubeApiClient.fromKubeConfig(kc).request('GET', apiPath);
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false;
      throw error;
    }
  };

  beforeAll(async () => {
    sim = await startKubeSim({ https: true, readyDelayMs: 300 });
    // The server finds this kubeconfig through KUBECONFIG, as it would a user's.
    const dataDir = await makeDataDir();
    const kubeconfigFile = path.join(dataDir, 'found-kubeconfig.yaml');
    await writeFile(kubeconfigFile, sim.kubeconfig, { mode: 0o600 });
    server = await startServerProcess({ dataDir, env: { KUBECONFIG: kubeconfigFile } });
  });

  afterAll(async () => {
    await server?.stop();
    await sim?.close();
  });

  it('adds a cluster from an uploaded kubeconfig, keeps its credentials sealed, and reports its version and nodes', async () => {
    const response = await gql(server.url, `mutation A($input: AddClusterConnectionInput!) { addClusterConnection(input: $input) {
      id name contextName server source } }`, { input: { kubeconfig: sim.kubeconfig, name: 'sim' } });
    expect(response.errors).toBeUndefined();
    const connection = (response.data as any).addClusterConnection;
    expect(connection).toMatchObject({ name: 'sim', server: sim.url, source: 'upload' });
    contextId = connection.id;
    expect(JSON.stringify(response)).not.toContain(sim.token!);

    const listed = await gql(server.url, `{ clusterConnections { id name server } }`);
    expect(JSON.stringify(listed)).not.toContain(sim.token!);
    expect((listed.data as any).clusterConnections).toEqual([{ id: contextId, name: 'sim', server: sim.url }]);

    const { clusterInfo } = await gqlData(server.url, `query I($id: ID!) { clusterInfo(contextId: $id) { reachable serverVersion nodeCount error { code } } }`, { id: contextId });
    expect(clusterInfo).toMatchObject({ reachable: true, nodeCount: 1, error: null });
    expect(clusterInfo.serverVersion).toMatch(/^v1\./);

    // At rest: no token in the database; the key file is private.
    const db = readFileSync(path.join(server.dataDir, 'meshery.db')).toString('latin1') + readFileSync(path.join(server.dataDir, 'meshery.db-wal')).toString('latin1');
    expect(db).not.toContain(sim.token!);
    expect(statSync(path.join(server.dataDir, 'secret.key')).mode & 0o777).toBe(0o600);

    const duplicate = await gql(server.url, `mutation A($input: AddClusterConnectionInput!) { addClusterConnection(input: $input) { id } }`, {
      input: { kubeconfig: sim.kubeconfig, name: 'sim' },
    });
    expect(duplicate.errors?.[0]?.extensions?.['field']).toBe('name');
    const badContext = await gql(server.url, `mutation A($input: AddClusterConnectionInput!) { addClusterConnection(input: $input) { id } }`, {
      input: { kubeconfig: sim.kubeconfig, context: 'nope', name: 'other' },
    });
    expect(badContext.errors?.[0]?.message).toContain('no context "nope"');
  });

  it('applies a manifest as an operation whose events stream live and are kept; a second apply is unchanged', async () => {
    const { applyManifest } = await gqlData(server.url, `mutation M($input: ApplyManifestInput!) { applyManifest(input: $input) { id status inventoryId } }`, {
      input: { contextId, manifest: MANIFEST, namespace: 'shop' },
    });
    expect(applyManifest.status).toBe('RUNNING');
    const received = await events(applyManifest.id);
    const kinds = received.map((e) => `${e.type} ${e.object?.kind ?? ''}`.trim());
    expect(kinds.filter((k) => k.startsWith('created'))).toEqual(['created Namespace', 'created ConfigMap', 'created Deployment']);
    expect(kinds).toContain('ready Deployment');
    expect(received.at(-1)!.type).toBe('done');
    expect(received.at(-1)!.summary).toContain('3 created');
    expect(received.map((e) => e.seq)).toEqual(received.map((_, i) => i + 1));
    expect(await exists('/apis/apps/v1/namespaces/shop/deployments/web')).toBe(true);

    const { operation } = await gqlData(server.url, `query O($id: ID!) { operation(id: $id) { status kind events { type } } }`, { id: applyManifest.id });
    expect(operation.status).toBe('SUCCEEDED');
    expect(operation.events.map((e: { type: string }) => e.type)).toEqual(received.map((e) => e.type));
    const { inventory } = await gqlData(server.url, `query I($id: ID!) { inventory(inventoryId: $id) { kind name namespace } }`, { id: applyManifest.inventoryId });
    expect(inventory).toEqual([
      { kind: 'Namespace', name: 'shop', namespace: null },
      { kind: 'ConfigMap', name: 'settings', namespace: 'shop' },
      { kind: 'Deployment', name: 'web', namespace: 'shop' },
    ]);

    const second = await gqlData(server.url, `mutation M($input: ApplyManifestInput!) { applyManifest(input: $input) { id } }`, {
      input: { contextId, manifest: MANIFEST, namespace: 'shop', dryRun: true },
    });
    const dry = await events(second.applyManifest.id);
    expect(dry.filter((e) => e.object).map((e) => e.type)).toEqual(['unchanged', 'unchanged', 'unchanged']);

    // Removing the inventory deletes exactly those objects, in reverse order.
    const removal = await gqlData(server.url, `mutation D($c: ID!, $i: ID!) { deleteInventory(contextId: $c, inventoryId: $i) { id } }`, {
      c: contextId,
      i: applyManifest.inventoryId,
    });
    const removed = await events(removal.deleteInventory.id);
    expect(removed.filter((e) => e.type === 'deleted').map((e) => e.object!.kind)).toEqual(['Deployment', 'ConfigMap', 'Namespace']);
    expect(removed.at(-1)!.type).toBe('done');
    expect(await exists('/apis/apps/v1/namespaces/shop/deployments/web')).toBe(false);
    expect(await exists('/api/v1/namespaces/shop')).toBe(false);
    expect((await gqlData(server.url, `query I($id: ID!) { inventory(inventoryId: $id) { name } }`, { id: applyManifest.inventoryId })).inventory).toEqual([]);
  });

  it('refuses a bad manifest before starting anything', async () => {
    const before = (await gqlData(server.url, `{ operations { total } }`)).operations.total;
    for (const manifest of ['kind: ConfigMap\nmetadata: { name: x }', 'apiVersion: v1\nkind: [unclosed']) {
      const response = await gql(server.url, `mutation M($input: ApplyManifestInput!) { applyManifest(input: $input) { id } }`, { input: { contextId, manifest } });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_REQUEST', field: 'manifest' });
    }
    expect((await gqlData(server.url, `{ operations { total } }`)).operations.total).toBe(before);
  });

  it('fails an operation on a kind the cluster does not serve, with the cause and remedy, applying nothing', async () => {
    const { applyManifest } = await gqlData(server.url, `mutation M($input: ApplyManifestInput!) { applyManifest(input: $input) { id } }`, {
      input: { contextId, manifest: `apiVersion: v1\nkind: Namespace\nmetadata: { name: lonely }\n---\napiVersion: nope.io/v1\nkind: Gadget\nmetadata: { name: g }` },
    });
    const received = await events(applyManifest.id);
    const last = received.at(-1) as any;
    expect(last.type).toBe('failed');
    expect(last.error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(last.error.remediation).toContain('CRD');
    expect(await exists('/api/v1/namespaces/lonely')).toBe(false);
    const { operation } = await gqlData(server.url, `query O($id: ID!) { operation(id: $id) { status error { code message } } }`, { id: applyManifest.id });
    expect(operation.status).toBe('FAILED');
  });

  it('connects a context of the kubeconfig the server finds, and deletes what a manifest names', async () => {
    const { discoveredKubeconfigContexts } = await gqlData(server.url, `{ discoveredKubeconfigContexts { name server current source } }`);
    expect(discoveredKubeconfigContexts).toHaveLength(1);
    const found = discoveredKubeconfigContexts[0];
    expect(found).toMatchObject({ server: sim.url, current: true });
    expect(JSON.stringify(discoveredKubeconfigContexts)).not.toContain(sim.token!);
    const { addClusterConnection } = await gqlData(server.url, `mutation A($input: AddClusterConnectionInput!) { addClusterConnection(input: $input) { id source contextName } }`, {
      input: { context: found.name, name: 'found' },
    });
    expect(addClusterConnection).toMatchObject({ source: found.source, contextName: found.name });

    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: by-manifest }\ndata: { a: "1" }`;
    const applied = await gqlData(server.url, `mutation M($input: ApplyManifestInput!) { applyManifest(input: $input) { id } }`, {
      input: { contextId: addClusterConnection.id, manifest },
    });
    expect((await events(applied.applyManifest.id)).at(-1)!.type).toBe('done');
    expect(await exists('/api/v1/namespaces/default/configmaps/by-manifest')).toBe(true);
    const deleted = await gqlData(server.url, `mutation D($input: DeleteManifestInput!) { deleteManifest(input: $input) { id } }`, {
      input: { contextId: addClusterConnection.id, manifest },
    });
    const received = await events(deleted.deleteManifest.id);
    expect(received.map((e) => e.type)).toEqual(['deleted', 'done']);
    expect(await exists('/api/v1/namespaces/default/configmaps/by-manifest')).toBe(false);
    const again = await gqlData(server.url, `mutation D($input: DeleteManifestInput!) { deleteManifest(input: $input) { id } }`, {
      input: { contextId: addClusterConnection.id, manifest },
    });
    expect((await events(again.deleteManifest.id)).map((e) => e.type)).toEqual(['absent', 'done']);
  });

  it('says a cluster is unreachable, with the probable cause', async () => {
    const port = await closedPort();
    const kubeconfig = sim.kubeconfig.replace(new URL(sim.url).port, String(port));
    const { addClusterConnection } = await gqlData(server.url, `mutation A($input: AddClusterConnectionInput!) { addClusterConnection(input: $input) { id } }`, {
      input: { kubeconfig, name: 'down' },
    });
    const { clusterInfo } = await gqlData(server.url, `query I($id: ID!) { clusterInfo(contextId: $id) { reachable error { code message probableCause remediation } } }`, {
      id: addClusterConnection.id,
    });
    expect(clusterInfo.reachable).toBe(false);
    expect(clusterInfo.error.code).toBe('CLUSTER_UNREACHABLE');
    expect(clusterInfo.error.remediation).toContain('kubectl');
    expect((await gqlData(server.url, `mutation R($id: ID!) { removeClusterConnection(id: $id) }`, { id: addClusterConnection.id })).removeClusterConnection).toBe(true);
  });
});
