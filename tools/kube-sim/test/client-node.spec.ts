/**
 * kube-sim driven by @kubernetes/client-node 1.4.0, the way the product will drive a real cluster.
 */
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../src/index.js';
import { apiError, raw, until, withSim } from './helpers.js';

function deployment(name: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string>; replicas?: number; image?: string } = {}): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name, ...(extra.labels ?? {}) }, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      replicas: extra.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: extra.image ?? 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

let sim: KubeSim;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
let objects: KubernetesObjectApi;

beforeAll(async () => {
  ({ sim, kc } = await withSim());
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  objects = KubernetesObjectApi.makeApiClient(kc);
});

afterAll(async () => {
  await sim.close();
});

describe('discovery', () => {
  it('serves /version, /api, /api/v1, /apis and group versions like a v1.28 server', async () => {
    const version = await raw(sim, 'GET', '/version');
    expect(version.json).toMatchObject({ major: '1', minor: '28', gitVersion: 'v1.28.0', platform: 'linux/amd64' });

    const api = await raw(sim, 'GET', '/api');
    expect(api.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });

    const v1 = await raw(sim, 'GET', '/api/v1');
    expect(v1.json['kind']).toBe('APIResourceList');
    expect(v1.json['groupVersion']).toBe('v1');
    const resources = v1.json['resources'] as Record<string, unknown>[];
    expect(resources.find((r) => r['name'] === 'pods')).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all'] });
    expect(resources.find((r) => r['name'] === 'namespaces')).toMatchObject({ namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] });
    expect(resources.find((r) => r['name'] === 'pods/status')).toMatchObject({ singularName: '', kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    for (const name of ['services', 'configmaps', 'secrets', 'serviceaccounts', 'events', 'nodes', 'endpoints']) {
      expect(resources.some((r) => r['name'] === name), name).toBe(true);
    }

    const apis = await raw(sim, 'GET', '/apis');
    expect(apis.json['kind']).toBe('APIGroupList');
    const groups = (apis.json['groups'] as { name: string }[]).map((g) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['apps', 'batch', 'rbac.authorization.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io']));

    const appsV1 = await raw(sim, 'GET', '/apis/apps/v1');
    const appsResources = appsV1.json['resources'] as Record<string, unknown>[];
    expect(appsResources.find((r) => r['name'] === 'deployments')).toMatchObject({
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
    });
    expect(appsResources.find((r) => r['name'] === 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    for (const name of ['statefulsets', 'daemonsets', 'replicasets']) expect(appsResources.some((r) => r['name'] === name)).toBe(true);
    for (const [path, name] of [
      ['/apis/batch/v1', 'jobs'],
      ['/apis/rbac.authorization.k8s.io/v1', 'clusterrolebindings'],
      ['/apis/admissionregistration.k8s.io/v1', 'mutatingwebhookconfigurations'],
      ['/apis/apiextensions.k8s.io/v1', 'customresourcedefinitions'],
    ] as const) {
      const list = await raw(sim, 'GET', path);
      expect((list.json['resources'] as { name: string }[]).some((r) => r.name === name), name).toBe(true);
    }

    const unknown = await raw(sim, 'GET', '/apis/nope.example.com/v1');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
  });

  it('seeds the default namespaces and one Ready node', async () => {
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(namespaces.items.every((n) => n.status?.phase === 'Active')).toBe(true);
    const nodes = await core.listNode();
    expect(nodes.items).toHaveLength(1);
    expect(nodes.items[0]!.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});

describe('CRUD', () => {
  it('creates, reads, replaces and deletes core objects with the real metadata and response shapes', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'crud-a', labels: { tier: 'web' } }, data: { k: 'v' } } });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(created.metadata?.managedFields?.[0]).toMatchObject({ operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1' });

    const read = await core.readNamespacedConfigMap({ name: 'crud-a', namespace: 'default' });
    expect(read.data).toEqual({ k: 'v' });

    read.data = { k: 'v2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'crud-a', namespace: 'default', body: read });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));

    // Stale resourceVersion: 409 Conflict with the optimistic-lock message.
    const stale = await apiError(core.replaceNamespacedConfigMap({ name: 'crud-a', namespace: 'default', body: read }));
    expect(stale.code).toBe(409);
    expect(stale.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Operation cannot be fulfilled on configmaps "crud-a": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'crud-a', kind: 'configmaps' },
      code: 409,
    });

    const dup = await apiError(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'crud-a' } } }));
    expect(dup.code).toBe(409);
    expect(dup.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "crud-a" already exists',
      reason: 'AlreadyExists',
      details: { name: 'crud-a', kind: 'configmaps' },
      code: 409,
    });

    // DELETE of a ConfigMap answers with a Status; of a Pod with the object.
    const deleted = await raw(sim, 'DELETE', '/api/v1/namespaces/default/configmaps/crud-a');
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'crud-a', kind: 'configmaps', uid: created.metadata?.uid } });

    const missing = await apiError(core.readNamespacedConfigMap({ name: 'crud-a', namespace: 'default' }));
    expect(missing.code).toBe(404);
    expect(missing.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "crud-a" not found',
      reason: 'NotFound',
      details: { name: 'crud-a', kind: 'configmaps' },
      code: 404,
    });

    const pod = await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
    expect(pod.spec?.containers[0]?.imagePullPolicy).toBe('Always');
    const podDeleted = await raw(sim, 'DELETE', '/api/v1/namespaces/default/pods/p1');
    expect(podDeleted.json['kind']).toBe('Pod');
  });

  it('generates names, rejects invalid objects with 422 and unknown namespaces with 404', async () => {
    const generated = await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { generateName: 'gen-' }, stringData: { password: 'hunter2' } } });
    expect(generated.metadata?.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(generated.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
    expect(generated.type).toBe('Opaque');

    const noName = await apiError(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: {} } }));
    expect(noName.code).toBe(422);
    expect(noName.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
      reason: 'Invalid',
      details: { kind: 'ConfigMap', causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }] },
      code: 422,
    });

    const badName = await apiError(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'Bad_Name' } } }));
    expect(badName.code).toBe(422);
    expect((badName.body['details'] as { causes: { field: string }[] }).causes[0]!.field).toBe('metadata.name');

    const badDeploy = await apiError(
      apps.createNamespacedDeployment({
        namespace: 'default',
        body: { metadata: { name: 'bad' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [] } } } },
      }),
    );
    expect(badDeploy.code).toBe(422);
    expect(badDeploy.body['message']).toContain('Deployment.apps "bad" is invalid: [');
    expect((badDeploy.body['details'] as Record<string, unknown>)['group']).toBe('apps');

    const kindMismatch = await raw(sim, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } });
    expect(kindMismatch.status).toBe(400);
    expect(kindMismatch.json['reason']).toBe('BadRequest');
    const versionMismatch = await raw(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', { ...deployment('vm'), apiVersion: 'apps/v1beta1' });
    expect(versionMismatch.json['message']).toBe('the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)');

    const noNs = await apiError(core.createNamespacedConfigMap({ namespace: 'nowhere', body: { metadata: { name: 'x' } } }));
    expect(noNs.code).toBe(404);
    expect(noNs.body['message']).toBe('namespaces "nowhere" not found');

    const unknownResource = await raw(sim, 'GET', '/api/v1/namespaces/default/widgets');
    expect(unknownResource.status).toBe(404);
    const wrongMethod = await raw(sim, 'POST', '/api/v1/namespaces/default/configmaps/x', {});
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
  });

  it('lists with label selectors (=, !=, in, notin, exists, !key) and field selectors', async () => {
    await core.createNamespace({ body: { metadata: { name: 'sel' } } });
    const mk = (name: string, labels: Record<string, string>) => core.createNamespacedConfigMap({ namespace: 'sel', body: { metadata: { name, labels } } });
    await mk('a', { env: 'prod', tier: 'web' });
    await mk('b', { env: 'dev', tier: 'web' });
    await mk('c', { env: 'qa' });
    await mk('d', {});
    const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> => {
      const list = await core.listNamespacedConfigMap({ namespace: 'sel', ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) });
      return list.items.map((i) => i.metadata!.name!).filter((n) => n !== 'kube-root-ca.crt');
    };
    expect(await names('env=prod')).toEqual(['a']);
    expect(await names('env==dev')).toEqual(['b']);
    expect(await names('env!=prod')).toEqual(['b', 'c', 'd']);
    expect(await names('env in (prod, qa)')).toEqual(['a', 'c']);
    expect(await names('env notin (prod,qa)')).toEqual(['b', 'd']);
    expect(await names('tier')).toEqual(['a', 'b']);
    expect(await names('!tier')).toEqual(['c', 'd']);
    expect(await names('tier=web,env!=dev')).toEqual(['a']);
    expect(await names(undefined, 'metadata.name=c')).toEqual(['c']);
    expect(await names(undefined, 'metadata.name!=c,metadata.namespace=sel')).toEqual(['a', 'b', 'd']);

    const bad = await apiError(core.listNamespacedConfigMap({ namespace: 'sel', fieldSelector: 'spec.nope=1' }));
    expect(bad.code).toBe(400);
    expect(bad.body['message']).toBe('field label not supported: spec.nope');

    // Built-in list items come without apiVersion/kind, as from a real server.
    const rawList = await raw(sim, 'GET', '/api/v1/namespaces/sel/configmaps?labelSelector=env%3Dprod');
    expect(rawList.json).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: expect.any(String) } });
    expect((rawList.json['items'] as Record<string, unknown>[])[0]!['kind']).toBeUndefined();

    const page = await core.listNamespacedConfigMap({ namespace: 'sel', limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.metadata?._continue).toBeTruthy();
    const rest = await core.listNamespacedConfigMap({ namespace: 'sel', limit: 10, _continue: page.metadata!._continue! });
    expect(page.items.map((i) => i.metadata?.name)).toEqual(['a', 'b']);
    expect(rest.items.map((i) => i.metadata?.name)).toEqual(['c', 'd', 'kube-root-ca.crt']);
    expect(rest.metadata?._continue).toBeUndefined();
  });

  it('deleting a namespace removes its objects', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'x' } } });
    await apps.createNamespacedDeployment({ namespace: 'doomed', body: deployment('d') });
    const res = await raw(sim, 'DELETE', '/api/v1/namespaces/doomed');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' }, metadata: { deletionTimestamp: expect.any(String) } });
    const terminating = await apiError(core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'late' } } }));
    expect([403, 404]).toContain(terminating.code);
    await until(() => sim.store.list({ namespace: 'doomed' }).length + (sim.store.get('', 'namespaces', '', 'doomed') ? 1 : 0), (n) => n === 0);
    expect((await apiError(core.readNamespace({ name: 'doomed' }))).code).toBe(404);
  });
});

describe('patches', () => {
  it('supports merge patch, JSON patch and strategic merge patch with merge keys', async () => {
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('patchme') });
    const merged = await apps.patchNamespacedDeployment(
      { name: 'patchme', namespace: 'default', body: { metadata: { labels: { extra: 'yes' } }, spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ app: 'patchme', extra: 'yes' });
    expect(merged.spec?.replicas).toBe(3);
    expect(merged.metadata?.generation).toBe(2);

    const jsonPatched = await apps.patchNamespacedDeployment({
      name: 'patchme',
      namespace: 'default',
      body: [
        { op: 'test', path: '/spec/replicas', value: 3 },
        { op: 'remove', path: '/metadata/labels/extra' },
      ],
    });
    expect(jsonPatched.metadata?.labels).toEqual({ app: 'patchme' });

    const failed = await apiError(apps.patchNamespacedDeployment({ name: 'patchme', namespace: 'default', body: [{ op: 'test', path: '/spec/replicas', value: 9 }] }));
    expect(failed.code).toBe(422);
    expect(failed.body).toMatchObject({ reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });

    // Strategic merge: containers merge by name, env by name, ports by containerPort.
    const smp = await apps.patchNamespacedDeployment(
      {
        name: 'patchme',
        namespace: 'default',
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'web', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 443 }] },
                  { name: 'sidecar', image: 'envoy:1' },
                ],
                volumes: [{ name: 'data', emptyDir: {} }],
              },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const containers = smp.spec!.template.spec!.containers;
    expect(containers.map((c) => c.name)).toEqual(['web', 'sidecar']);
    expect(containers[0]!.image).toBe('nginx:1.25');
    expect(containers[0]!.ports!.map((p) => p.containerPort)).toEqual([80, 443]);
    expect(containers[0]!.env).toEqual([{ name: 'A', value: '1' }]);

    const removed = await apps.patchNamespacedDeployment(
      { name: 'patchme', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(removed.spec!.template.spec!.containers.map((c) => c.name)).toEqual(['web']);

    // A patch carrying a stale resourceVersion is a conflict.
    const stale = await apiError(
      apps.patchNamespacedDeployment(
        { name: 'patchme', namespace: 'default', body: { metadata: { resourceVersion: '1' }, spec: { replicas: 1 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(stale.code).toBe(409);
  });
});

describe('server-side apply', () => {
  it('creates, detects unchanged, reports conflicts and forces', async () => {
    const spec = deployment('ssa', { replicas: 2 });
    spec.metadata!.namespace = 'default';
    const created = await objects.patch(spec, undefined, undefined, 'engine', false, PatchStrategy.ServerSideApply);
    expect(created.metadata?.managedFields?.map((m) => [m.manager, m.operation])).toEqual([['engine', 'Apply']]);
    // Let the controller finish writing status, then re-apply the identical object: nothing changes.
    const settled = await until(
      () => apps.readNamespacedDeployment({ name: 'ssa', namespace: 'default' }),
      (d) => d.status?.availableReplicas === 2,
    );
    const again = await objects.patch(spec, undefined, undefined, 'engine', false, PatchStrategy.ServerSideApply);
    expect(again.metadata?.resourceVersion).toBe(settled.metadata?.resourceVersion);
    expect(again.metadata?.managedFields?.map((m) => [m.manager, m.operation, m.subresource])).toEqual([
      ['engine', 'Apply', undefined],
      ['kube-controller-manager', 'Update', 'status'],
    ]);

    const other = deployment('ssa', { replicas: 5 });
    other.metadata!.namespace = 'default';
    const conflict = await apiError(objects.patch(other, undefined, undefined, 'intruder', false, PatchStrategy.ServerSideApply));
    expect(conflict.code).toBe(409);
    expect(conflict.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "engine": .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "engine"', field: '.spec.replicas' }] },
      code: 409,
    });

    // Same value: shared ownership, no conflict.
    const shared = deployment('ssa', { replicas: 2 });
    shared.metadata!.namespace = 'default';
    await objects.patch(shared, undefined, undefined, 'sharer', false, PatchStrategy.ServerSideApply);

    const forced = await objects.patch(other, undefined, undefined, 'intruder', true, PatchStrategy.ServerSideApply);
    expect((forced as V1Deployment).spec?.replicas).toBe(5);
    const engine = forced.metadata?.managedFields?.find((m) => m.manager === 'engine');
    expect(JSON.stringify(engine?.fieldsV1)).not.toContain('f:replicas');

    // Removing a field from the applied configuration removes it when nobody else owns it.
    const slim = deployment('ssa', { replicas: 5 });
    slim.metadata!.namespace = 'default';
    slim.metadata!.labels = { app: 'ssa', keep: 'x' };
    await objects.patch(slim, undefined, undefined, 'intruder', false, PatchStrategy.ServerSideApply);
    delete slim.metadata!.labels!['keep'];
    const pruned = await objects.patch(slim, undefined, undefined, 'intruder', false, PatchStrategy.ServerSideApply);
    expect(pruned.metadata?.labels).toEqual({ app: 'ssa' });

    const noManager = await raw(sim, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/ssa', JSON.stringify(spec), { 'Content-Type': 'application/apply-patch+yaml' });
    expect(noManager.status).toBe(422);
    expect(noManager.json['message']).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  it('honours dryRun=All on create, update, patch and delete', async () => {
    const dry = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('dry'), dryRun: 'All' });
    expect(dry.metadata?.uid).toBeTruthy();
    expect(dry.metadata?.resourceVersion).toBeUndefined();
    expect(sim.store.get('apps', 'deployments', 'default', 'dry')).toBeUndefined();

    const spec = deployment('dry-ssa');
    spec.metadata!.namespace = 'default';
    await objects.patch(spec, undefined, 'All', 'engine', false, PatchStrategy.ServerSideApply);
    expect(sim.store.get('apps', 'deployments', 'default', 'dry-ssa')).toBeUndefined();

    const cm = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'dry-cm' }, data: { a: '1' } } });
    const patched = await core.patchNamespacedConfigMap({ name: 'dry-cm', namespace: 'default', body: { data: { a: '2' } }, dryRun: 'All' }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(patched.data).toEqual({ a: '2' });
    const replaced = await core.replaceNamespacedConfigMap({ name: 'dry-cm', namespace: 'default', body: { ...cm, data: { a: '3' } }, dryRun: 'All' });
    expect(replaced.data).toEqual({ a: '3' });
    await core.deleteNamespacedConfigMap({ name: 'dry-cm', namespace: 'default', dryRun: 'All' });
    const stored = sim.store.get('', 'configmaps', 'default', 'dry-cm');
    expect(stored?.['data']).toEqual({ a: '1' });
    expect(stored?.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
  });
});

describe('status subresource and the controller', () => {
  it('marks a Deployment available after the delay; the main endpoint ignores status and /status only changes status', async () => {
    const created = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('avail', { replicas: 3 }) });
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');
    expect(created.spec?.template.spec?.restartPolicy).toBe('Always');
    const ready = await until(
      () => apps.readNamespacedDeployment({ name: 'avail', namespace: 'default' }),
      (d) => d.status?.availableReplicas === 3,
    );
    expect(ready.status).toMatchObject({ observedGeneration: 1, replicas: 3, readyReplicas: 3, updatedReplicas: 3 });
    expect(ready.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);

    // Main endpoint: status changes are ignored.
    const withStatus = { ...ready, status: { ...ready.status, replicas: 99 } };
    const replaced = await apps.replaceNamespacedDeployment({ name: 'avail', namespace: 'default', body: withStatus });
    expect(replaced.status?.replicas).toBe(3);
    expect(replaced.metadata?.resourceVersion).toBe(ready.metadata?.resourceVersion);

    // /status: only status changes.
    const current = await apps.readNamespacedDeployment({ name: 'avail', namespace: 'default' });
    const statusOnly = await apps.replaceNamespacedDeploymentStatus({
      name: 'avail',
      namespace: 'default',
      body: { ...current, spec: { ...current.spec!, replicas: 7 }, status: { ...current.status, observedGeneration: 1, collisionCount: 4 } },
    });
    expect(statusOnly.spec?.replicas).toBe(3);
    expect(statusOnly.status?.collisionCount).toBe(4);
  });

  it('keeps never-ready objects progressing and completes Jobs', async () => {
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('stuck', { annotations: { 'kube-sim.meshery.io/never-ready': 'true' } }) });
    const batch = kc.makeApiClient((await import('@kubernetes/client-node')).BatchV1Api);
    await batch.createNamespacedJob({
      namespace: 'default',
      body: { metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
    });
    const job = await until(
      () => batch.readNamespacedJob({ name: 'once', namespace: 'default' }),
      (j) => (j.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True'),
    );
    expect(job.status?.succeeded).toBe(1);
    expect(job.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(job.metadata?.uid);
    const stuck = await apps.readNamespacedDeployment({ name: 'stuck', namespace: 'default' });
    expect(stuck.status?.availableReplicas).toBeUndefined();
    expect(stuck.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('False');
  });
});

describe('custom resources', () => {
  it('serves a CRD\'s resources (CRUD, status, discovery) and removes them with the CRD', async () => {
    const ext = kc.makeApiClient(ApiextensionsV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'gadgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['gd'] },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string', _default: 'blue' } } },
                    status: { type: 'object', properties: { phase: { type: 'string' } } },
                  },
                },
              },
            },
            { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } },
          ],
        },
      },
    });
    const crd = await until(
      () => ext.readCustomResourceDefinition({ name: 'gadgets.example.com' }),
      (c) => (c.status?.conditions ?? []).some((x) => x.type === 'Established' && x.status === 'True'),
    );
    expect(crd.status?.conditions?.map((c) => c.type)).toEqual(['NamesAccepted', 'Established']);
    expect(crd.status?.storedVersions).toEqual(['v1']);

    const disco = await raw(sim, 'GET', '/apis/example.com/v1');
    expect(disco.json['resources']).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'gadgets', singularName: 'gadget', namespaced: true, kind: 'Gadget', shortNames: ['gd'] }), expect.objectContaining({ name: 'gadgets/status' })]),
    );
    const group = await raw(sim, 'GET', '/apis/example.com');
    expect(group.json['preferredVersion']).toEqual({ groupVersion: 'example.com/v1', version: 'v1' });

    const created = (await custom.createNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'gadgets',
      body: { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 2, junk: true }, status: { phase: 'ignored' } },
    })) as KubernetesObject & { spec: Record<string, unknown>; status?: unknown };
    expect(created.spec).toEqual({ size: 2, color: 'blue' });
    expect(created.status).toBeUndefined();
    expect(created.metadata?.generation).toBe(1);

    const viaBeta = (await custom.getNamespacedCustomObject({ group: 'example.com', version: 'v1beta1', namespace: 'default', plural: 'gadgets', name: 'g1' })) as KubernetesObject;
    expect(viaBeta.apiVersion).toBe('example.com/v1beta1');

    const statusPatched = (await custom.patchNamespacedCustomObjectStatus(
      { group: 'example.com', version: 'v1', namespace: 'default', plural: 'gadgets', name: 'g1', body: { status: { phase: 'Ready' }, spec: { size: 9 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as { spec: { size: number }; status: { phase: string } };
    expect(statusPatched.status.phase).toBe('Ready');
    expect(statusPatched.spec.size).toBe(2);

    const smp = await apiError(
      custom.patchNamespacedCustomObject(
        { group: 'example.com', version: 'v1', namespace: 'default', plural: 'gadgets', name: 'g1', body: { spec: { size: 3 } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(smp.code).toBe(415);
    expect(smp.body['reason']).toBe('UnsupportedMediaType');

    const list = (await custom.listNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'gadgets' })) as { kind: string; items: KubernetesObject[] };
    expect(list.kind).toBe('GadgetList');
    expect(list.items[0]).toMatchObject({ apiVersion: 'example.com/v1', kind: 'Gadget' });

    const deleted = await raw(sim, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com');
    expect(deleted.json).toMatchObject({ kind: 'CustomResourceDefinition', metadata: { deletionTimestamp: expect.any(String) } });
    await until(() => raw(sim, 'GET', '/apis/example.com/v1'), (r) => r.status === 404);
    expect(sim.store.list({ group: 'example.com' })).toEqual([]);
    expect((await raw(sim, 'GET', '/apis')).text).not.toContain('example.com');
  });
});

describe('watch', () => {
  it('streams events in order, resumes from a resourceVersion, filters by label and sends bookmarks', async () => {
    const local = await startKubeSim({ bookmarkIntervalMs: 50, readyDelayMs: 10_000 });
    try {
      const lkc = new KubeConfig();
      lkc.loadFromString(local.kubeconfig);
      const lcore = lkc.makeApiClient(CoreV1Api);
      const start = (await lcore.listNamespacedConfigMap({ namespace: 'default' })).metadata!.resourceVersion!;
      const events: [string, string, string][] = [];
      const watch = new Watch(lkc);
      const controller = await watch.watch(
        '/api/v1/namespaces/default/configmaps',
        { resourceVersion: start, allowWatchBookmarks: true, labelSelector: 'watched=yes' },
        (type, obj: KubernetesObject) => events.push([type, obj.metadata?.name ?? '', obj.metadata?.resourceVersion ?? '']),
        () => {},
      );
      await lcore.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w1', labels: { watched: 'yes' } } } });
      await lcore.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'ignored' } } });
      await lcore.patchNamespacedConfigMap({ name: 'w1', namespace: 'default', body: { data: { a: '1' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await lcore.patchNamespacedConfigMap({ name: 'w1', namespace: 'default', body: { metadata: { labels: { watched: 'no' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await lcore.patchNamespacedConfigMap({ name: 'ignored', namespace: 'default', body: { metadata: { labels: { watched: 'yes' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await lcore.deleteNamespacedConfigMap({ name: 'ignored', namespace: 'default' });
      await until(() => events.filter((e) => e[0] !== 'BOOKMARK').length, (n) => n >= 5);
      await until(() => events.some((e) => e[0] === 'BOOKMARK'), (b) => b);
      controller.abort();
      const changes = events.filter((e) => e[0] !== 'BOOKMARK');
      expect(changes.map((e) => `${e[0]} ${e[1]}`)).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1', 'ADDED ignored', 'DELETED ignored']);
      const rvs = changes.map((e) => Number(e[2]));
      expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);

      // Resume after the second event: only what came later is replayed.
      const resumed: string[] = [];
      const c2 = await watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: changes[1]![2], labelSelector: 'watched=yes' }, (type, obj: KubernetesObject) => resumed.push(`${type} ${obj.metadata?.name}`), () => {});
      await until(() => resumed.length, (n) => n >= 3);
      c2.abort();
      expect(resumed).toEqual(['DELETED w1', 'ADDED ignored', 'DELETED ignored']);

      // Too old: the real server answers 200 and an ERROR event carrying a 410 Expired Status.
      local.store.compact();
      const expired: { type: string; obj: Record<string, unknown> }[] = [];
      let done = false;
      await watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: start }, (type, obj: Record<string, unknown>) => expired.push({ type, obj }), () => {
        done = true;
      });
      await until(() => done, (d) => d);
      expect(expired).toEqual([
        {
          type: 'ERROR',
          obj: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/), reason: 'Expired', code: 410 },
        },
      ]);

      // No resourceVersion: the current state first, then changes; watch=1 and timeoutSeconds work.
      const res = await raw(local, 'GET', '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1');
      const lines = res.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: KubernetesObject });
      expect(lines.map((l) => `${l.type} ${l.object.metadata?.name}`)).toEqual(['ADDED kube-root-ca.crt', 'ADDED w1']);
      expect(res.headers.get('content-type')).toBe('application/json');
    } finally {
      await local.close();
    }
  });
});

describe('faults', () => {
  it('injects 429 with Retry-After, 500, dropped connections and latency, scoped by method and path', async () => {
    sim.faults.tooManyRequests(1, { retryAfterSeconds: 3, path: '/api/v1/namespaces/*/configmaps' });
    const throttled = await apiError(core.listNamespacedConfigMap({ namespace: 'default' }));
    expect(throttled.code).toBe(429);
    expect(throttled.headers['retry-after']).toBe('3');
    expect(throttled.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Too many requests, please try again later.',
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 3 },
      code: 429,
    });
    await core.listNamespacedConfigMap({ namespace: 'default' });

    sim.faults.serverError(2, { method: 'POST' });
    await core.listNamespacedConfigMap({ namespace: 'default' });
    for (let i = 0; i < 2; i++) {
      const err = await apiError(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'faulty' } } }));
      expect(err.code).toBe(500);
      expect(err.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Internal error occurred: injected fault',
        reason: 'InternalError',
        details: { causes: [{ message: 'injected fault' }] },
        code: 500,
      });
    }
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'faulty' } } });

    sim.faults.drop(1, { path: /\/configmaps\/faulty$/ });
    await expect(core.readNamespacedConfigMap({ name: 'faulty', namespace: 'default' })).rejects.toThrow(/socket hang up|ECONNRESET|other side closed/);
    await core.readNamespacedConfigMap({ name: 'faulty', namespace: 'default' });

    const rule = sim.faults.latency(150, { path: '/version' });
    const t0 = Date.now();
    await raw(sim, 'GET', '/version');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    sim.faults.remove(rule.id);

    // Over HTTP too.
    const added = await raw(sim, 'POST', '/__kube-sim/faults', { kind: 'tooManyRequests', count: 1, retryAfterSeconds: 2, path: '/api/v1/nodes' });
    expect(added.status).toBe(201);
    const viaHttp = await apiError(core.listNode());
    expect(viaHttp.code).toBe(429);
    expect(sim.requests.some((r) => r.path === '/api/v1/nodes' && r.fault === 'tooManyRequests' && r.code === 429)).toBe(true);
    expect(sim.faults.list()).toEqual([]);
  });
});

describe('authentication and HTTPS', () => {
  it('answers 401 Unauthorized without the bearer token', async () => {
    const res = await fetch(`${sim.url}/api/v1/namespaces`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  it('serves HTTPS with a generated CA that the kubeconfig carries', async () => {
    const secure = await startKubeSim({ https: true });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(secure.kubeconfig).toContain('certificate-authority-data');
      const skc = new KubeConfig();
      skc.loadFromString(secure.kubeconfig);
      const caData = Buffer.from(skc.getCurrentCluster()!.caData!, 'base64').toString('utf8');
      expect(caData).toBe(secure.caCert);
      const namespaces = await skc.makeApiClient(CoreV1Api).listNamespace();
      expect(namespaces.items.length).toBe(4);
      const untrusted = new KubeConfig();
      untrusted.loadFromString(secure.kubeconfig.replace(/certificate-authority-data: .*/, ''));
      await expect(untrusted.makeApiClient(CoreV1Api).listNamespace()).rejects.toThrow(/certificate|self.signed|unable to verify/i);
    } finally {
      await secure.close();
    }
  });
});
