/**
 * kube-sim driven by the kubectl binary (KUBECONFIG = the generated file, HTTPS with the generated
 * CA; kubectl only sends bearer tokens over TLS). Skipped, with a message, only when no kubectl
 * binary exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../src/index.js';
import { findKubectl, kubectlEnv, until, type KubectlEnv } from './helpers.js';

const kubectl = findKubectl();
if (!kubectl) console.warn('kube-sim kubectl tests skipped: no kubectl binary (looked at $KUBECTL, /usr/bin/kubectl, /usr/local/bin/kubectl)');

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
`;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
`;

describe.skipIf(!kubectl)('kubectl against kube-sim', () => {
  let sim: KubeSim;
  let k: KubectlEnv;

  beforeAll(async () => {
    sim = await startKubeSim({ https: true, readyDelayMs: 50 });
    k = await kubectlEnv(kubectl!, sim);
  });

  afterAll(async () => {
    await sim?.close();
    await k?.cleanup();
  });

  it('kubectl version and get ns', async () => {
    const version = await k.run(['version', '-o', 'json']);
    expect(version.code, version.stderr).toBe(0);
    expect(JSON.parse(version.stdout).serverVersion.gitVersion).toBe('v1.28.0');

    const ns = await k.run(['get', 'ns']);
    expect(ns.code, ns.stderr).toBe(0);
    expect(ns.stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) expect(ns.stdout).toMatch(new RegExp(`^${name}\\s+Active\\s+\\d+s$`, 'm'));
    expect(ns.stderr).toBe('');
  });

  it('kubectl apply -f (client-side): created, unchanged, configured', async () => {
    const file = await k.file('app.yaml', DEPLOYMENT);
    const first = await k.run(['apply', '-f', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('deployment.apps/web created\nconfigmap/settings created\n');
    expect(first.stderr).toBe('');

    const second = await k.run(['apply', '-f', file]);
    expect(second.stdout).toBe('deployment.apps/web unchanged\nconfigmap/settings unchanged\n');

    const changed = await k.file('app2.yaml', DEPLOYMENT.replace('nginx:1.25', 'nginx:1.26').replace('mode: fast', 'mode: slow'));
    const third = await k.run(['apply', '-f', changed]);
    expect(third.stdout).toBe('deployment.apps/web configured\nconfigmap/settings configured\n');
    const stored = sim.store.get('apps', 'deployments', 'default', 'web') as { spec: { template: { spec: { containers: { image: string }[] } } }; metadata: { annotations: Record<string, string> } };
    expect(stored.spec.template.spec.containers[0]!.image).toBe('nginx:1.26');
    expect(stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('nginx:1.26');
    // Client-side apply sent a strategic merge patch.
    expect(sim.requests.some((r) => r.method === 'PATCH' && r.path === '/apis/apps/v1/namespaces/default/deployments/web' && r.code === 200)).toBe(true);
  });

  it('kubectl get deploy -o json and rollout status', async () => {
    const rollout = await k.run(['rollout', 'status', 'deployment/web', '--timeout=10s']);
    expect(rollout.code, rollout.stderr).toBe(0);
    expect(rollout.stdout).toContain('deployment "web" successfully rolled out');

    const json = await k.run(['get', 'deploy', '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const list = JSON.parse(json.stdout) as { kind: string; items: { kind: string; metadata: { name: string }; status: { availableReplicas: number } }[] };
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ kind: 'Deployment', metadata: { name: 'web' }, status: { availableReplicas: 2 } });

    const table = await k.run(['get', 'deploy', 'web']);
    expect(table.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+2\/2\s+2\s+2\s+\d+s\n$/);
  });

  it('kubectl apply --server-side: applied, conflict, forced', async () => {
    const ssaManifest = DEPLOYMENT.replace('name: web', 'name: api').replace(/app: web/g, 'app: api').replace('name: settings', 'name: ssa-settings');
    const file = await k.file('ssa.yaml', ssaManifest);
    const first = await k.run(['apply', '--server-side', '-f', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('deployment.apps/api serverside-applied\nconfigmap/ssa-settings serverside-applied\n');
    const created = sim.store.get('apps', 'deployments', 'default', 'api')!;
    expect(created.metadata?.managedFields?.find((m) => m.manager === 'kubectl')?.operation).toBe('Apply');

    const scaled = await k.file('ssa-3.yaml', ssaManifest.replace('replicas: 2', 'replicas: 3'));
    const conflict = await k.run(['apply', '--server-side', '--field-manager=other', '-f', scaled]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');

    const forced = await k.run(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', scaled]);
    expect(forced.code, forced.stderr).toBe(0);
    expect((sim.store.get('apps', 'deployments', 'default', 'api') as { spec: { replicas: number } }).spec.replicas).toBe(3);

    // Server-side apply over a client-side applied object with a different value conflicts with
    // the client-side manager, exactly as on a real server.
    const csa = await k.run(['apply', '--server-side', '-f', await k.file('back.yaml', DEPLOYMENT)]);
    expect(csa.code).not.toBe(0);
    expect(csa.stderr).toMatch(/Apply failed with \d+ conflicts?: conflicts? with "kubectl-client-side-apply" using (apps\/)?v1/);
  });

  it('kubectl applies a CRD and its custom resources', async () => {
    const crd = await k.file('crd.yaml', CRD);
    const applied = await k.run(['apply', '-f', crd]);
    expect(applied.stdout).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n');
    const established = await k.run(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s']);
    expect(established.code, established.stderr).toBe(0);
    const cr = await k.file('cr.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n');
    expect((await k.run(['apply', '-f', cr])).stdout).toBe('widget.example.com/w1 created\n');
    expect((await k.run(['apply', '--server-side', '-f', cr])).stdout).toBe('widget.example.com/w1 serverside-applied\n');
    const table = await k.run(['get', 'wd']);
    expect(table.stdout).toMatch(/^NAME\s+SIZE\nw1\s+3\n$/);
    const bad = await k.run(['apply', '-f', '-'], { input: '{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w2"},"spec":{"size":1,"bogus":true}}' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unknown field "spec.bogus"');
  });

  it('kubectl delete -f removes what it applied', async () => {
    const file = await k.file('app-del.yaml', DEPLOYMENT);
    const deleted = await k.run(['delete', '-f', file]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe('deployment.apps "web" deleted\nconfigmap "settings" deleted\n');
    await until(() => sim.store.get('apps', 'deployments', 'default', 'web'), (o) => o === undefined);
    const after = await k.run(['get', 'deploy', 'web']);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('Error from server (NotFound): deployments.apps "web" not found');
  });
});
