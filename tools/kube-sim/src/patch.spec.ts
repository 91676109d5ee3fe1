import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { applyJsonPatch, decodeJsonPatch, jsonMergePatch, strategicMergePatch } from './patch.js';
import { builtinSchemas } from './schema.js';

const deploymentSchema = builtinSchemas['apps/deployments'];

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, replaces lists and deletes with null', () => {
    expect(jsonMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] })).toEqual({ a: 1, b: { d: 3, e: 4 }, l: [3] });
    expect(jsonMergePatch({ a: 1 }, 'x')).toBe('x');
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { metadata: { labels: { a: '1' } }, list: [1, 2, 3], 'we/ird~': true };
  it('applies add, remove, replace, move, copy and test', () => {
    const ops = decodeJsonPatch([
      { op: 'add', path: '/metadata/labels/b', value: '2' },
      { op: 'add', path: '/list/-', value: 4 },
      { op: 'add', path: '/list/0', value: 0 },
      { op: 'remove', path: '/list/1' },
      { op: 'replace', path: '/metadata/labels/a', value: 'one' },
      { op: 'copy', from: '/metadata/labels/a', path: '/copied' },
      { op: 'move', from: '/copied', path: '/moved' },
      { op: 'test', path: '/we~1ird~0', value: true },
    ]);
    expect(applyJsonPatch(doc, ops)).toEqual({ metadata: { labels: { a: 'one', b: '2' } }, list: [0, 2, 3, 4], 'we/ird~': true, moved: 'one' });
    expect(doc.list).toEqual([1, 2, 3]);
  });

  it('fails like evanphx/json-patch: 422 for missing paths and failed tests, 400 for malformed patches', () => {
    const status = (fn: () => unknown): number => {
      try {
        fn();
      } catch (e) {
        return (e as ApiError).code;
      }
      return 0;
    };
    expect(status(() => applyJsonPatch(doc, decodeJsonPatch([{ op: 'remove', path: '/nope' }])))).toBe(422);
    expect(status(() => applyJsonPatch(doc, decodeJsonPatch([{ op: 'replace', path: '/nope', value: 1 }])))).toBe(422);
    expect(status(() => applyJsonPatch(doc, decodeJsonPatch([{ op: 'test', path: '/list/0', value: 9 }])))).toBe(422);
    expect(status(() => applyJsonPatch(doc, decodeJsonPatch([{ op: 'add', path: '/a/b/c', value: 1 }])))).toBe(422);
    expect(status(() => decodeJsonPatch({ op: 'add' }))).toBe(400);
  });
});

describe('strategic merge patch', () => {
  const live = {
    metadata: { labels: { app: 'x' }, finalizers: ['a', 'b'] },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
            { name: 'side', image: 'side:1' },
          ],
          tolerations: [{ key: 'a' }],
        },
      },
    },
  };

  it('merges lists by their patch merge keys and replaces lists without one', () => {
    const out = strategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: '2' }] }, { name: 'new', image: 'n:1' }],
              tolerations: [{ key: 'b' }],
            },
          },
        },
      },
      deploymentSchema,
    ) as typeof live;
    const containers = out.spec.template.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(['app', 'side', 'new']);
    expect(containers[0]).toMatchObject({ image: 'app:2', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] });
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'b' }]);
  });

  it('understands $patch, $retainKeys, $deleteFromPrimitiveList and $setElementOrder', () => {
    const out = strategicMergePatch(
      live,
      {
        metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] },
        spec: {
          strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
              containers: [{ name: 'side', $patch: 'delete' }, { name: 'app', ports: [{ $patch: 'replace' }, { containerPort: 8080 }] }],
            },
          },
        },
      },
      deploymentSchema,
    ) as typeof live;
    expect(out.metadata.finalizers).toEqual(['b', 'c']);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['app']);
    expect(out.spec.template.spec.containers[0]!.ports).toEqual([{ containerPort: 8080 }]);
    expect(JSON.stringify(out)).not.toContain('$');
  });

  it('replaces a whole map with $patch: replace and deletes one with $patch: delete', () => {
    const out = strategicMergePatch(live, { metadata: { labels: { $patch: 'replace', only: 'me' } }, spec: { strategy: { $patch: 'delete' } } }, deploymentSchema) as Record<string, Record<string, unknown>>;
    expect(out['metadata']!['labels']).toEqual({ only: 'me' });
    expect(out['spec']!['strategy']).toBeUndefined();
  });
});
