import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { PluginError, type KubernetesObjectEvent, type KubernetesObjectRef, type OperationContext, type PluginLogger } from '@meshery/plugin-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MANAGED_BY_LABEL } from './apply-engine.js';
import { EngineKubernetesService } from './engine-kubernetes-service.js';
import { MemoryInventoryStore, type InventoryEntry } from './inventory.js';
import { KubeApiClient, KubeApiError } from './kube-api-client.js';

const CONTEXT = 'ctx-sim';
const OTHER_CONTEXT = 'ctx-other';

const silentLogger: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** An operation context as the host passes one, collecting events. */
function operation(): { ctx: OperationContext<KubernetesObjectEvent>; events: KubernetesObjectEvent[]; controller: AbortController } {
  const controller = new AbortController();
  const events: KubernetesObjectEvent[] = [];
  return { controller, events, ctx: { operationId: 'op-kube', signal: controller.signal, logger: silentLogger, emit: (e) => events.push(e) } };
}

/** The PluginError `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<PluginError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(PluginError);
  return outcome as PluginError;
}

/** An inventory store that also remembers every record() call, to show what an operation added. */
class WatchedInventoryStore extends MemoryInventoryStore {
  readonly recorded: Omit<InventoryEntry, 'seq'>[] = [];
  override async record(entry: Omit<InventoryEntry, 'seq'>): Promise<void> {
    this.recorded.push(entry);
    await super.record(entry);
  }
}

const configMap = (name: string, namespace?: string, data: Record<string, string> = { a: '1' }, labels: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}), labels }, data });

const cmRef = (name: string, namespace: string): KubernetesObjectRef => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace });

describe('EngineKubernetesService against kube-sim', () => {
  let sim: KubeSim;
  let client: KubeApiClient;
  let store: WatchedInventoryStore;
  let kube: EngineKubernetesService;
  const clientsAskedFor: string[] = [];

  /** Whether kube-sim holds the object (read directly, not through the service under test). */
  const exists = async (path: string): Promise<boolean> =>
    client.request('GET', path).then(
      () => true,
      (error: unknown) => {
        if (error instanceof KubeApiError && error.status === 404) return false;
        throw error;
      },
    );

  beforeAll(async () => {
    sim = await startKubeSim({ readyDelayMs: 50 });
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    client = KubeApiClient.fromKubeConfig(kc, { retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 1000 } });
    store = new WatchedInventoryStore();
    // Two connection ids lead to the same cluster, so a refusal can only come from the inventory check.
    kube = new EngineKubernetesService(async (contextId) => {
      clientsAskedFor.push(contextId);
      if (contextId !== CONTEXT && contextId !== OTHER_CONTEXT) throw new PluginError('PRECONDITION_FAILED', `No cluster connection ${contextId}`);
      return client;
    }, store);
    await client.request('POST', '/api/v1/namespaces', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'svc-test' } }) });
  });
  afterEach(() => {
    clientsAskedFor.length = 0;
    store.recorded.length = 0;
  });
  afterAll(async () => {
    await sim?.close();
  });

  describe('apply and removeInventory', () => {
    it('applies into a new inventory, records each object, converges on re-apply and removes exactly what it applied', async () => {
      // Something of the user's in the same namespace, which a removal must leave alone.
      await client.request('POST', '/api/v1/namespaces/svc-test/configmaps', { body: configMap('users-own', 'svc-test') });
      const manifest = [
        configMap('app-settings', undefined, { mode: 'demo' }),
        `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }`,
        configMap('in-default', 'default'),
      ].join('\n---\n');

      const op = operation();
      const applied = await kube.apply({ contextId: CONTEXT, manifest, namespace: 'svc-test', timeoutSeconds: 10 }, op.ctx);
      expect(applied.inventoryId).toMatch(/^[0-9a-f-]{36}$/);
      expect(applied.objects).toEqual([
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'app-settings', namespace: 'svc-test', result: 'created' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'in-default', namespace: 'default', result: 'created' },
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'svc-test', result: 'created' },
      ]);
      // The uid the engine records stays inside the host.
      expect(applied.objects.every((o) => !('uid' in o))).toBe(true);
      expect(op.events.map((e) => e.type)).toContain('ready');
      expect(op.events.find((e) => e.type === 'ready')!.object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'svc-test' });
      const deployment = await client.request('GET', '/apis/apps/v1/namespaces/svc-test/deployments/web');
      expect(deployment.status.readyReplicas).toBe(1);
      expect(deployment.metadata.labels[MANAGED_BY_LABEL]).toBe('meshery');

      expect(await kube.inventory(applied.inventoryId)).toEqual([
        cmRef('app-settings', 'svc-test'),
        cmRef('in-default', 'default'),
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'svc-test' },
      ]);
      const entries = await store.entries(applied.inventoryId);
      expect(entries.every((e) => e.contextId === CONTEXT && typeof e.uid === 'string' && e.uid.length > 0)).toBe(true);

      // Re-applying into the same inventory converges: nothing changes, nothing is added twice.
      const again = await kube.apply({ contextId: CONTEXT, manifest, namespace: 'svc-test', inventoryId: applied.inventoryId }, operation().ctx);
      expect(again.inventoryId).toBe(applied.inventoryId);
      expect(again.objects.map((o) => o.result)).toEqual(['unchanged', 'unchanged', 'unchanged']);
      expect((await client.request('GET', '/apis/apps/v1/namespaces/svc-test/deployments/web')).metadata.resourceVersion).toBe(deployment.metadata.resourceVersion);
      expect(await kube.inventory(applied.inventoryId)).toHaveLength(3);

      // A changed manifest into the same inventory: changed objects are configured, new ones added.
      const changed = [configMap('app-settings', undefined, { mode: 'production' }), configMap('extra', 'svc-test')].join('\n---\n');
      const converged = await kube.apply({ contextId: CONTEXT, manifest: changed, namespace: 'svc-test', inventoryId: applied.inventoryId }, operation().ctx);
      expect(converged.objects.map((o) => `${o.name}:${o.result}`)).toEqual(['app-settings:configured', 'extra:created']);
      expect(await kube.inventory(applied.inventoryId)).toEqual([
        cmRef('app-settings', 'svc-test'),
        cmRef('in-default', 'default'),
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'svc-test' },
        cmRef('extra', 'svc-test'),
      ]);

      const removal = operation();
      await kube.removeInventory({ contextId: CONTEXT, inventoryId: applied.inventoryId }, removal.ctx);
      expect(removal.events.filter((e) => e.type === 'deleted').map((e) => `${e.object!.kind}/${e.object!.name}`).sort()).toEqual([
        'ConfigMap/app-settings',
        'ConfigMap/extra',
        'ConfigMap/in-default',
        'Deployment/web',
      ]);
      expect(await kube.inventory(applied.inventoryId)).toEqual([]);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/app-settings')).toBe(false);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/extra')).toBe(false);
      expect(await exists('/api/v1/namespaces/default/configmaps/in-default')).toBe(false);
      expect(await exists('/apis/apps/v1/namespaces/svc-test/deployments/web')).toBe(false);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/users-own')).toBe(true);
      expect(await exists('/api/v1/namespaces/svc-test')).toBe(true);

      // Removing it again is harmless.
      await kube.removeInventory({ contextId: CONTEXT, inventoryId: applied.inventoryId }, operation().ctx);
      await client.request('DELETE', '/api/v1/namespaces/svc-test/configmaps/users-own');
    });

    it('applies into a given inventory, keeping what it held', async () => {
      const inventoryId = 'mesh-install-istio';
      await kube.apply({ contextId: CONTEXT, manifest: configMap('first', 'svc-test'), inventoryId }, operation().ctx);
      const second = await kube.apply({ contextId: CONTEXT, manifest: configMap('second', 'svc-test'), inventoryId }, operation().ctx);
      expect(second.inventoryId).toBe(inventoryId);
      expect(await kube.inventory(inventoryId)).toEqual([cmRef('first', 'svc-test'), cmRef('second', 'svc-test')]);
      await kube.removeInventory({ contextId: CONTEXT, inventoryId }, operation().ctx);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/first')).toBe(false);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/second')).toBe(false);
    });

    it('records nothing and creates nothing in a dry run', async () => {
      const inventoryId = 'dry-inventory';
      const result = await kube.apply({ contextId: CONTEXT, manifest: configMap('dry', 'svc-test'), inventoryId, dryRun: true }, operation().ctx);
      expect(result.objects.map((o) => o.result)).toEqual(['created']);
      expect(await kube.inventory(inventoryId)).toEqual([]);
      expect(store.recorded).toEqual([]);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/dry')).toBe(false);
    });

    it('refuses to remove an inventory through another cluster connection, deleting nothing', async () => {
      const { inventoryId } = await kube.apply({ contextId: CONTEXT, manifest: configMap('guarded', 'svc-test') }, operation().ctx);
      clientsAskedFor.length = 0;
      const op = operation();
      const error = await failure(kube.removeInventory({ contextId: OTHER_CONTEXT, inventoryId }, op.ctx));
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toContain(inventoryId);
      expect(error.message).toContain('another cluster connection');
      expect(error.remediation).toBeTruthy();
      expect(clientsAskedFor).toEqual([]);
      expect(op.events).toEqual([]);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/guarded')).toBe(true);
      expect(await kube.inventory(inventoryId)).toEqual([cmRef('guarded', 'svc-test')]);

      await kube.removeInventory({ contextId: CONTEXT, inventoryId }, operation().ctx);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/guarded')).toBe(false);
    });

    it('keeps the inventory in a dry-run removal', async () => {
      const { inventoryId } = await kube.apply({ contextId: CONTEXT, manifest: configMap('kept', 'svc-test') }, operation().ctx);
      const op = operation();
      await kube.removeInventory({ contextId: CONTEXT, inventoryId, dryRun: true }, op.ctx);
      expect(op.events.map((e) => e.summary)).toEqual(['ConfigMap svc-test/kept would be deleted']);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/kept')).toBe(true);
      expect(await kube.inventory(inventoryId)).toEqual([cmRef('kept', 'svc-test')]);
      await kube.removeInventory({ contextId: CONTEXT, inventoryId }, operation().ctx);
    });

    it('leaves alone an object deleted and re-created by someone else since it was applied', async () => {
      const { inventoryId } = await kube.apply({ contextId: CONTEXT, manifest: configMap('recreated', 'svc-test') }, operation().ctx);
      const [recorded] = await store.entries(inventoryId);
      expect(recorded!.uid).toMatch(/\S/);
      await client.request('DELETE', '/api/v1/namespaces/svc-test/configmaps/recreated');
      await client.request('POST', '/api/v1/namespaces/svc-test/configmaps', { body: configMap('recreated', 'svc-test', { owner: 'someone-else' }) });
      const op = operation();
      await kube.removeInventory({ contextId: CONTEXT, inventoryId }, op.ctx);
      expect(op.events).toEqual([expect.objectContaining({ type: 'absent', summary: expect.stringContaining('re-created by someone else') })]);
      const survivor = await client.request<{ data: Record<string, string> }>('GET', '/api/v1/namespaces/svc-test/configmaps/recreated');
      expect(survivor.data).toEqual({ owner: 'someone-else' });
      expect(await kube.inventory(inventoryId)).toEqual([]);
      await client.request('DELETE', '/api/v1/namespaces/svc-test/configmaps/recreated');
    });

    it('records an object before creating it, so an apply cut short cannot leave it unrecorded', async () => {
      const inventoryId = 'pre-recorded';
      const invalid = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid', namespace: 'svc-test' }, data: { a: '1' } });
      const error = await failure(kube.apply({ contextId: CONTEXT, manifest: invalid, inventoryId }, operation().ctx));
      expect(error.code).toBe('INVALID_REQUEST');
      // Recorded before the API server refused it: a removal finds it absent and forgets it.
      expect(store.recorded.map((r) => [r.ref.name, r.uid])).toEqual([['Not_Valid', null]]);
      const op = operation();
      await kube.removeInventory({ contextId: CONTEXT, inventoryId }, op.ctx);
      expect(op.events.map((e) => e.type)).toEqual(['absent']);
      expect(await kube.inventory(inventoryId)).toEqual([]);
    });

    it('fails on a field another manager owns without force, and takes it over with force', async () => {
      await client.request('PATCH', '/api/v1/namespaces/svc-test/configmaps/contested', {
        query: { fieldManager: 'kubectl-edit' },
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'contested', namespace: 'svc-test' }, data: { key: 'theirs' } }),
      });
      const manifest = configMap('contested', 'svc-test', { key: 'ours' });
      const inventoryId = 'contested-inventory';
      const error = await failure(kube.apply({ contextId: CONTEXT, manifest, inventoryId }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain('ConfigMap svc-test/contested');
      expect(error.message).toContain('conflict');
      expect(error.remediation).toContain('force');
      expect((await client.request('GET', '/api/v1/namespaces/svc-test/configmaps/contested')).data.key).toBe('theirs');
      expect(await kube.inventory(inventoryId)).toEqual([]);

      const forced = await kube.apply({ contextId: CONTEXT, manifest, inventoryId, force: true }, operation().ctx);
      expect(forced.objects.map((o) => o.result)).toEqual(['configured']);
      expect((await client.request('GET', '/api/v1/namespaces/svc-test/configmaps/contested')).data.key).toBe('ours');
      expect(await kube.inventory(inventoryId)).toEqual([cmRef('contested', 'svc-test')]);
      await kube.removeInventory({ contextId: CONTEXT, inventoryId }, operation().ctx);
    });

    it.each([
      ['invalid YAML', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\n'],
      ['a document without a kind', 'apiVersion: v1\nmetadata: { name: x }\n'],
    ])('refuses %s with INVALID_REQUEST before contacting the cluster', async (_name, manifest) => {
      const requestsBefore = sim.requests.length;
      const error = await failure(kube.apply({ contextId: CONTEXT, manifest, inventoryId: 'never' }, operation().ctx));
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toContain('The manifest cannot be applied');
      expect(error.remediation).toBeTruthy();
      expect(clientsAskedFor).toEqual([]);
      expect(sim.requests.length).toBe(requestsBefore);
      expect(await kube.inventory('never')).toEqual([]);
    });

    it('refuses a kind the cluster does not serve with INVALID_REQUEST, applying nothing', async () => {
      const manifest = [configMap('before-gadget', 'svc-test'), 'apiVersion: nope.example.com/v1\nkind: Gadget\nmetadata: { name: g, namespace: svc-test }'].join('\n---\n');
      const error = await failure(kube.apply({ contextId: CONTEXT, manifest, inventoryId: 'gadget' }, operation().ctx));
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toContain('does not serve kind Gadget');
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/before-gadget')).toBe(false);
      expect(await kube.inventory('gadget')).toEqual([]);
    });

    it('passes an unknown connection id to the connection lookup, whose error reaches the caller', async () => {
      const error = await failure(kube.apply({ contextId: 'ctx-unknown', manifest: configMap('x', 'svc-test') }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toBe('No cluster connection ctx-unknown');
      expect(clientsAskedFor).toEqual(['ctx-unknown']);
    });
  });

  describe('get, list, patch and delete', () => {
    it('gets an object as the API server returns it, and null when absent or of an unknown kind', async () => {
      await client.request('POST', '/api/v1/namespaces/svc-test/configmaps', { body: configMap('readable', 'svc-test', { v: '42' }) });
      const object = (await kube.get(CONTEXT, cmRef('readable', 'svc-test'))) as { metadata: { name: string; uid: string }; data: Record<string, string> };
      expect(object.metadata.name).toBe('readable');
      expect(object.metadata.uid).toBeTruthy();
      expect(object.data).toEqual({ v: '42' });
      expect(await kube.get(CONTEXT, cmRef('not-there', 'svc-test'))).toBeNull();
      expect(await kube.get(CONTEXT, { apiVersion: 'nope.example.com/v1', kind: 'Gadget', name: 'g', namespace: 'svc-test' })).toBeNull();
      expect(await kube.get(CONTEXT, { apiVersion: 'v1', kind: 'Gadget', name: 'g' })).toBeNull();
      // A cluster-scoped object.
      expect(((await kube.get(CONTEXT, { apiVersion: 'v1', kind: 'Namespace', name: 'svc-test' })) as { metadata: { name: string } }).metadata.name).toBe('svc-test');
      await client.request('DELETE', '/api/v1/namespaces/svc-test/configmaps/readable');
    });

    it('lists objects of a kind in a namespace, filtered by a label selector', async () => {
      await client.request('POST', '/api/v1/namespaces', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'svc-list' } }) });
      for (const [name, tier] of [
        ['list-a', 'gateway'],
        ['list-b', 'control'],
        ['list-c', 'gateway'],
      ] as const) {
        await client.request('POST', '/api/v1/namespaces/svc-list/configmaps', { body: configMap(name, 'svc-list', {}, { tier, 'app.kubernetes.io/part-of': 'mesh' }) });
      }
      const names = (items: readonly Readonly<Record<string, unknown>>[]) => items.map((i) => (i['metadata'] as { name: string }).name).sort();

      expect(names(await kube.list(CONTEXT, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'svc-list', labelSelector: 'tier=gateway' }))).toEqual(['list-a', 'list-c']);
      expect(names(await kube.list(CONTEXT, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'svc-list', labelSelector: 'tier!=gateway,app.kubernetes.io/part-of=mesh' }))).toEqual(['list-b']);
      expect(names(await kube.list(CONTEXT, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'svc-list', labelSelector: 'tier' }))).toEqual(['list-a', 'list-b', 'list-c']);
      expect(await kube.list(CONTEXT, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'svc-list', labelSelector: 'tier=none' })).toEqual([]);
      // Across namespaces, with the selector: only these three carry the label.
      expect(names(await kube.list(CONTEXT, { apiVersion: 'v1', kind: 'ConfigMap', labelSelector: 'app.kubernetes.io/part-of=mesh' }))).toEqual(['list-a', 'list-b', 'list-c']);
      expect(await kube.list(CONTEXT, { apiVersion: 'nope.example.com/v1', kind: 'Gadget', namespace: 'svc-list' })).toEqual([]);
    });

    it('reports a malformed label selector as an invalid request', async () => {
      const error = await failure(kube.list(CONTEXT, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'svc-list', labelSelector: 'tier in (unclosed' }));
      expect(error.code).toBe('INVALID_REQUEST');
    });

    it('patches an object it does not own with a merge patch: adds a label, removes it with null, records nothing', async () => {
      const ref: KubernetesObjectRef = { apiVersion: 'v1', kind: 'Namespace', name: 'svc-test' };
      const patched = (await kube.patch(CONTEXT, ref, { metadata: { labels: { 'istio-injection': 'enabled' } } })) as {
        metadata: { labels: Record<string, string> };
      };
      expect(patched.metadata.labels['istio-injection']).toBe('enabled');
      expect(patched.metadata.labels['kubernetes.io/metadata.name']).toBe('svc-test'); // merged, not replaced
      expect(patched.metadata.labels[MANAGED_BY_LABEL]).toBeUndefined();
      const read = (await client.request('GET', '/api/v1/namespaces/svc-test')) as { metadata: { labels: Record<string, string> } };
      expect(read.metadata.labels['istio-injection']).toBe('enabled');

      const removed = (await kube.patch(CONTEXT, ref, { metadata: { labels: { 'istio-injection': null } } })) as { metadata: { labels: Record<string, string> } };
      expect(removed.metadata.labels).not.toHaveProperty('istio-injection');
      expect(((await client.request('GET', '/api/v1/namespaces/svc-test')) as { metadata: { labels: Record<string, string> } }).metadata.labels).not.toHaveProperty('istio-injection');
      expect(store.recorded).toEqual([]);
    });

    it('patches a namespaced object and keeps its other fields', async () => {
      await client.request('POST', '/api/v1/namespaces/svc-test/configmaps', { body: configMap('patchable', 'svc-test', { keep: 'me', change: 'old' }) });
      const patched = (await kube.patch(CONTEXT, cmRef('patchable', 'svc-test'), { data: { change: 'new', added: 'yes' } })) as { data: Record<string, string> };
      expect(patched.data).toEqual({ keep: 'me', change: 'new', added: 'yes' });
      expect(store.recorded).toEqual([]);
      await client.request('DELETE', '/api/v1/namespaces/svc-test/configmaps/patchable');
    });

    it.each<[string, KubernetesObjectRef]>([
      ['a missing object', { apiVersion: 'v1', kind: 'ConfigMap', name: 'no-such-thing', namespace: 'svc-test' }],
      ['an object of a kind the cluster does not serve', { apiVersion: 'nope.example.com/v1', kind: 'Gadget', name: 'g', namespace: 'svc-test' }],
    ])('refuses to patch %s with PRECONDITION_FAILED, creating nothing', async (_name, ref) => {
      const error = await failure(kube.patch(CONTEXT, ref, { metadata: { labels: { a: 'b' } } }));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain(`${ref.name} does not exist`);
      expect(error.remediation).toContain(`kubectl get ${ref.kind.toLowerCase()} -n svc-test`);
      expect(await kube.get(CONTEXT, ref)).toBeNull();
    });

    it("deletes one object and waits until it is gone ('deleted'), then reports 'absent'", async () => {
      await client.request('POST', '/api/v1/namespaces/svc-test/configmaps', { body: configMap('doomed', 'svc-test') });
      const op = operation();
      expect(await kube.delete(CONTEXT, cmRef('doomed', 'svc-test'), op.ctx)).toBe('deleted');
      expect(op.events.map((e) => e.type)).toEqual(['deleted']);
      expect(op.events[0]!.object).toEqual(cmRef('doomed', 'svc-test'));
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/doomed')).toBe(false);

      const again = operation();
      expect(await kube.delete(CONTEXT, cmRef('doomed', 'svc-test'), again.ctx)).toBe('absent');
      expect(again.events.map((e) => e.type)).toEqual(['absent']);
      expect(await kube.delete(CONTEXT, { apiVersion: 'nope.example.com/v1', kind: 'Gadget', name: 'g', namespace: 'svc-test' }, operation().ctx)).toBe('absent');
    });

    it('deletes a workload and waits for it, leaving other objects', async () => {
      await client.request('POST', '/api/v1/namespaces/svc-test/configmaps', { body: configMap('bystander', 'svc-test') });
      await kube.apply(
        {
          contextId: CONTEXT,
          namespace: 'svc-test',
          wait: false,
          manifest: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: runtime-created }\nspec:\n  selector: { matchLabels: { app: r } }\n  template:\n    metadata: { labels: { app: r } }\n    spec: { containers: [{ name: c, image: nginx }] }',
        },
        operation().ctx,
      );
      expect(await kube.delete(CONTEXT, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'runtime-created', namespace: 'svc-test' }, operation().ctx)).toBe('deleted');
      expect(await exists('/apis/apps/v1/namespaces/svc-test/deployments/runtime-created')).toBe(false);
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/bystander')).toBe(true);
      await client.request('DELETE', '/api/v1/namespaces/svc-test/configmaps/bystander');
    });

    it('refuses to start a delete whose operation is already cancelled', async () => {
      await client.request('POST', '/api/v1/namespaces/svc-test/configmaps', { body: configMap('survivor', 'svc-test') });
      const op = operation();
      op.controller.abort();
      const error = await failure(kube.delete(CONTEXT, cmRef('survivor', 'svc-test'), op.ctx));
      expect(error.code).toBe('CANCELLED');
      expect(await exists('/api/v1/namespaces/svc-test/configmaps/survivor')).toBe(true);
      await client.request('DELETE', '/api/v1/namespaces/svc-test/configmaps/survivor');
    });
  });
});

describe('MemoryInventoryStore', () => {
  const ref = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, ...(namespace ? { namespace } : {}) });
  const entry = (inventoryId: string, name: string, uid: string | null = null, namespace = 'ns') => ({ inventoryId, contextId: 'ctx', ref: ref(name, namespace), uid });

  it('returns entries in the order they were recorded, numbered by seq', async () => {
    const store = new MemoryInventoryStore();
    for (const name of ['c', 'a', 'b']) await store.record(entry('inv', name));
    const entries = await store.entries('inv');
    expect(entries.map((e) => e.ref.name)).toEqual(['c', 'a', 'b']);
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((x, y) => x - y));
    expect(new Set(entries.map((e) => e.seq)).size).toBe(3);
  });

  it('keeps the position of an object recorded twice, taking the new uid', async () => {
    const store = new MemoryInventoryStore();
    await store.record(entry('inv', 'first', 'uid-1'));
    await store.record(entry('inv', 'second'));
    await store.record(entry('inv', 'first', 'uid-2'));
    const entries = await store.entries('inv');
    expect(entries.map((e) => `${e.ref.name}:${e.uid}`)).toEqual(['first:uid-2', 'second:null']);
  });

  it('tells objects apart by apiVersion, kind, namespace and name', async () => {
    const store = new MemoryInventoryStore();
    await store.record(entry('inv', 'same', null, 'ns-a'));
    await store.record(entry('inv', 'same', null, 'ns-b'));
    await store.record({ inventoryId: 'inv', contextId: 'ctx', ref: { apiVersion: 'v1', kind: 'Secret', name: 'same', namespace: 'ns-a' }, uid: null });
    await store.record({ inventoryId: 'inv', contextId: 'ctx', ref: { apiVersion: 'v1', kind: 'Namespace', name: 'same' }, uid: null });
    expect(await store.entries('inv')).toHaveLength(4);
  });

  it('forgets one object, leaves the rest in order, and empties the inventory with the last', async () => {
    const store = new MemoryInventoryStore();
    for (const name of ['a', 'b', 'c']) await store.record(entry('inv', name));
    await store.forget('inv', ref('b', 'ns'));
    expect((await store.entries('inv')).map((e) => e.ref.name)).toEqual(['a', 'c']);
    await store.forget('inv', ref('b', 'ns')); // already forgotten
    await store.forget('inv', ref('a', 'other-ns')); // not this one
    await store.forget('no-such-inventory', ref('a', 'ns'));
    expect((await store.entries('inv')).map((e) => e.ref.name)).toEqual(['a', 'c']);
    await store.forget('inv', ref('a', 'ns'));
    await store.forget('inv', ref('c', 'ns'));
    expect(await store.entries('inv')).toEqual([]);
    // An object recorded again after being forgotten goes to the end.
    await store.record(entry('inv', 'x'));
    await store.record(entry('inv', 'a'));
    expect((await store.entries('inv')).map((e) => e.ref.name)).toEqual(['x', 'a']);
  });

  it('keeps inventories apart', async () => {
    const store = new MemoryInventoryStore();
    await store.record(entry('one', 'shared'));
    await store.record(entry('two', 'shared'));
    await store.forget('one', ref('shared', 'ns'));
    expect(await store.entries('one')).toEqual([]);
    expect((await store.entries('two')).map((e) => e.ref.name)).toEqual(['shared']);
    expect(await store.entries('never-recorded')).toEqual([]);
  });
});
