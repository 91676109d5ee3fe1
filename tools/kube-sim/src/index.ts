/**
 * kube-sim: a real HTTP(S) server on 127.0.0.1 speaking enough of the Kubernetes REST protocol for
 * @kubernetes/client-node and kubectl to work against it. See README.md for what it does and
 * does not do.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Api } from './api.js';
import { Controller, NEVER_READY_ANNOTATION, FAIL_ANNOTATION, type ObjectMatcher } from './controller.js';
import { Faults } from './faults.js';
import { clone, rfc3339, type KubeObject } from './json.js';
import { buildKubeconfig } from './kubeconfig.js';
import { OpenApi } from './openapi.js';
import { Registry } from './registry.js';
import { RequestHandler, SERVER_VERSION, type RequestRecord } from './server.js';
import { Store, type StoredRef } from './store.js';
import { generateServingCertificates } from './tls.js';

export { NEVER_READY_ANNOTATION, FAIL_ANNOTATION, SERVER_VERSION };
export type { ObjectMatcher, RequestRecord, StoredRef };
export type { FaultKind, FaultRule, FaultSpec } from './faults.js';
export { Faults } from './faults.js';
export type { KubeObject, ObjectMeta, ManagedFieldsEntry } from './json.js';
export { buildKubeconfig } from './kubeconfig.js';

export interface KubeSimOptions {
  /** Port to listen on (default 0: an ephemeral port). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Serve HTTPS with a CA and serving certificate generated at start (default false). */
  https?: boolean;
  /** Bearer token clients must send; a random one by default; `null` disables authentication. */
  token?: string | null;
  /** Also write the kubeconfig to this file. */
  kubeconfigPath?: string;
  /** How long workloads, jobs and pods take to become ready/complete (default 100 ms). */
  readyDelayMs?: number;
  /** How long a deleted Namespace or CRD stays Terminating before its content is cleaned up (default 0). */
  finalizeDelayMs?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 60 s, as the real server). */
  bookmarkIntervalMs?: number;
  /** Change events kept for resuming watches; older resourceVersions get 410 Expired (default 1000). */
  watchHistoryLimit?: number;
  /** Server-side timeout of watches that do not set timeoutSeconds (default 1800 s). */
  defaultWatchTimeoutSeconds?: number;
  /** Create the default namespaces, a Ready node, the kubernetes Service and a few ClusterRoles (default true). */
  seed?: boolean;
}

export interface ObjectFilter {
  group?: string;
  resource?: string;
  namespace?: string;
  name?: string;
}

/** Read access to stored objects, for assertions. */
export interface SimStore {
  /** The current global resourceVersion. */
  readonly resourceVersion: number;
  /** Every stored object matching the filter (group '' is the core group). */
  list(filter?: ObjectFilter): StoredRef[];
  get(group: string, resource: string, namespace: string, name: string): KubeObject | undefined;
  /** Forgets the watch event history: watches resuming from an older resourceVersion get Expired. */
  compact(): void;
}

export interface KubeSim {
  /** `http(s)://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The kubeconfig YAML (server, CA data when HTTPS, token). */
  kubeconfig: string;
  kubeconfigPath?: string;
  /** The bearer token, when authentication is on. */
  token?: string;
  /** PEM of the CA that signed the serving certificate, when HTTPS. */
  caCert?: string;
  faults: Faults;
  store: SimStore;
  /** The most recent requests (method, path, status code, fault), oldest first. */
  requests: RequestRecord[];
  setReadyDelay(ms: number): void;
  /** Objects matching this never become ready/complete (like the never-ready annotation). */
  neverReady(matcher: ObjectMatcher): void;
  close(): Promise<void>;
}

function seed(api: Api): void {
  const reg = api.registry;
  const opts = { fieldManager: 'kube-apiserver' };
  const ns = reg.find('', 'v1', 'namespaces')!;
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) api.create(ns, undefined, { metadata: { name } }, opts);

  const nodes = reg.find('', 'v1', 'nodes')!;
  const nodeName = 'kube-sim-node';
  api.create(
    nodes,
    undefined,
    {
      metadata: {
        name: nodeName,
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': nodeName,
          'kubernetes.io/os': 'linux',
          'node-role.kubernetes.io/control-plane': '',
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
    },
    { fieldManager: 'kubelet' },
  );
  const now = rfc3339();
  const node = api.get(nodes, undefined, nodeName);
  const resources = { cpu: '4', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0', memory: '8Gi', pods: '110' };
  const cond = (type: string, status: string, reason: string, message: string): Record<string, string> => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  const withStatus = clone(node);
  withStatus['status'] = {
    capacity: resources,
    allocatable: resources,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: '172.18.0.2' },
      { type: 'Hostname', address: nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: randomBytes(16).toString('hex'),
      systemUUID: randomBytes(16).toString('hex'),
      bootID: randomBytes(16).toString('hex'),
      kernelVersion: '6.1.0',
      osImage: 'kube-sim',
      containerRuntimeVersion: 'containerd://1.7.1',
      kubeletVersion: SERVER_VERSION.gitVersion,
      kubeProxyVersion: SERVER_VERSION.gitVersion,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
  api.commitUpdate(nodes, api.store.get('/nodes', '', nodeName)!, withStatus, { fieldManager: 'kubelet' }, { subresource: 'status' });

  const svc = reg.find('', 'v1', 'services')!;
  api.create(
    svc,
    'default',
    {
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
    },
    opts,
  );
  const ep = reg.find('', 'v1', 'endpoints')!;
  api.create(
    ep,
    'default',
    {
      metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    },
    opts,
  );
  const cr = reg.find('rbac.authorization.k8s.io', 'v1', 'clusterroles')!;
  const bootstrap = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
  api.create(cr, undefined, { metadata: { name: 'cluster-admin', labels: bootstrap, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] }, opts);
  for (const name of ['admin', 'edit', 'view']) {
    api.create(cr, undefined, { metadata: { name, labels: bootstrap, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } }, rules: [] }, opts);
  }
  const crb = reg.find('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings')!;
  api.create(
    crb,
    undefined,
    {
      metadata: { name: 'cluster-admin', labels: bootstrap, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
    },
    opts,
  );
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token === null ? undefined : (options.token ?? randomBytes(24).toString('base64url'));
  const registry = new Registry();
  const store = new Store(options.watchHistoryLimit ?? 1000);
  store.subscribe((e) => {
    if (e.key !== 'apiextensions.k8s.io/customresourcedefinitions') return;
    if (e.type === 'DELETED') registry.removeCrd(e.name);
    else registry.setCrd(e.object);
  });
  const api = new Api(registry, store);
  const controller = new Controller(api, { readyDelayMs: options.readyDelayMs ?? 100, finalizeDelayMs: options.finalizeDelayMs ?? 0 });
  const faults = new Faults();
  const openapi = new OpenApi(registry, SERVER_VERSION.gitVersion);
  const certs = options.https ? await generateServingCertificates() : undefined;
  controller.caCert = certs?.caCert ?? '';

  if (options.seed !== false) seed(api);
  controller.start();

  let port = 0;
  const handler = new RequestHandler({
    api,
    controller,
    faults,
    openapi,
    token,
    serverAddress: () => `${host}:${port}`,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    defaultWatchTimeoutSeconds: options.defaultWatchTimeoutSeconds ?? 1800,
    requestLogLimit: 1000,
  });
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void handler.handle(req, res);
  };
  const server = certs ? https.createServer({ key: certs.key, cert: certs.cert }, listener) : http.createServer(listener);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  if (certs) {
    server.on('secureConnection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `${certs ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const kubeconfig = buildKubeconfig({ server: url, ...(token ? { token } : {}), ...(certs ? { caCert: certs.caCert } : {}) });
  if (options.kubeconfigPath) await writeFile(options.kubeconfigPath, kubeconfig, { mode: 0o600 });

  let closed: Promise<void> | undefined;
  const simStore: SimStore = {
    get resourceVersion() {
      return store.resourceVersion;
    },
    list(filter: ObjectFilter = {}) {
      return store.all().filter((r) => {
        const [g, res] = r.key.split('/', 2);
        return (
          (filter.group === undefined || g === filter.group) &&
          (filter.resource === undefined || res === filter.resource) &&
          (filter.namespace === undefined || r.namespace === filter.namespace) &&
          (filter.name === undefined || r.name === filter.name)
        );
      });
    },
    get(group, resource, namespace, name) {
      return store.get(`${group}/${resource}`, namespace, name);
    },
    compact() {
      store.compact();
    },
  };
  return {
    url,
    port,
    kubeconfig,
    ...(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}),
    ...(token ? { token } : {}),
    ...(certs ? { caCert: certs.caCert } : {}),
    faults,
    store: simStore,
    requests: handler.requests,
    setReadyDelay(ms: number) {
      controller.readyDelayMs = ms;
    },
    neverReady(matcher: ObjectMatcher) {
      controller.neverReady(matcher);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        controller.close();
        handler.closeWatches();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
      });
      return closed;
    },
  };
}
