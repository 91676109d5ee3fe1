import { describe, expect, it } from 'vitest';
import { controlPlaneVersion, deploymentCheck, imageTag, versionOfTag } from './istio-health.js';

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
});
