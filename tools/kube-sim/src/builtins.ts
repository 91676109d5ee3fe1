/**
 * The built-in resources of a v1.28 API server that kube-sim serves: discovery facts (names, short
 * names, categories, verbs, subresources), the defaults the real server fills in on every write,
 * the validation rules an apply engine commonly trips over, field selectors and table printers.
 */
import { defaultCrd, validateCrd, validateCrdUpdate } from './crd.js';
import type { FieldError } from './errors.js';
import { deepEqual, isPlainObject, type KubeObject } from './json.js';
import { ALL_VERBS, type ResourceType } from './resource-type.js';
import { builtinSchemas, defaultSchema } from './schema.js';
import { fromLabelSelectorObject, matchesLabels } from './selectors.js';
import { AGE_COLUMN, age, col, DEFAULT_TABLE, humanDuration, NAME_COLUMN, type TableDef } from './table.js';
import type { NameRule } from './validation.js';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return isPlainObject(v) ? v : undefined;
}
function ensure(parent: Obj, key: string): Obj {
  if (!isPlainObject(parent[key])) parent[key] = {};
  return parent[key] as Obj;
}
function setDefault(target: Obj, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' ? v : fallback;
}

const VOLUME_DEFAULT_MODE = 420;

function defaultProbe(p: unknown): void {
  const probe = obj(p);
  if (!probe) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  const http = obj(probe['httpGet']);
  if (http) {
    setDefault(http, 'path', '/');
    setDefault(http, 'scheme', 'HTTP');
  }
}

function defaultContainer(c: unknown): void {
  const container = obj(c);
  if (!container) return;
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  const image = typeof container['image'] === 'string' ? container['image'] : '';
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes('@') ? 'digest' : lastSegment.includes(':') ? lastSegment.split(':').pop() : '';
  setDefault(container, 'imagePullPolicy', tag === 'latest' || tag === '' ? 'Always' : 'IfNotPresent');
  setDefault(container, 'resources', {});
  for (const p of list(container['ports'])) {
    const port = obj(p);
    if (port) setDefault(port, 'protocol', 'TCP');
  }
  for (const e of list(container['env'])) {
    const fieldRef = obj(obj(obj(e)?.['valueFrom'])?.['fieldRef']);
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(container['livenessProbe']);
  defaultProbe(container['readinessProbe']);
  defaultProbe(container['startupProbe']);
}

function defaultPodSpec(s: unknown, isPod = false): void {
  const spec = obj(s);
  if (!spec) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  if (isPod) {
    setDefault(spec, 'enableServiceLinks', true);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    setDefault(spec, 'priority', 0);
    setDefault(spec, 'serviceAccountName', 'default');
    setDefault(spec, 'serviceAccount', spec['serviceAccountName']);
    setDefault(spec, 'tolerations', [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  }
  for (const c of [...list(spec['containers']), ...list(spec['initContainers'])]) defaultContainer(c);
  for (const v of list(spec['volumes'])) {
    const volume = obj(v);
    if (!volume) continue;
    for (const source of ['configMap', 'secret', 'projected', 'downwardAPI']) {
      const src = obj(volume[source]);
      if (src) setDefault(src, 'defaultMode', VOLUME_DEFAULT_MODE);
    }
  }
}

function defaultPodTemplate(spec: Obj | undefined): void {
  const template = obj(spec?.['template']);
  if (template) defaultPodSpec(template['spec']);
}

function validateContainers(spec: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const s = obj(spec);
  if (!s) return [{ type: 'FieldValueRequired', field: path }];
  const containers = list(s['containers']);
  if (containers.length === 0) errs.push({ type: 'FieldValueRequired', field: `${path}.containers` });
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const container = obj(c) ?? {};
    const name = container['name'];
    if (!name) errs.push({ type: 'FieldValueRequired', field: `${path}.containers[${i}].name` });
    else if (names.has(String(name))) errs.push({ type: 'FieldValueDuplicate', field: `${path}.containers[${i}].name`, value: name });
    else names.add(String(name));
    if (!container['image']) errs.push({ type: 'FieldValueRequired', field: `${path}.containers[${i}].image` });
    list(container['ports']).forEach((p, j) => {
      const port = obj(p)?.['containerPort'];
      if (typeof port !== 'number' || port < 1 || port > 65535) {
        errs.push({
          type: port === undefined ? 'FieldValueRequired' : 'FieldValueInvalid',
          field: `${path}.containers[${i}].ports[${j}].containerPort`,
          value: port,
          detail: port === undefined ? undefined : 'must be between 1 and 65535, inclusive',
        });
      }
    });
  });
  return errs;
}

function validateWorkload(o: KubeObject, opts: { replicas: boolean }): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o['spec']);
  if (!spec) return [{ type: 'FieldValueRequired', field: 'spec' }];
  if (opts.replicas && typeof spec['replicas'] === 'number' && spec['replicas'] < 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.replicas', value: spec['replicas'], detail: 'must be greater than or equal to 0' });
  }
  const selector = fromLabelSelectorObject(spec['selector']);
  const template = obj(spec['template']);
  const labels = (obj(obj(template?.['metadata'])?.['labels']) ?? {}) as Record<string, string>;
  if (!spec['selector']) errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
  else if (selector && selector.length === 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: spec['selector'], detail: 'empty selector is invalid for deployment' });
  }
  if (!template) errs.push({ type: 'FieldValueRequired', field: 'spec.template' });
  else {
    if (selector && selector.length > 0 && !matchesLabels(selector, labels)) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', value: labels, detail: '`selector` does not match template `labels`' });
    }
    errs.push(...validateContainers(template['spec'], 'spec.template.spec'));
  }
  return errs;
}

/** ValidatePodUpdate: only images, activeDeadlineSeconds, tolerations and the binding may change. */
function validatePodSpecUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const mutable = (s: unknown, from: unknown): Obj => {
    const c = { ...(obj(s) ?? {}) };
    const base = obj(from) ?? {};
    for (const key of ['containers', 'initContainers']) {
      if (Array.isArray(c[key])) c[key] = (c[key] as unknown[]).map((x) => ({ ...(obj(x) ?? {}), image: undefined }));
    }
    delete c['activeDeadlineSeconds'];
    delete c['tolerations'];
    delete c['terminationGracePeriodSeconds'];
    if (!base['nodeName']) delete c['nodeName'];
    return c;
  };
  if (deepEqual(mutable(o['spec'], old['spec']), mutable(old['spec'], old['spec']))) return [];
  return [
    {
      type: 'FieldValueForbidden',
      field: 'spec',
      detail:
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    },
  ];
}

function immutable(field: string, a: unknown, b: unknown): FieldError[] {
  return deepEqual(a, b) ? [] : [{ type: 'FieldValueInvalid', field, value: b, detail: 'field is immutable' }];
}

function replicasCell(ready: unknown, desired: unknown): string {
  return `${num(ready)}/${num(desired)}`;
}

const deploymentTable: TableDef = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  cells: (o, now) => {
    const spec = obj(o['spec']) ?? {};
    const status = obj(o['status']) ?? {};
    const containers = list(obj(obj(spec['template'])?.['spec'])?.['containers']).map((c) => obj(c) ?? {});
    return [
      o.metadata?.name,
      replicasCell(status['readyReplicas'], spec['replicas']),
      num(status['updatedReplicas']),
      num(status['availableReplicas']),
      age(o, now),
      containers.map((c) => c['name']).join(','),
      containers.map((c) => c['image']).join(','),
      Object.entries((obj(obj(spec['selector'])?.['matchLabels']) ?? {}) as Record<string, string>)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    ];
  },
};

function podPhase(o: KubeObject): string {
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  const status = obj(o['status']) ?? {};
  return String(status['reason'] ?? status['phase'] ?? 'Pending');
}

const tables: Record<string, TableDef> = {
  '/namespaces': {
    columns: [NAME_COLUMN, col('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
    cells: (o, now) => [o.metadata?.name, obj(o['status'])?.['phase'] ?? '', age(o, now)],
  },
  '/pods': {
    columns: [
      NAME_COLUMN,
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE_COLUMN,
      col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
      col('Node', 'string', "NodeName is a request to schedule this pod onto a specific node.", 1),
      col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
      col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']) ?? {};
      const status = obj(o['status']) ?? {};
      const total = list(spec['containers']).length;
      const statuses = list(status['containerStatuses']).map((c) => obj(c) ?? {});
      const ready = statuses.filter((c) => c['ready'] === true).length;
      const restarts = statuses.reduce((n, c) => n + num(c['restartCount']), 0);
      return [o.metadata?.name, `${ready}/${total}`, podPhase(o), String(restarts), age(o, now), status['podIP'] ?? '<none>', spec['nodeName'] ?? '<none>', '<none>', '<none>'];
    },
  },
  '/services': {
    columns: [
      NAME_COLUMN,
      col('Type', 'string', 'The type of the service.'),
      col('Cluster-IP', 'string', 'The cluster IP of the service.'),
      col('External-IP', 'string', 'The external IP of the service.'),
      col('Port(s)', 'string', 'The ports of the service.'),
      AGE_COLUMN,
      col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']) ?? {};
      const ingress = list(obj(obj(o['status'])?.['loadBalancer'])?.['ingress']).map((i) => obj(i)?.['ip'] ?? obj(i)?.['hostname']);
      const external = ingress.length > 0 ? ingress.join(',') : spec['type'] === 'LoadBalancer' ? '<pending>' : '<none>';
      const ports = list(spec['ports'])
        .map((p) => obj(p) ?? {})
        .map((p) => `${p['port']}${p['nodePort'] ? `:${p['nodePort']}` : ''}/${p['protocol'] ?? 'TCP'}`)
        .join(',');
      const selector = Object.entries((obj(spec['selector']) ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
      return [o.metadata?.name, spec['type'] ?? 'ClusterIP', spec['clusterIP'] ?? '<none>', external, ports || '<none>', age(o, now), selector.join(',') || '<none>'];
    },
  },
  '/configmaps': {
    columns: [NAME_COLUMN, col('Data', 'string', 'Data contains the configuration data.'), AGE_COLUMN],
    cells: (o, now) => [o.metadata?.name, Object.keys(obj(o['data']) ?? {}).length + Object.keys(obj(o['binaryData']) ?? {}).length, age(o, now)],
  },
  '/secrets': {
    columns: [NAME_COLUMN, col('Type', 'string', 'The type of the secret'), col('Data', 'string', 'The number of items stored in the secret'), AGE_COLUMN],
    cells: (o, now) => [o.metadata?.name, o['type'] ?? 'Opaque', Object.keys(obj(o['data']) ?? {}).length, age(o, now)],
  },
  '/serviceaccounts': {
    columns: [NAME_COLUMN, col('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE_COLUMN],
    cells: (o, now) => [o.metadata?.name, list(o['secrets']).length, age(o, now)],
  },
  '/nodes': {
    columns: [
      NAME_COLUMN,
      col('Status', 'string', 'The status of the node'),
      col('Roles', 'string', 'The roles of the node'),
      AGE_COLUMN,
      col('Version', 'string', 'Kubelet Version reported by the node.'),
    ],
    cells: (o, now) => {
      const conditions = list(obj(o['status'])?.['conditions']).map((c) => obj(c) ?? {});
      const ready = conditions.find((c) => c['type'] === 'Ready');
      const roles = Object.keys(o.metadata?.labels ?? {})
        .filter((l) => l.startsWith('node-role.kubernetes.io/'))
        .map((l) => l.slice('node-role.kubernetes.io/'.length));
      return [o.metadata?.name, ready?.['status'] === 'True' ? 'Ready' : 'NotReady', roles.join(',') || '<none>', age(o, now), obj(obj(o['status'])?.['nodeInfo'])?.['kubeletVersion'] ?? ''];
    },
  },
  '/endpoints': {
    columns: [NAME_COLUMN, col('Endpoints', 'string', 'Endpoints is the list of endpoints'), AGE_COLUMN],
    cells: (o, now) => {
      const eps: string[] = [];
      for (const s of list(o['subsets']).map((x) => obj(x) ?? {})) {
        for (const a of list(s['addresses']).map((x) => obj(x) ?? {})) {
          for (const p of list(s['ports']).map((x) => obj(x) ?? {})) eps.push(`${a['ip']}:${p['port']}`);
        }
      }
      return [o.metadata?.name, eps.join(',') || '<none>', age(o, now)];
    },
  },
  '/events': {
    columns: [
      col('Last Seen', 'string', 'Time of the last occurrence'),
      col('Type', 'string', 'Type of this event (Normal, Warning)'),
      col('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
      col('Object', 'string', 'The object that this event is about.'),
      col('Message', 'string', 'A human-readable description of the status of this operation.'),
    ],
    cells: (o, now) => {
      const involved = obj(o['involvedObject']) ?? {};
      const last = typeof o['lastTimestamp'] === 'string' ? Date.parse(o['lastTimestamp']) : now;
      return [humanDuration(now - last), o['type'] ?? '', o['reason'] ?? '', `${String(involved['kind'] ?? '').toLowerCase()}/${involved['name'] ?? ''}`, o['message'] ?? ''];
    },
  },
  'apps/deployments': deploymentTable,
  'apps/statefulsets': {
    columns: [NAME_COLUMN, col('Ready', 'string', 'Number of the pod with ready state'), AGE_COLUMN],
    cells: (o, now) => [o.metadata?.name, replicasCell(obj(o['status'])?.['readyReplicas'], obj(o['spec'])?.['replicas']), age(o, now)],
  },
  'apps/replicasets': {
    columns: [
      NAME_COLUMN,
      col('Desired', 'integer', 'Number of desired pods.'),
      col('Current', 'integer', 'Number of actual pods.'),
      col('Ready', 'integer', 'Number of ready pods.'),
      AGE_COLUMN,
    ],
    cells: (o, now) => {
      const status = obj(o['status']) ?? {};
      return [o.metadata?.name, num(obj(o['spec'])?.['replicas'], 1), num(status['replicas']), num(status['readyReplicas']), age(o, now)];
    },
  },
  'apps/daemonsets': {
    columns: [
      NAME_COLUMN,
      col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
      col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
      col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
      col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
      col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
      col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
      AGE_COLUMN,
    ],
    cells: (o, now) => {
      const s = obj(o['status']) ?? {};
      const nodeSelector = Object.entries((obj(obj(obj(obj(o['spec'])?.['template'])?.['spec'])?.['nodeSelector']) ?? {}) as Record<string, string>);
      return [
        o.metadata?.name,
        num(s['desiredNumberScheduled']),
        num(s['currentNumberScheduled']),
        num(s['numberReady']),
        num(s['updatedNumberScheduled']),
        num(s['numberAvailable']),
        nodeSelector.map(([k, v]) => `${k}=${v}`).join(',') || '<none>',
        age(o, now),
      ];
    },
  },
  'batch/jobs': {
    columns: [
      NAME_COLUMN,
      col('Completions', 'string', 'The desired number of successfully finished pods the job should be run with.'),
      col('Duration', 'string', 'Time required to complete the job.'),
      AGE_COLUMN,
    ],
    cells: (o, now) => {
      const s = obj(o['status']) ?? {};
      const start = typeof s['startTime'] === 'string' ? Date.parse(s['startTime']) : undefined;
      const end = typeof s['completionTime'] === 'string' ? Date.parse(s['completionTime']) : now;
      return [
        o.metadata?.name,
        `${num(s['succeeded'])}/${num(obj(o['spec'])?.['completions'], 1)}`,
        start === undefined ? '' : humanDuration(end - start),
        age(o, now),
      ];
    },
  },
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': {
    columns: [NAME_COLUMN, col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks.'), AGE_COLUMN],
    cells: (o, now) => [o.metadata?.name, list(o['webhooks']).length, age(o, now)],
  },
  'admissionregistration.k8s.io/validatingwebhookconfigurations': {
    columns: [NAME_COLUMN, col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks.'), AGE_COLUMN],
    cells: (o, now) => [o.metadata?.name, list(o['webhooks']).length, age(o, now)],
  },
  'rbac.authorization.k8s.io/rolebindings': {
    columns: [NAME_COLUMN, col('Role', 'string', 'Role is the role being granted'), AGE_COLUMN],
    cells: (o, now) => [o.metadata?.name, `${obj(o['roleRef'])?.['kind'] ?? ''}/${obj(o['roleRef'])?.['name'] ?? ''}`, age(o, now)],
  },
  'rbac.authorization.k8s.io/clusterrolebindings': {
    columns: [NAME_COLUMN, col('Role', 'string', 'Role is the role being granted'), AGE_COLUMN],
    cells: (o, now) => [o.metadata?.name, `${obj(o['roleRef'])?.['kind'] ?? ''}/${obj(o['roleRef'])?.['name'] ?? ''}`, age(o, now)],
  },
};


/** Job pod-template labels and selector the real server generates (batch/v1, manualSelector unset). */
function prepareJob(o: KubeObject): void {
  const spec = obj(o['spec']);
  if (!spec || spec['manualSelector'] === true) return;
  const uid = o.metadata?.uid ?? '';
  const name = o.metadata?.name ?? '';
  const template = ensure(spec, 'template');
  const tmeta = ensure(template, 'metadata');
  const labels = ensure(tmeta, 'labels');
  labels['batch.kubernetes.io/controller-uid'] = uid;
  labels['batch.kubernetes.io/job-name'] = name;
  labels['controller-uid'] = uid;
  labels['job-name'] = name;
  if (!spec['selector']) spec['selector'] = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}

/** Where base64.StdEncoding would fail on a Secret's data value, as "illegal base64 data at input byte N". */
function base64Error(v: string): number | undefined {
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '=') return /^=*$/.test(v.slice(i)) && v.length % 4 === 0 && v.length - i <= 2 ? undefined : i;
    if (!/[A-Za-z0-9+/\r\n]/.test(c)) return i;
  }
  return v.replace(/[\r\n]/g, '').length % 4 === 0 ? undefined : v.length;
}

function stringMapError(o: KubeObject, field: string, goType: string): string | undefined {
  const m = o[field];
  if (m === undefined || m === null) return undefined;
  if (!isPlainObject(m)) return `json: cannot unmarshal ${Array.isArray(m) ? 'array' : typeof m} into Go struct field ${goType}.${field} of type map[string]string`;
  for (const v of Object.values(m)) {
    if (typeof v !== 'string') return `json: cannot unmarshal ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v} into Go struct field ${goType}.${field} of type string`;
  }
  return undefined;
}

function allocateNodePorts(spec: Obj, used: Set<number>): void {
  for (const p of list(spec['ports'])) {
    const port = obj(p);
    if (!port || port['nodePort']) continue;
    let candidate = 30000 + Math.floor(Math.random() * 2768);
    while (used.has(candidate)) candidate = 30000 + ((candidate - 30000 + 1) % 2768);
    used.add(candidate);
    port['nodePort'] = candidate;
  }
}

interface BuiltinDef {
  review?: ResourceType['review'];
  decodeCheck?: ResourceType['decodeCheck'];
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  status?: boolean;
  scale?: boolean;
  generation?: boolean;
  nameRule?: NameRule;
  returnDeletedObject?: boolean;
  fieldSelectors?: ResourceType['fieldSelectors'];
  defaults?: ResourceType['defaults'];
  prepareForCreate?: ResourceType['prepareForCreate'];
  prepareForUpdate?: ResourceType['prepareForUpdate'];
  validate?: ResourceType['validate'];
  validateUpdate?: ResourceType['validateUpdate'];
}

const usedNodePorts = new Set<number>();

const DEFS: BuiltinDef[] = [
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    status: true,
    nameRule: 'label',
    returnDeletedObject: true,
    fieldSelectors: (o) => ({ 'status.phase': String(obj(o['status'])?.['phase'] ?? '') }),
    defaults: (o) => {
      const spec = ensure(o, 'spec');
      setDefault(spec, 'finalizers', ['kubernetes']);
      const status = ensure(o, 'status');
      setDefault(status, 'phase', 'Active');
      const labels = (o.metadata!.labels ??= {});
      if (o.metadata?.name) labels['kubernetes.io/metadata.name'] = o.metadata.name;
    },
  },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    status: true,
    returnDeletedObject: true,
    fieldSelectors: (o) => {
      const spec = obj(o['spec']) ?? {};
      const status = obj(o['status']) ?? {};
      return {
        'spec.nodeName': String(spec['nodeName'] ?? ''),
        'spec.restartPolicy': String(spec['restartPolicy'] ?? ''),
        'spec.schedulerName': String(spec['schedulerName'] ?? ''),
        'spec.serviceAccountName': String(spec['serviceAccountName'] ?? ''),
        'spec.hostNetwork': String(spec['hostNetwork'] ?? false),
        'status.phase': String(status['phase'] ?? ''),
        'status.podIP': String(status['podIP'] ?? ''),
        'status.nominatedNodeName': String(status['nominatedNodeName'] ?? ''),
      };
    },
    defaults: (o) => defaultPodSpec(o['spec'], true),
    prepareForCreate: (o) => {
      o['status'] = { phase: 'Pending', qosClass: 'BestEffort' };
    },
    validate: (o) => validateContainers(o['spec'], 'spec'),
    validateUpdate: (o, old) => validatePodSpecUpdate(o, old),
  },
  {
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
    nameRule: 'label',
    returnDeletedObject: true,
    defaults: (o) => {
      const spec = ensure(o, 'spec');
      setDefault(spec, 'type', 'ClusterIP');
      setDefault(spec, 'sessionAffinity', 'None');
      if (spec['type'] !== 'ExternalName') {
        setDefault(spec, 'internalTrafficPolicy', 'Cluster');
      }
      if (spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
      if (spec['type'] === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
      for (const p of list(spec['ports'])) {
        const port = obj(p);
        if (!port) continue;
        setDefault(port, 'protocol', 'TCP');
        setDefault(port, 'targetPort', port['port']);
      }
      setDefault(o, 'status', { loadBalancer: {} });
    },
    prepareForCreate: (o, ctx) => {
      const spec = ensure(o, 'spec');
      o['status'] = { loadBalancer: {} };
      if (spec['type'] === 'ExternalName') return;
      if (!spec['clusterIP']) spec['clusterIP'] = ctx.allocateClusterIP();
      setDefault(spec, 'clusterIPs', [spec['clusterIP']]);
      setDefault(spec, 'ipFamilies', ['IPv4']);
      setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
      if (spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer') allocateNodePorts(spec, usedNodePorts);
    },
    prepareForUpdate: (o, old) => {
      const spec = ensure(o, 'spec');
      const oldSpec = obj(old['spec']) ?? {};
      for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
        if (spec[k] === undefined && oldSpec[k] !== undefined) spec[k] = oldSpec[k];
      }
      if (spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer') {
        const oldPorts = list(oldSpec['ports']).map((p) => obj(p) ?? {});
        for (const p of list(spec['ports'])) {
          const port = obj(p);
          if (!port || port['nodePort']) continue;
          const prev = oldPorts.find((q) => q['port'] === port['port'] && (q['protocol'] ?? 'TCP') === (port['protocol'] ?? 'TCP'));
          if (prev?.['nodePort']) port['nodePort'] = prev['nodePort'];
        }
        allocateNodePorts(spec, usedNodePorts);
      }
    },
    validate: (o) => {
      const spec = obj(o['spec']) ?? {};
      const errs: FieldError[] = [];
      const type = spec['type'];
      if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(String(type))) {
        errs.push({ type: 'FieldValueNotSupported', field: 'spec.type', value: type, supported: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] });
      }
      const ports = list(spec['ports']);
      if (ports.length === 0 && type !== 'ExternalName' && spec['clusterIP'] !== 'None') errs.push({ type: 'FieldValueRequired', field: 'spec.ports' });
      ports.forEach((p, i) => {
        const port = obj(p)?.['port'];
        if (typeof port !== 'number' || port < 1 || port > 65535) {
          errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].port`, value: port, detail: 'must be between 1 and 65535, inclusive' });
        }
        if (ports.length > 1 && !obj(p)?.['name']) errs.push({ type: 'FieldValueRequired', field: `spec.ports[${i}].name` });
      });
      return errs;
    },
    validateUpdate: (o, old) => {
      const a = obj(old['spec'])?.['clusterIP'];
      const b = obj(o['spec'])?.['clusterIP'];
      if (a && b && a !== b) return [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', value: [b], detail: 'may not change once set' }];
      return [];
    },
  },
  {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    generation: false,
    decodeCheck: (o) => stringMapError(o, 'data', 'ConfigMap'),
    validate: (o) => {
      const errs: FieldError[] = [];
      for (const field of ['data', 'binaryData']) {
        for (const key of Object.keys(obj(o[field]) ?? {})) {
          if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) {
            errs.push({
              type: 'FieldValueInvalid',
              field: `${field}[${key}]`,
              value: key,
              detail: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            });
          }
        }
      }
      return errs;
    },
  },
  {
    group: '',
    version: 'v1',
    resource: 'secrets',
    kind: 'Secret',
    namespaced: true,
    fieldSelectors: (o) => ({ type: String(o['type'] ?? '') }),
    decodeCheck: (o) => {
      const err = stringMapError(o, 'data', 'Secret') ?? stringMapError(o, 'stringData', 'Secret');
      if (err) return err;
      for (const v of Object.values(obj(o['data']) ?? {})) {
        const at = base64Error(String(v));
        if (at !== undefined) return `illegal base64 data at input byte ${at}`;
      }
      return undefined;
    },
    defaults: (o) => {
      setDefault(o, 'type', 'Opaque');
      const stringData = obj(o['stringData']);
      if (stringData) {
        const data = ensure(o, 'data');
        for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        delete o['stringData'];
      }
    },
  },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  {
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    fieldSelectors: (o) => {
      const io = obj(o['involvedObject']) ?? {};
      const source = obj(o['source']) ?? {};
      return {
        'involvedObject.kind': String(io['kind'] ?? ''),
        'involvedObject.namespace': String(io['namespace'] ?? ''),
        'involvedObject.name': String(io['name'] ?? ''),
        'involvedObject.uid': String(io['uid'] ?? ''),
        'involvedObject.apiVersion': String(io['apiVersion'] ?? ''),
        'involvedObject.resourceVersion': String(io['resourceVersion'] ?? ''),
        'involvedObject.fieldPath': String(io['fieldPath'] ?? ''),
        reason: String(o['reason'] ?? ''),
        reportingComponent: String(o['reportingComponent'] ?? ''),
        source: String(source['component'] ?? ''),
        type: String(o['type'] ?? ''),
      };
    },
  },
  {
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    status: true,
    fieldSelectors: (o) => ({ 'spec.unschedulable': String(obj(o['spec'])?.['unschedulable'] ?? false) }),
  },
  { group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] },
  {
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    status: true,
    defaults: (o) => setDefault(ensure(o, 'spec'), 'volumeMode', 'Filesystem'),
    prepareForCreate: (o) => {
      o['status'] = { phase: 'Pending' };
    },
  },
  { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], status: true },
  {
    group: '',
    version: 'v1',
    resource: 'replicationcontrollers',
    kind: 'ReplicationController',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    status: true,
    scale: true,
    generation: true,
    fieldSelectors: (o) => ({ 'status.replicas': String(obj(o['status'])?.['replicas'] ?? 0) }),
    defaults: (o) => {
      const spec = ensure(o, 'spec');
      setDefault(spec, 'replicas', 1);
      defaultPodTemplate(spec);
    },
  },
  { group: '', version: 'v1', resource: 'podtemplates', kind: 'PodTemplate', namespaced: true },
  { group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', namespaced: true, shortNames: ['limits'] },
  { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], status: true },
  {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    status: true,
    scale: true,
    generation: true,
    defaults: (o) => {
      const spec = ensure(o, 'spec');
      setDefault(spec, 'replicas', 1);
      const strategy = ensure(spec, 'strategy');
      setDefault(strategy, 'type', 'RollingUpdate');
      if (strategy['type'] === 'RollingUpdate') {
        const ru = ensure(strategy, 'rollingUpdate');
        setDefault(ru, 'maxUnavailable', '25%');
        setDefault(ru, 'maxSurge', '25%');
      }
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      defaultPodTemplate(spec);
    },
    validate: (o) => validateWorkload(o, { replicas: true }),
    validateUpdate: (o, old) => immutable('spec.selector', obj(old['spec'])?.['selector'], obj(o['spec'])?.['selector']),
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    status: true,
    scale: true,
    generation: true,
    defaults: (o) => {
      const spec = ensure(o, 'spec');
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      const us = ensure(spec, 'updateStrategy');
      setDefault(us, 'type', 'RollingUpdate');
      if (us['type'] === 'RollingUpdate') setDefault(ensure(us, 'rollingUpdate'), 'partition', 0);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
      defaultPodTemplate(spec);
      for (const t of list(spec['volumeClaimTemplates'])) {
        const tpl = obj(t);
        if (!tpl) continue;
        setDefault(ensure(tpl, 'spec'), 'volumeMode', 'Filesystem');
        setDefault(tpl, 'status', { phase: 'Pending' });
      }
    },
    validate: (o) => validateWorkload(o, { replicas: true }),
    validateUpdate: (o, old) => {
      const allowed = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
      const strip = (s: unknown): Obj => {
        const c = { ...(obj(s) ?? {}) };
        for (const k of allowed) delete c[k];
        return c;
      };
      if (!deepEqual(strip(old['spec']), strip(o['spec']))) {
        return [
          {
            type: 'FieldValueForbidden',
            field: 'spec',
            detail:
              "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
          },
        ];
      }
      return [];
    },
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    status: true,
    generation: true,
    defaults: (o) => {
      const spec = ensure(o, 'spec');
      const us = ensure(spec, 'updateStrategy');
      setDefault(us, 'type', 'RollingUpdate');
      if (us['type'] === 'RollingUpdate') {
        const ru = ensure(us, 'rollingUpdate');
        setDefault(ru, 'maxUnavailable', 1);
        setDefault(ru, 'maxSurge', 0);
      }
      setDefault(spec, 'revisionHistoryLimit', 10);
      defaultPodTemplate(spec);
    },
    validate: (o) => validateWorkload(o, { replicas: false }),
    validateUpdate: (o, old) => immutable('spec.selector', obj(old['spec'])?.['selector'], obj(o['spec'])?.['selector']),
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    status: true,
    scale: true,
    generation: true,
    fieldSelectors: (o) => ({ 'status.replicas': String(obj(o['status'])?.['replicas'] ?? 0) }),
    defaults: (o) => {
      const spec = ensure(o, 'spec');
      setDefault(spec, 'replicas', 1);
      defaultPodTemplate(spec);
    },
    validate: (o) => validateWorkload(o, { replicas: true }),
    validateUpdate: (o, old) => immutable('spec.selector', obj(old['spec'])?.['selector'], obj(o['spec'])?.['selector']),
  },
  { group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true },
  {
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    kind: 'Job',
    namespaced: true,
    categories: ['all'],
    status: true,
    generation: true,
    fieldSelectors: (o) => ({ 'status.successful': String(obj(o['status'])?.['succeeded'] ?? 0) }),
    defaults: (o) => {
      const spec = ensure(o, 'spec');
      if (spec['completions'] === undefined && spec['parallelism'] === undefined) {
        spec['completions'] = 1;
        spec['parallelism'] = 1;
      }
      setDefault(spec, 'parallelism', 1);
      setDefault(spec, 'backoffLimit', 6);
      setDefault(spec, 'completionMode', 'NonIndexed');
      setDefault(spec, 'suspend', false);
      const template = obj(spec['template']);
      if (template) {
        const podSpec = obj(template['spec']);
        const restart = podSpec?.['restartPolicy'];
        defaultPodSpec(podSpec);
        // Job templates get no restartPolicy default; validation demands one.
        if (podSpec) {
          if (restart === undefined) delete podSpec['restartPolicy'];
        }
      }
    },
    prepareForCreate: (o) => prepareJob(o),
    validate: (o) => {
      const spec = obj(o['spec']) ?? {};
      const errs: FieldError[] = [];
      const template = obj(spec['template']);
      if (!template) return [{ type: 'FieldValueRequired', field: 'spec.template' }];
      const restart = obj(template['spec'])?.['restartPolicy'];
      if (restart !== 'OnFailure' && restart !== 'Never') {
        errs.push(
          restart === undefined
            ? { type: 'FieldValueRequired', field: 'spec.template.spec.restartPolicy', detail: 'valid values: "OnFailure", "Never"' }
            : { type: 'FieldValueNotSupported', field: 'spec.template.spec.restartPolicy', value: restart, supported: ['OnFailure', 'Never'] },
        );
      }
      errs.push(...validateContainers(template['spec'], 'spec.template.spec'));
      return errs;
    },
    validateUpdate: (o, old) => [
      ...immutable('spec.selector', obj(old['spec'])?.['selector'], obj(o['spec'])?.['selector']),
      ...immutable('spec.template', obj(old['spec'])?.['template'], obj(o['spec'])?.['template']),
      ...immutable('spec.completions', obj(old['spec'])?.['completions'], obj(o['spec'])?.['completions']),
    ],
  },
  {
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    status: true,
    generation: true,
    defaults: (o) => {
      const spec = ensure(o, 'spec');
      setDefault(spec, 'concurrencyPolicy', 'Allow');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'successfulJobsHistoryLimit', 3);
      setDefault(spec, 'failedJobsHistoryLimit', 1);
    },
  },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', namespaced: true, nameRule: 'path-segment' },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
    nameRule: 'path-segment',
    defaults: (o) => defaultSubjects(o),
    validate: (o) => (obj(o['roleRef'])?.['name'] ? [] : [{ type: 'FieldValueRequired', field: 'roleRef.name' }]),
    validateUpdate: (o, old) => (deepEqual(o['roleRef'], old['roleRef']) ? [] : [{ type: 'FieldValueInvalid', field: 'roleRef', value: o['roleRef'], detail: 'cannot change roleRef' }]),
  },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, nameRule: 'path-segment' },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
    nameRule: 'path-segment',
    defaults: (o) => defaultSubjects(o),
    validate: (o) => (obj(o['roleRef'])?.['name'] ? [] : [{ type: 'FieldValueRequired', field: 'roleRef.name' }]),
    validateUpdate: (o, old) => (deepEqual(o['roleRef'], old['roleRef']) ? [] : [{ type: 'FieldValueInvalid', field: 'roleRef', value: o['roleRef'], detail: 'cannot change roleRef' }]),
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'mutatingwebhookconfigurations',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
    generation: true,
    defaults: (o) => defaultWebhooks(o, true),
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'validatingwebhookconfigurations',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
    generation: true,
    defaults: (o) => defaultWebhooks(o, false),
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    status: true,
    generation: true,
    returnDeletedObject: true,
    defaults: defaultCrd,
    validate: validateCrd,
    validateUpdate: validateCrdUpdate,
  },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'], status: true, generation: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', kind: 'IngressClass', namespaced: false, generation: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'], generation: true },
  { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'], status: true, generation: true },
  { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, shortNames: ['hpa'], categories: ['all'], status: true },
  { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    resource: 'selfsubjectaccessreviews',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    verbs: ['create'],
    review: (o) =>
      ({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: o['spec'] ?? {},
      status: { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"' },
      }) as unknown as KubeObject,
  },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
  { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] },
  { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] },
];

function defaultSubjects(o: KubeObject): void {
  for (const s of list(o['subjects'])) {
    const subject = obj(s);
    if (!subject) continue;
    if (subject['kind'] === 'ServiceAccount') setDefault(subject, 'apiGroup', '');
    else if (subject['kind'] === 'User' || subject['kind'] === 'Group') setDefault(subject, 'apiGroup', 'rbac.authorization.k8s.io');
  }
}

function defaultWebhooks(o: KubeObject, mutating: boolean): void {
  for (const w of list(o['webhooks'])) {
    const hook = obj(w);
    if (!hook) continue;
    setDefault(hook, 'failurePolicy', 'Fail');
    setDefault(hook, 'matchPolicy', 'Equivalent');
    setDefault(hook, 'namespaceSelector', {});
    setDefault(hook, 'objectSelector', {});
    setDefault(hook, 'timeoutSeconds', 10);
    if (mutating) setDefault(hook, 'reinvocationPolicy', 'Never');
    const service = obj(obj(hook['clientConfig'])?.['service']);
    if (service) setDefault(service, 'port', 443);
    for (const r of list(hook['rules'])) {
      const rule = obj(r);
      if (rule) setDefault(rule, 'scope', '*');
    }
  }
}

function singularOf(kind: string): string {
  return kind.toLowerCase();
}

export function builtinResourceTypes(): ResourceType[] {
  return DEFS.map((d) => {
    const key = `${d.group}/${d.resource}`;
    const t: ResourceType = {
      group: d.group,
      version: d.version,
      resource: d.resource,
      singular: singularOf(d.kind),
      kind: d.kind,
      listKind: `${d.kind}List`,
      namespaced: d.namespaced,
      verbs: d.verbs ?? ALL_VERBS,
      shortNames: d.shortNames ?? [],
      categories: d.categories ?? [],
      status: d.status ?? false,
      schema: builtinSchemas[key] ?? defaultSchema,
      builtin: true,
      generation: d.generation ?? false,
      nameRule: d.nameRule ?? 'subdomain',
      returnDeletedObject: d.returnDeletedObject ?? false,
      table: tables[key] ?? DEFAULT_TABLE,
    };
    if (d.scale) t.scale = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' };
    if (d.fieldSelectors) t.fieldSelectors = d.fieldSelectors;
    if (d.defaults) t.defaults = d.defaults;
    if (d.prepareForCreate) t.prepareForCreate = d.prepareForCreate;
    if (d.prepareForUpdate) t.prepareForUpdate = d.prepareForUpdate;
    if (d.validate) t.validate = d.validate;
    if (d.validateUpdate) t.validateUpdate = d.validateUpdate;
    if (d.review) t.review = d.review;
    if (d.decodeCheck) t.decodeCheck = d.decodeCheck;
    return t;
  });
}

