/**
 * Protocol details beyond the client libraries' happy paths: server-side printing, subresources,
 * deletion semantics, OpenAPI, the control API and the CLI.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../src/index.js';
import { raw, until } from './helpers.js';

let sim: KubeSim;

beforeAll(async () => {
  sim = await startKubeSim({ readyDelayMs: 30 });
});

afterAll(async () => {
  await sim.close();
});

const deployment = (name: string, replicas = 1): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
  },
});

describe('content negotiation', () => {
  it('serves Table and PartialObjectMetadataList when asked, YAML on request, and accepts YAML bodies', async () => {
    const table = await raw(sim, 'GET', '/api/v1/namespaces', undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    });
    expect(table.headers.get('content-type')).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(table.json).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect((table.json['columnDefinitions'] as { name: string }[]).map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
    const rows = table.json['rows'] as { cells: unknown[]; object: Record<string, unknown> }[];
    expect(rows[0]!.cells.slice(0, 2)).toEqual(['default', 'Active']);
    expect(rows[0]!.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'default' } });

    const partial = await raw(sim, 'GET', '/api/v1/namespaces', undefined, { Accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' });
    expect(partial.json).toMatchObject({ kind: 'PartialObjectMetadataList', items: expect.arrayContaining([expect.objectContaining({ kind: 'PartialObjectMetadata' })]) });

    const yaml = await raw(sim, 'GET', '/api/v1/namespaces/default', undefined, { Accept: 'application/yaml' });
    expect(yaml.headers.get('content-type')).toBe('application/yaml');
    expect(yaml.text).toContain('kind: Namespace');

    const created = await raw(sim, 'POST', '/api/v1/namespaces/default/configmaps', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n', { 'Content-Type': 'application/yaml' });
    expect(created.status).toBe(201);
    expect(created.json['data']).toEqual({ a: 'b' });

    const protobufOnly = await raw(sim, 'GET', '/api/v1/namespaces', undefined, { Accept: 'application/vnd.kubernetes.protobuf' });
    expect(protobufOnly.status).toBe(406);
  });
});

describe('decoding errors', () => {
  it('rejects values the Go types cannot hold with 400, as the real decoder does', async () => {
    const secret = await raw(sim, 'POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'b64' }, data: { k: 'not base64!' } });
    expect(secret.status).toBe(400);
    expect(secret.json['message']).toMatch(/^Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte \d+$/);
    const cm = await raw(sim, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'num' }, data: { k: 1 } });
    expect(cm.status).toBe(400);
    expect(cm.json['message']).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
    const badJson = await raw(sim, 'POST', '/api/v1/namespaces/default/configmaps', '{"metadata":', { 'Content-Type': 'application/json' });
    expect(badJson.status).toBe(400);
    expect(badJson.json['reason']).toBe('BadRequest');
  });
});

describe('subresources and workloads', () => {
  it('serves /scale for Deployments and readiness for StatefulSets, DaemonSets and ReplicaSets', async () => {
    await raw(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('scaled', 2));
    const scale = await raw(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments/scaled/scale');
    expect(scale.json).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { selector: 'app=scaled' } });
    const patched = await raw(sim, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/scaled/scale', { spec: { replicas: 4 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.json['spec']).toEqual({ replicas: 4 });
    const d = await until(() => raw(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments/scaled'), (r) => (r.json['status'] as { availableReplicas?: number }).availableReplicas === 4);
    expect((d.json['metadata'] as { generation: number }).generation).toBe(2);

    for (const [resource, kind, check] of [
      ['statefulsets', 'StatefulSet', (s: Record<string, unknown>) => s['readyReplicas'] === 1 && s['currentRevision'] === s['updateRevision']],
      ['daemonsets', 'DaemonSet', (s: Record<string, unknown>) => s['numberAvailable'] === 1 && s['desiredNumberScheduled'] === 1],
      ['replicasets', 'ReplicaSet', (s: Record<string, unknown>) => s['availableReplicas'] === 1],
    ] as const) {
      const body: Record<string, unknown> = { ...deployment(`${resource}-x`), kind };
      if (resource === 'daemonsets') delete (body['spec'] as Record<string, unknown>)['replicas'];
      const res = await raw(sim, 'POST', `/apis/apps/v1/namespaces/default/${resource}`, body);
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      await until(() => raw(sim, 'GET', `/apis/apps/v1/namespaces/default/${resource}/${resource}-x`), (r) => check((r.json['status'] ?? {}) as Record<string, unknown>));
    }
  });

  it('rejects changes to immutable fields with 422', async () => {
    await raw(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('immutable'));
    const res = await raw(
      sim,
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/immutable',
      { spec: { selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } } } } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(res.status).toBe(422);
    expect(res.json['message']).toContain('spec.selector: Invalid value');
    expect(res.json['message']).toContain('field is immutable');
  });
});

describe('deletion', () => {
  it('honours finalizers, deletecollection, and garbage-collects dependents by ownerReferences', async () => {
    const owner = await raw(sim, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'owner' } });
    const uid = (owner.json['metadata'] as { uid: string }).uid;
    const ownerRef = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid }];
    await raw(sim, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'child', ownerReferences: ownerRef } });
    await raw(sim, 'POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });

    const held = await raw(sim, 'DELETE', '/api/v1/namespaces/default/secrets/held');
    expect(held.json).toMatchObject({ kind: 'Secret', metadata: { deletionTimestamp: expect.any(String), finalizers: ['example.com/hold'] } });
    expect(sim.store.get('', 'secrets', 'default', 'held')).toBeDefined();
    await raw(sim, 'PATCH', '/api/v1/namespaces/default/secrets/held', { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(sim.store.get('', 'secrets', 'default', 'held')).toBeUndefined();

    await raw(sim, 'DELETE', '/api/v1/namespaces/default/configmaps/owner');
    await until(() => sim.store.get('', 'configmaps', 'default', 'child'), (c) => c === undefined);

    for (const name of ['bulk-1', 'bulk-2', 'keep']) {
      await raw(sim, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name, labels: { bulk: name === 'keep' ? 'no' : 'yes' } } });
    }
    const bulk = await raw(sim, 'DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=bulk%3Dyes');
    expect(bulk.json).toMatchObject({ kind: 'ConfigMapList', items: [{ metadata: { name: 'bulk-1' } }, { metadata: { name: 'bulk-2' } }] });
    expect(sim.store.list({ resource: 'configmaps', namespace: 'default' }).map((r) => r.name)).toContain('keep');

    const pre = await raw(sim, 'DELETE', '/api/v1/namespaces/default/configmaps/keep', { preconditions: { uid: 'nope' } });
    expect(pre.status).toBe(409);
    expect(pre.json['message']).toContain('Precondition failed: UID in precondition: nope');
  });
});

describe('custom resource validation', () => {
  it('validates CRDs and custom objects against their schema', async () => {
    const badCrd = await raw(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      metadata: { name: 'wrong.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'things', kind: 'Thing' }, versions: [{ name: 'v1', served: true, storage: true }] },
    });
    expect(badCrd.status).toBe(422);
    expect((badCrd.json['details'] as { causes: { field: string }[] }).causes.map((c) => c.field)).toEqual(['metadata.name', 'spec.versions[0].schema.openAPIV3Schema']);

    await raw(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      metadata: { name: 'things.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { plural: 'things', kind: 'Thing' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 }, mode: { type: 'string', enum: ['a', 'b'] } } } } } },
          },
        ],
      },
    });
    const invalid = await raw(sim, 'POST', '/apis/example.com/v1/things', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec: { size: 0, mode: 'c' } });
    expect(invalid.status).toBe(422);
    expect(invalid.json['message']).toBe(
      'Thing.example.com "t" is invalid: [spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1, spec.mode: Unsupported value: "c": supported values: "a", "b"]',
    );
    const warned = await raw(sim, 'POST', '/apis/example.com/v1/things', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec: { size: 1, extra: 1 } });
    expect(warned.status).toBe(201);
    expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"spec.extra\\""');
    const wrongKind = await raw(sim, 'POST', '/apis/example.com/v1/things', { apiVersion: 'example.com/v1', kind: 'Other', metadata: { name: 'u' }, spec: { size: 1 } });
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.json['message']).toBe('Thing.example.com "u" is invalid: kind: Invalid value: "Other": must be Thing');
    const noRv = await raw(sim, 'PUT', '/apis/example.com/v1/things/t', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec: { size: 2 } });
    expect(noRv.status).toBe(422);
    expect(noRv.json['message']).toBe('Thing.example.com "t" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
  });
});

describe('OpenAPI', () => {
  it('serves /openapi/v3 and a v2 document as JSON and as protobuf', async () => {
    const root = await raw(sim, 'GET', '/openapi/v3');
    const paths = root.json['paths'] as Record<string, { serverRelativeURL: string }>;
    expect(paths['apis/apps/v1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    const apps = await raw(sim, 'GET', paths['apis/apps/v1']!.serverRelativeURL);
    const patch = (apps.json['paths'] as Record<string, { patch?: Record<string, unknown> }>)['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect((patch['parameters'] as { name: string }[]).map((p) => p.name)).toContain('fieldValidation');

    const v2 = await raw(sim, 'GET', '/openapi/v2');
    expect(v2.json['swagger']).toBe('2.0');
    const pb = await fetch(`${sim.url}/openapi/v2`, { headers: { Authorization: `Bearer ${sim.token}`, Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    const bytes = Buffer.from(await pb.arrayBuffer());
    expect(bytes.subarray(0, 5)).toEqual(Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]));
    expect(bytes.includes(Buffer.from('x-kubernetes-group-version-kind'))).toBe(true);
  });
});

describe('control API', () => {
  it('adjusts the ready delay, marks objects never-ready, lists objects and requests', async () => {
    expect((await raw(sim, 'PUT', '/__kube-sim/ready-delay', { ms: 5 })).json).toEqual({ ms: 5 });
    expect((await raw(sim, 'POST', '/__kube-sim/never-ready', { resource: 'deployments', name: 'frozen' })).status).toBe(200);
    await raw(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('frozen'));
    await raw(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment('quick'));
    await until(() => sim.store.get('apps', 'deployments', 'default', 'quick'), (o) => (o?.['status'] as { availableReplicas?: number }).availableReplicas === 1);
    expect((sim.store.get('apps', 'deployments', 'default', 'frozen')!['status'] as { availableReplicas?: number }).availableReplicas).toBeUndefined();
    const objects = await raw(sim, 'GET', '/__kube-sim/objects?group=apps&resource=deployments&namespace=default');
    expect((objects.json['items'] as { name: string }[]).map((i) => i.name)).toEqual(expect.arrayContaining(['frozen', 'quick']));
    const requests = await raw(sim, 'GET', '/__kube-sim/requests');
    expect((requests.json['requests'] as { path: string }[]).some((r) => r.path === '/apis/apps/v1/namespaces/default/deployments')).toBe(true);
    const faults = await raw(sim, 'POST', '/__kube-sim/faults', [{ kind: 'drop', path: '/healthz' }, { kind: 'latency', ms: 1 }]);
    expect((faults.json['faults'] as unknown[]).length).toBe(2);
    expect((await raw(sim, 'DELETE', '/__kube-sim/faults')).json).toEqual({ faults: [] });
    expect((await raw(sim, 'POST', '/__kube-sim/faults', { kind: 'nonsense' })).status).toBe(400);
  });
});

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'dist', 'cli.js');
if (!existsSync(cli)) console.warn(`kube-sim CLI test skipped: ${cli} is not built (npm run build)`);

describe.skipIf(!existsSync(cli))('CLI', () => {
  it('starts, writes a kubeconfig, serves it and stops on SIGTERM', async () => {
    const kubeconfigPath = path.join(tmpdir(), `kube-sim-cli-${process.pid}.kubeconfig`);
    const child = spawn(process.execPath, [cli, '--https', '--kubeconfig', kubeconfigPath, '--ready-delay-ms', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await until(() => out, (o) => o.includes('kubeconfig written to'), 10_000);
      expect(out).toMatch(/kube-sim listening on https:\/\/127\.0\.0\.1:\d+/);
      const kubeconfig = await readFile(kubeconfigPath, 'utf8');
      expect(kubeconfig).toContain('certificate-authority-data');
      expect(kubeconfig).toMatch(/token: \S+/);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(kubeconfigPath, { force: true });
    }
  });
});
