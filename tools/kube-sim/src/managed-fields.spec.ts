import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { fromFieldsV1, pathString, toFieldsV1 } from './fieldpath.js';
import type { KubeObject } from './json.js';
import { appliedFieldSet, applyConfiguration, trackUpdate, type FieldContext } from './managed-fields.js';
import { builtinSchemas } from './schema.js';

const ctx: FieldContext = { schema: builtinSchemas['apps/deployments']!, builtin: true, ignored: (f) => f === 'status' };

function deploy(replicas: number, image = 'nginx:1', extraLabels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default', labels: { app: 'd', ...extraLabels } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image, ports: [{ containerPort: 80 }] }] } },
    },
    status: { replicas: 1 },
  };
}

describe('fieldsV1', () => {
  it('encodes the applied set like the API server (keys with defaults, atomic selector, no status)', () => {
    const fields = toFieldsV1(appliedFieldSet(deploy(1), ctx));
    expect(fields).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"c"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
    expect(toFieldsV1(fromFieldsV1(fields))).toEqual(fields);
  });

  it('prints paths as fieldpath.Path.String()', () => {
    expect(pathString(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"c"}', 'f:image'])).toBe('.spec.template.spec.containers[name="c"].image');
    expect(pathString(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}'])).toBe('.spec.ports[port=80,protocol="TCP"]');
    expect(pathString(['f:metadata', 'f:finalizers', 'v:"x"'])).toBe('.metadata.finalizers[="x"]');
  });
});

describe('apply and update ownership', () => {
  const now = '2024-01-01T00:00:00Z';

  it('reports conflicts with Update managers, shares equal values, and force transfers ownership', () => {
    const created = deploy(1);
    created.metadata!.managedFields = trackUpdate({ live: undefined, updated: created, ctx, manager: 'kubectl-create', apiVersion: 'apps/v1', now });
    expect(created.metadata!.managedFields[0]!.fieldsV1['f:spec']).toHaveProperty('f:replicas');

    // Same values: no conflict, both own them.
    const same = applyConfiguration({ live: created, config: deploy(1), ctx, manager: 'engine', apiVersion: 'apps/v1', force: false, now });
    expect(same.metadata!.managedFields!.map((m) => m.manager)).toEqual(['engine', 'kubectl-create']);

    let error: ApiError | undefined;
    try {
      applyConfiguration({ live: same, config: deploy(3, 'nginx:2'), ctx, manager: 'engine', apiVersion: 'apps/v1', force: false, now });
    } catch (e) {
      error = e as ApiError;
    }
    expect(error?.code).toBe(409);
    expect(error?.message).toBe(
      `Apply failed with 2 conflicts: conflicts with "kubectl-create" using apps/v1 at ${now}:\n- .spec.replicas\n- .spec.template.spec.containers[name="c"].image`,
    );
    expect(error?.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: `conflict with "kubectl-create" using apps/v1 at ${now}`, field: '.spec.replicas' },
      { reason: 'FieldManagerConflict', message: `conflict with "kubectl-create" using apps/v1 at ${now}`, field: '.spec.template.spec.containers[name="c"].image' },
    ]);

    const forced = applyConfiguration({ live: same, config: deploy(3, 'nginx:2'), ctx, manager: 'engine', apiVersion: 'apps/v1', force: true, now });
    expect((forced['spec'] as { replicas: number }).replicas).toBe(3);
    const createFields = JSON.stringify(forced.metadata!.managedFields!.find((m) => m.manager === 'kubectl-create')!.fieldsV1);
    expect(createFields).not.toContain('f:replicas');
    expect(createFields).not.toContain('f:image');
  });

  it('prunes fields the applier stopped applying unless another manager owns them', () => {
    const first = applyConfiguration({ live: undefined, config: deploy(1, 'nginx:1', { a: '1', b: '2' }), ctx, manager: 'engine', apiVersion: 'apps/v1', force: false, now });
    const other = applyConfiguration({
      live: first,
      config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { b: '2' } } },
      ctx,
      manager: 'other',
      apiVersion: 'apps/v1',
      force: false,
      now,
    });
    const pruned = applyConfiguration({ live: other, config: deploy(1), ctx, manager: 'engine', apiVersion: 'apps/v1', force: false, now });
    expect(pruned.metadata!.labels).toEqual({ app: 'd', b: '2' });
  });
});
