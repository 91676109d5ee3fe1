import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { manifestDocuments, sampleManifestFor, summarizeManifest, withNamespace } from './istio-manifest.js';

const generated = `# comment
apiVersion: v1
kind: ServiceAccount
metadata:
  name: istiod
  namespace: istio-system
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: istiod
  namespace: istio-system
---
`;

describe('Istio manifests', () => {
  it('prepends the control plane Namespace istioctl leaves out, once', () => {
    const manifest = withNamespace(generated, 'istio-system');
    const objects = manifestDocuments(manifest, 'test');
    expect(objects[0]).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } });
    expect(objects).toHaveLength(3);
    expect(withNamespace(manifest, 'istio-system')).toBe(manifest);
    expect(summarizeManifest(manifest)).toMatchObject({ crds: 0, deployments: ['istiod'] });
  });

  it('moves a sample app into the namespace asked for and drops its Namespace objects', () => {
    const sample = `apiVersion: v1
kind: Namespace
metadata:
  name: emojivoto
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: emojivoto
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
`;
    const out = parseAllDocuments(sampleManifestFor(sample, 'demo', 'sample')).map((d) => d.toJS());
    expect(out).toEqual([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'demo' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web' } },
    ]);
  });

  it('reports output that is not YAML as an INTERNAL error naming it', () => {
    expect(() => manifestDocuments('a: [1, 2\n', 'The generated manifest')).toThrow(/The generated manifest is not valid YAML/);
    expect(() => sampleManifestFor('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n', 'demo', 'bookinfo.yaml')).toThrow(/holds no objects/);
  });
});
