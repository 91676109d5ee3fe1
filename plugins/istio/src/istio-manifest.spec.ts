import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { editManifest, manifestCrds, manifestDocuments, sampleManifestFor, summarizeManifest, withNamespace } from './istio-manifest.js';

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

  it('leaves documents out and deletes fields, keeping every other document as it was', () => {
    const manifest = `# Istio
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gateways.networking.istio.io
spec:
  group: networking.istio.io
  versions:
  - { name: v1, served: true }
  - { name: v1alpha2, served: false }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: istiod-default-validator
webhooks:
- name: validation.istio.io
  failurePolicy: Ignore
  clientConfig:
    service: { name: istiod, namespace: istio-system }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
data:
  mesh: |-
    # kept verbatim
    enablePrometheusMerge: "on"
`;
    expect(manifestCrds(manifest)).toEqual([{ name: 'gateways.networking.istio.io', group: 'networking.istio.io', servedVersions: ['v1'] }]);
    expect(editManifest(manifest, 'm', () => undefined)).toBe(manifest);
    const edited = editManifest(manifest, 'm', (object) =>
      object['kind'] === 'CustomResourceDefinition' ? { drop: true } : object['kind'] === 'ValidatingWebhookConfiguration' ? { remove: [['webhooks', 0, 'failurePolicy']] } : undefined,
    );
    const objects = manifestDocuments(edited, 'm');
    expect(objects.map((o) => o['kind'])).toEqual(['ValidatingWebhookConfiguration', 'ConfigMap']);
    expect(objects[0]).toMatchObject({ webhooks: [{ name: 'validation.istio.io', clientConfig: { service: { name: 'istiod' } } }] });
    expect((objects[0]!['webhooks'] as object[])[0]).not.toHaveProperty('failurePolicy');
    expect(edited).toContain('  mesh: |-\n    # kept verbatim\n    enablePrometheusMerge: "on"\n');
  });
});
