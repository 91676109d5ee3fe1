import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { PluginError } from '@meshery/plugin-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApplyEngine, MANAGED_BY_LABEL, type EngineEvent } from './apply-engine.js';
import { KubeApiClient, KubeApiError } from './kube-api-client.js';
import { parseManifest, ManifestError } from './manifest.js';

const MANIFEST = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: { name: demo-webhook }
webhooks:
  - name: demo.example.com
    clientConfig: { service: { name: demo, namespace: demo } }
    rules: [{ operations: [CREATE], apiGroups: [example.com], apiVersions: [v1], resources: [widgets] }]
    admissionReviewVersions: [v1]
    sideEffects: None
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w1, namespace: demo }
spec: { size: 3 }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: demo }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: demo }
data: { a: "1" }
---
apiVersion: v1
kind: Namespace
metadata: { name: demo }
`;

describe('apply engine against kube-sim', () => {
  let sim: KubeSim;
  let client: KubeApiClient;
  const events: EngineEvent[] = [];
  const emit = (event: EngineEvent) => events.push(event);
  const engine = () => new ApplyEngine(client);
  const summaries = () => events.map((e) => `${e.type} ${e.object ? `${e.object.kind}/${e.object.name}` : ''}`.trim());

  /** Every object kube-sim holds that a test could leave behind. */
  const snapshot = async () => {
    const paths = [
      '/api/v1/namespaces',
      '/api/v1/configmaps',
      '/apis/apps/v1/deployments',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
    ];
    const names: string[] = [];
    for (const path of paths) {
      const list = await client.request<{ items: { metadata: { name: string; namespace?: string } }[] }>('GET', path);
      names.push(...list.items.map((i) => `${path}:${i.metadata.namespace ?? ''}/${i.metadata.name}`));
    }
    return names.sort();
  };

  beforeAll(async () => {
    sim = await startKubeSim({ readyDelayMs: 200 });
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    client = KubeApiClient.fromKubeConfig(kc, { retry: { attempts: 4, baseDelayMs: 50, maxDelayMs: 200, maxRetryAfterMs: 5000 } });
  });
  afterEach(() => {
    events.length = 0;
    sim.faults.clear();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('applies in dependency order, waits for the CRD and the Deployment, removes exactly what it applied', async () => {
    const before = await snapshot();
    const applied = await engine().apply(parseManifest(MANIFEST), { inventoryId: 'inv-1', emit, readinessTimeoutMs: 10_000 });
    // 'waiting' events depend on timing; everything else is in a fixed order.
    expect(summaries().filter((s) => !s.startsWith('waiting'))).toEqual([
      'created Namespace/demo',
      'created CustomResourceDefinition/widgets.example.com',
      'ready CustomResourceDefinition/widgets.example.com',
      'created ConfigMap/settings',
      'created Deployment/web',
      'created Widget/w1',
      'created ValidatingWebhookConfiguration/demo-webhook',
      'ready Deployment/web',
    ]);
    expect(summaries()).toContain('waiting Deployment/web');
    expect(applied).toHaveLength(6);
    const deployment = await client.request('GET', '/apis/apps/v1/namespaces/demo/deployments/web');
    expect(deployment.metadata.labels[MANAGED_BY_LABEL]).toBe('meshery');
    expect(deployment.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain('meshery');
    expect(deployment.status.availableReplicas).toBe(2);

    // Applying the same manifest again changes nothing and says so.
    events.length = 0;
    const again = await engine().apply(parseManifest(MANIFEST), { inventoryId: 'inv-1', emit, readinessTimeoutMs: 10_000 });
    expect(again.map((a) => a.result)).toEqual(Array(6).fill('unchanged'));
    expect((await client.request('GET', '/apis/apps/v1/namespaces/demo/deployments/web')).metadata.resourceVersion).toBe(
      deployment.metadata.resourceVersion,
    );

    // Something the engine did not apply, in the same namespace, must survive... until the namespace goes.
    events.length = 0;
    await engine().delete(applied.filter((a) => a.kind !== 'Namespace'), { emit });
    expect(summaries().filter((s) => s.startsWith('deleted'))).toEqual([
      'deleted ValidatingWebhookConfiguration/demo-webhook',
      'deleted Widget/w1',
      'deleted Deployment/web',
      'deleted ConfigMap/settings',
      'deleted CustomResourceDefinition/widgets.example.com',
    ]);
    await engine().delete(applied.filter((a) => a.kind === 'Namespace'), { emit });
    expect(await snapshot()).toEqual(before);
  });

  it('reports a dry run without changing anything', async () => {
    const before = await snapshot();
    const manifest = parseManifest(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: dry, namespace: default }\ndata: { a: "1" }`);
    const applied = await engine().apply(manifest, { inventoryId: 'inv-dry', dryRun: true, emit });
    expect(applied.map((a) => a.result)).toEqual(['created']);
    expect(events[0]!.summary).toContain('would be created');
    expect(await snapshot()).toEqual(before);
  });

  it('retries through 429 (honouring Retry-After) and 500, saying so', async () => {
    const retries: string[] = [];
    const retrying = KubeApiClient.fromKubeConfig(
      (() => {
        const kc = new KubeConfig();
        kc.loadFromString(sim.kubeconfig);
        return kc;
      })(),
      { retry: { attempts: 5, baseDelayMs: 50, maxDelayMs: 200, maxRetryAfterMs: 5000 }, onRetry: (n) => retries.push(n.cause) },
    );
    sim.faults.add({ kind: 'tooManyRequests', count: 1, method: 'PATCH', retryAfterSeconds: 1 });
    sim.faults.add({ kind: 'serverError', count: 2, method: 'PATCH' });
    const started = Date.now();
    const applied = await new ApplyEngine(retrying).apply(
      parseManifest(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: retried, namespace: default }\ndata: { a: "1" }`),
      { inventoryId: 'inv-retry', emit },
    );
    expect(applied[0]!.result).toBe('created');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(retries[0]).toContain('429');
    expect(retries[0]).toContain('Retry-After 1 s');
    expect(retries.filter((r) => r.includes('HTTP 500'))).toHaveLength(2);
    await new ApplyEngine(retrying).delete(applied, { emit });
  });

  it('retries a dropped connection', async () => {
    sim.faults.add({ kind: 'drop', count: 1, method: 'GET' });
    const applied = await engine().apply(
      parseManifest(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: dropped, namespace: default }\ndata: { a: "1" }`),
      { inventoryId: 'inv-drop', emit },
    );
    expect(applied[0]!.result).toBe('created');
    await engine().delete(applied, { emit });
  });

  it.each([
    ['invalid YAML', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n', /not valid YAML/],
    ['a document without apiVersion', 'kind: ConfigMap\nmetadata: { name: x }\n', /has no apiVersion/],
    ['a document without kind', 'apiVersion: v1\nmetadata: { name: x }\n', /has no kind/],
    ['an object without a name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', /no metadata.name/],
    [
      'a YAML alias bomb',
      ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`), 'apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: bomb }'].join('\n'),
      /aliases are limited|cannot be read/,
    ],
    ['a manifest over the size cap', `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big }\ndata: { a: "${'x'.repeat(5 * 1024 * 1024)}" }`, /limit/],
  ])('refuses %s before anything is applied', (_name, text, message) => {
    expect(() => parseManifest(text)).toThrow(ManifestError);
    expect(() => parseManifest(text)).toThrow(message);
  });

  it('refuses a kind the server does not serve before applying anything', async () => {
    const before = await snapshot();
    const manifest = parseManifest(
      `apiVersion: v1\nkind: Namespace\nmetadata: { name: never }\n---\napiVersion: nope.example.com/v1\nkind: Gadget\nmetadata: { name: g, namespace: never }`,
    );
    const error = await engine().apply(manifest, { inventoryId: 'inv-x', emit }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).code).toBe('INVALID_REQUEST');
    expect((error as PluginError).message).toContain('does not serve kind Gadget');
    expect(events).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('stops at an object the server rejects, naming it, after applying what came before', async () => {
    sim.faults.add({ kind: 'serverError', count: 10, method: 'PATCH', path: '/api/v1/namespaces/default/configmaps/second' });
    const manifest = parseManifest(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: first, namespace: default }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: second, namespace: default }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: third, namespace: default }`,
    );
    const error = (await engine().apply(manifest, { inventoryId: 'inv-mid', emit }).catch((e: unknown) => e)) as PluginError;
    expect(error.message).toContain('ConfigMap default/second');
    expect(summaries()).toEqual(['created ConfigMap/first']);
    await expect(client.request('GET', '/api/v1/namespaces/default/configmaps/third')).rejects.toBeInstanceOf(KubeApiError);
    sim.faults.clear();
    await engine().delete([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'first', namespace: 'default' }], { emit });
  });

  it('times out on a workload that never becomes ready, naming it with its conditions', async () => {
    const manifest = parseManifest(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: stuck
  namespace: default
  annotations: { kube-sim.meshery.io/never-ready: "true" }
spec:
  replicas: 1
  selector: { matchLabels: { app: stuck } }
  template:
    metadata: { labels: { app: stuck } }
    spec: { containers: [{ name: c, image: nginx }] }
`);
    const started = Date.now();
    const error = (await engine().apply(manifest, { inventoryId: 'inv-stuck', emit, readinessTimeoutMs: 1500 }).catch((e: unknown) => e)) as PluginError;
    expect(Date.now() - started).toBeLessThan(6000);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('Deployment default/stuck was not ready within 2 s');
    expect(error.remediation).toContain('kubectl describe deployment stuck -n default');
    await engine().delete([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'stuck', namespace: 'default' }], { emit });
  });

  it('reports a conflict with another field manager clearly, and takes the fields over with force', async () => {
    await client.request('PATCH', '/api/v1/namespaces/default/configmaps/shared', {
      query: { fieldManager: 'someone-else' },
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'default' }, data: { key: 'theirs' } }),
    });
    const manifest = parseManifest(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: shared, namespace: default }\ndata: { key: ours }`);
    const error = (await engine().apply(manifest, { inventoryId: 'inv-c', emit }).catch((e: unknown) => e)) as PluginError;
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toContain('ConfigMap default/shared');
    expect(error.message).toContain('conflict');
    expect(error.remediation).toContain('force');
    const forced = await engine().apply(manifest, { inventoryId: 'inv-c', emit, force: true });
    expect(forced[0]!.result).toBe('configured');
    expect((await client.request('GET', '/api/v1/namespaces/default/configmaps/shared')).data.key).toBe('ours');
    await engine().delete(forced, { emit });
  });
});
