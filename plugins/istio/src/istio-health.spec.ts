import type { KubernetesObjectRef, KubernetesService } from '@meshery/plugin-api';
import { describe, expect, it } from 'vitest';
import { controlPlaneVersion, deploymentCheck, imageTag, istioStatus, KNOWN_ISTIO_CRDS, versionOfTag } from './istio-health.js';

/** A cluster of CRDs (by name) and one istiod, that fails on any list but the control-plane lookup. */
function fakeCluster(crds: Record<string, boolean>, labelledByMeshery: boolean) {
  const gets: string[] = [];
  const istiod = {
    metadata: { name: 'istiod', namespace: 'istio-system', labels: { app: 'istiod', ...(labelledByMeshery ? { 'app.kubernetes.io/managed-by': 'meshery' } : {}) } },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.24.0' }] } } },
    status: { availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] },
  };
  const kube = {
    async list(_contextId: string, query: { kind: string; labelSelector?: string }) {
      if (query.kind === 'Deployment' && query.labelSelector === 'app=istiod') return [istiod];
      throw new Error(`unexpected list of ${query.kind}`);
    },
    async get(_contextId: string, ref: KubernetesObjectRef) {
      if (ref.kind !== 'CustomResourceDefinition') return null;
      gets.push(ref.name);
      if (!(ref.name in crds)) return null;
      return { metadata: { name: ref.name }, status: { conditions: [{ type: 'Established', status: crds[ref.name] ? 'True' : 'False' }] } };
    },
  } as unknown as KubernetesService;
  return { kube, gets };
}

describe('Istio health helpers', () => {
  it('reads image tags and the Istio version they stand for', () => {
    expect(imageTag('docker.io/istio/pilot:1.24.0')).toBe('1.24.0');
    expect(imageTag('localhost:5000/istio/pilot')).toBeUndefined();
    expect(imageTag('gcr.io/istio-release/pilot:1.23.2-distroless@sha256:abc')).toBe('1.23.2-distroless');
    expect(versionOfTag('1.23.2-distroless')).toBe('1.23.2');
    expect(imageTag(undefined)).toBeUndefined();
  });

  it('takes the version from the installer labels first, then from the pilot image', () => {
    const pilot = { spec: { template: { spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.22.3' }] } } } };
    expect(controlPlaneVersion({ metadata: { labels: { 'operator.istio.io/version': '1.22.1' } }, ...pilot })).toBe('1.22.1');
    expect(controlPlaneVersion({ metadata: { labels: { 'app.kubernetes.io/version': '1.22.2' } }, ...pilot })).toBe('1.22.2');
    expect(controlPlaneVersion({ metadata: {}, ...pilot })).toBe('1.22.3');
  });

  it('judges a Deployment by its available replicas and Available condition', () => {
    const ready = { metadata: { name: 'istiod' }, spec: { replicas: 2 }, status: { availableReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] } };
    expect(deploymentCheck('istiod', 'istio-system', ready)).toEqual({ component: 'istiod', healthy: true, message: '2/2 replicas available' });
    const partial = { ...ready, status: { availableReplicas: 1, conditions: [{ type: 'Available', status: 'False', message: 'Deployment does not have minimum availability.' }] } };
    expect(deploymentCheck('istiod', 'istio-system', partial)).toMatchObject({
      healthy: false,
      message: '1/2 replicas available (Deployment does not have minimum availability.)',
      remediation: 'kubectl describe deployment istiod -n istio-system; kubectl logs deployment/istiod -n istio-system',
    });
    expect(deploymentCheck('istio-ingressgateway', 'istio-system', null)).toMatchObject({ healthy: false, message: 'Deployment istio-system/istio-ingressgateway not found' });
  });

  it('reads the CRDs an installation needs by name, never listing every CRD of the cluster', async () => {
    const record = { version: '1.24.0', inventoryId: 'i', namespace: 'istio-system', namespaceCreated: true, installedAt: '', state: 'installed' as const };
    const ours = fakeCluster({ 'gateways.networking.istio.io': true, 'sidecars.networking.istio.io': true }, true);
    const status = await istioStatus(ours.kube, 'c', record, ['gateways.networking.istio.io', 'sidecars.networking.istio.io', 'virtualservices.networking.istio.io']);
    expect(ours.gets.sort()).toEqual(['gateways.networking.istio.io', 'sidecars.networking.istio.io', 'virtualservices.networking.istio.io']);
    expect(status.checks.find((c) => c.component === 'CRDs')).toMatchObject({ healthy: false, message: "1 of the installation's CRDs missing: virtualservices.networking.istio.io" });

    // Someone else's installation: the known Istio CRDs, those present checked.
    const foreign = fakeCluster({ 'gateways.networking.istio.io': true, 'sidecars.networking.istio.io': false }, false);
    const other = await istioStatus(foreign.kube, 'c', undefined, []);
    expect(foreign.gets.sort()).toEqual([...KNOWN_ISTIO_CRDS].sort());
    expect(other.checks.find((c) => c.component === 'CRDs')).toMatchObject({ healthy: false, message: '1 of 2 Istio CRDs not established: sidecars.networking.istio.io' });
  });
});
