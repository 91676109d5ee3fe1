/**
 * Just enough schema to merge lists the way the real server does. Each node says how a map or a
 * list is merged:
 *
 * - server-side apply (structured-merge-diff): `listType` `map` (items identified by `listKeys`),
 *   `set` (scalars identified by value) or `atomic` (replaced whole, the default for lists), and
 *   `mapAtomic` for structs marked `x-kubernetes-map-type: atomic`;
 * - strategic merge patch: `patchStrategy` (`merge`, `retainKeys`, `merge,retainKeys`) and
 *   `patchMergeKey`.
 *
 * Built-in kinds get hand-written schemas covering the lists that carry merge keys in the real
 * OpenAPI (containers, ports, env, volumes, volumeMounts, conditions, ...). Custom resources get
 * one converted from their CRD's openAPIV3Schema, which also drives pruning, defaulting and basic
 * validation (see crd-schema.ts).
 */
import type { JsonValue } from './json.js';

export interface SchemaNode {
  /** Struct fields / object properties. */
  fields?: Record<string, SchemaNode>;
  /** Schema of map values (additionalProperties). */
  additional?: SchemaNode;
  /** `x-kubernetes-map-type: atomic` / `+structType=atomic`: owned and replaced as a whole. */
  mapAtomic?: boolean;
  listType?: 'atomic' | 'map' | 'set';
  listKeys?: string[];
  /** Defaults of key fields, used when an item omits one (protocol: TCP). */
  keyDefaults?: Record<string, JsonValue>;
  items?: SchemaNode;
  patchStrategy?: string;
  patchMergeKey?: string;
  /** The CRD structural schema node this was converted from, if any. */
  raw?: Record<string, unknown>;
}

export function childSchema(schema: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!schema) return undefined;
  return schema.fields?.[key] ?? schema.additional;
}

const str: SchemaNode = {};
const stringMap: SchemaNode = { additional: str };
const atomicStruct: SchemaNode = { mapAtomic: true };

function mapList(keys: string[], items: SchemaNode = {}, extra: Partial<SchemaNode> = {}): SchemaNode {
  return { listType: 'map', listKeys: keys, items, patchStrategy: 'merge', patchMergeKey: keys[0], ...extra };
}

const conditions = mapList(['type']);

export const objectMetaSchema: SchemaNode = {
  fields: {
    labels: stringMap,
    annotations: stringMap,
    finalizers: { listType: 'set', patchStrategy: 'merge' },
    ownerReferences: mapList(['uid']),
    managedFields: { listType: 'atomic' },
  },
};

const resourceRequirements: SchemaNode = {
  fields: { limits: stringMap, requests: stringMap, claims: mapList(['name']) },
};

const container: SchemaNode = {
  fields: {
    ports: mapList(['containerPort', 'protocol'], {}, { keyDefaults: { protocol: 'TCP' } }),
    env: mapList(['name']),
    volumeMounts: mapList(['mountPath']),
    volumeDevices: mapList(['devicePath']),
    resources: resourceRequirements,
    resizePolicy: { listType: 'atomic' },
  },
};

const podSpec: SchemaNode = {
  fields: {
    containers: mapList(['name'], container),
    initContainers: mapList(['name'], container),
    ephemeralContainers: mapList(['name'], container),
    volumes: mapList(['name'], {}, { patchStrategy: 'merge,retainKeys' }),
    imagePullSecrets: mapList(['name']),
    hostAliases: mapList(['ip']),
    nodeSelector: { additional: str, mapAtomic: true },
    topologySpreadConstraints: mapList(['topologyKey', 'whenUnsatisfiable']),
    schedulingGates: mapList(['name']),
    resourceClaims: mapList(['name']),
    readinessGates: { listType: 'atomic' },
    tolerations: { listType: 'atomic' },
    overhead: stringMap,
  },
};

const podTemplateSpec: SchemaNode = { fields: { metadata: objectMetaSchema, spec: podSpec } };

function withMeta(fields: Record<string, SchemaNode>): SchemaNode {
  return { fields: { metadata: objectMetaSchema, ...fields } };
}

const workloadStatus: SchemaNode = { fields: { conditions } };

const serviceSpec: SchemaNode = {
  fields: {
    ports: mapList(['port', 'protocol'], {}, { keyDefaults: { protocol: 'TCP' }, patchMergeKey: 'port' }),
    selector: { additional: str, mapAtomic: true },
    clusterIPs: { listType: 'atomic' },
    externalIPs: { listType: 'atomic' },
    ipFamilies: { listType: 'atomic' },
    loadBalancerSourceRanges: { listType: 'atomic' },
  },
};

const webhooks = mapList(['name'], { fields: { rules: { listType: 'atomic' }, namespaceSelector: atomicStruct, objectSelector: atomicStruct } });

/** Schemas of the built-in kinds, by `group/resource`. Anything not listed merges maps granularly and lists atomically. */
export const builtinSchemas: Record<string, SchemaNode> = {
  '/pods': withMeta({ spec: podSpec, status: { fields: { conditions } } }),
  '/podtemplates': withMeta({ template: podTemplateSpec }),
  '/replicationcontrollers': withMeta({ spec: { fields: { selector: { additional: str, mapAtomic: true }, template: podTemplateSpec } }, status: workloadStatus }),
  '/services': withMeta({ spec: serviceSpec, status: { fields: { conditions } } }),
  '/configmaps': withMeta({ data: stringMap, binaryData: stringMap }),
  '/secrets': withMeta({ data: stringMap, stringData: stringMap }),
  '/serviceaccounts': withMeta({ secrets: mapList(['name']), imagePullSecrets: { listType: 'atomic' } }),
  '/namespaces': withMeta({ status: { fields: { conditions } } }),
  '/nodes': withMeta({ status: { fields: { conditions, addresses: { listType: 'atomic', patchStrategy: 'merge', patchMergeKey: 'type' } } } }),
  '/persistentvolumeclaims': withMeta({ status: { fields: { conditions } } }),
  'apps/deployments': withMeta({
    spec: { fields: { selector: atomicStruct, template: podTemplateSpec, strategy: { patchStrategy: 'retainKeys', fields: {} } } },
    status: workloadStatus,
  }),
  'apps/statefulsets': withMeta({
    spec: { fields: { selector: atomicStruct, template: podTemplateSpec, volumeClaimTemplates: { listType: 'atomic' } } },
    status: workloadStatus,
  }),
  'apps/daemonsets': withMeta({
    spec: { fields: { selector: atomicStruct, template: podTemplateSpec } },
    status: workloadStatus,
  }),
  'apps/replicasets': withMeta({
    spec: { fields: { selector: atomicStruct, template: podTemplateSpec } },
    status: workloadStatus,
  }),
  'batch/jobs': withMeta({
    spec: { fields: { selector: atomicStruct, template: podTemplateSpec } },
    status: { fields: { conditions: { listType: 'atomic', patchStrategy: 'merge', patchMergeKey: 'type' } } },
  }),
  'batch/cronjobs': withMeta({
    spec: { fields: { jobTemplate: { fields: { metadata: objectMetaSchema, spec: { fields: { selector: atomicStruct, template: podTemplateSpec } } } } } },
  }),
  'rbac.authorization.k8s.io/roles': withMeta({ rules: { listType: 'atomic' } }),
  'rbac.authorization.k8s.io/clusterroles': withMeta({ rules: { listType: 'atomic' } }),
  'rbac.authorization.k8s.io/rolebindings': withMeta({ subjects: { listType: 'atomic' }, roleRef: atomicStruct }),
  'rbac.authorization.k8s.io/clusterrolebindings': withMeta({ subjects: { listType: 'atomic' }, roleRef: atomicStruct }),
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': withMeta({ webhooks }),
  'admissionregistration.k8s.io/validatingwebhookconfigurations': withMeta({ webhooks }),
  'apiextensions.k8s.io/customresourcedefinitions': withMeta({
    spec: { fields: { versions: { listType: 'atomic' } } },
    status: { fields: { conditions } },
  }),
  'policy/poddisruptionbudgets': withMeta({ spec: { fields: { selector: atomicStruct } }, status: { fields: { conditions } } }),
  'networking.k8s.io/networkpolicies': withMeta({ spec: { fields: { podSelector: atomicStruct } } }),
};

export const defaultSchema: SchemaNode = withMeta({});
