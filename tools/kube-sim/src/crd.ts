/**
 * CustomResourceDefinitions: their validation and defaults, the resource types they make available
 * (one per served version), and what their structural schemas do to custom objects on every write —
 * pruning unknown fields, applying `default`s and validating types, `required`, `enum` and bounds.
 */
import type { FieldError } from './errors.js';
import { clone, isPlainObject, type KubeObject } from './json.js';
import { ALL_VERBS, type ResourceType } from './resource-type.js';
import { objectMetaSchema, type SchemaNode } from './schema.js';
import { AGE_COLUMN, col, humanDuration, jsonPathValue, NAME_COLUMN, type TableColumn, type TableDef } from './table.js';
import { validateDns1123Label, validateDns1123Subdomain } from './validation.js';

type Obj = Record<string, unknown>;

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: Obj };
  subresources?: { status?: Obj; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: { name: string; type: string; format?: string; description?: string; priority?: number; jsonPath: string }[];
}

export interface CrdSpec {
  group: string;
  names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
}

export function crdSpec(crd: KubeObject): CrdSpec {
  return crd['spec'] as CrdSpec;
}

export function defaultCrd(crd: KubeObject): void {
  const spec = crd['spec'];
  if (!isPlainObject(spec)) return;
  const names = spec['names'];
  if (isPlainObject(names) && typeof names['kind'] === 'string') {
    if (!names['singular']) names['singular'] = names['kind'].toLowerCase();
    if (!names['listKind']) names['listKind'] = `${names['kind']}List`;
  }
  if (!isPlainObject(spec['conversion'])) spec['conversion'] = { strategy: 'None' };
  if (Array.isArray(spec['versions'])) {
    for (const v of spec['versions']) {
      if (isPlainObject(v) && v['served'] === undefined) v['served'] = true;
    }
  }
}

export function validateCrd(crd: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd['spec'];
  if (!isPlainObject(spec)) return [{ type: 'FieldValueRequired', field: 'spec' }];
  const group = spec['group'];
  const names = isPlainObject(spec['names']) ? spec['names'] : {};
  const plural = names['plural'];
  if (typeof group !== 'string' || group === '') errs.push({ type: 'FieldValueRequired', field: 'spec.group' });
  else {
    if (group.split('.').length < 2) errs.push({ type: 'FieldValueInvalid', field: 'spec.group', value: group, detail: 'should be a domain with at least one dot' });
    for (const msg of validateDns1123Subdomain(group)) errs.push({ type: 'FieldValueInvalid', field: 'spec.group', value: group, detail: msg });
  }
  if (typeof plural !== 'string' || plural === '') errs.push({ type: 'FieldValueRequired', field: 'spec.names.plural' });
  else for (const msg of validateDns1123Label(plural)) errs.push({ type: 'FieldValueInvalid', field: 'spec.names.plural', value: plural, detail: msg });
  if (typeof names['kind'] !== 'string' || names['kind'] === '') errs.push({ type: 'FieldValueRequired', field: 'spec.names.kind' });
  if (typeof group === 'string' && typeof plural === 'string' && crd.metadata?.name !== `${plural}.${group}`) {
    errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: crd.metadata?.name ?? '', detail: 'must be spec.names.plural+"."+spec.group' });
  }
  const scope = spec['scope'];
  if (scope === undefined || scope === '') errs.push({ type: 'FieldValueRequired', field: 'spec.scope' });
  else if (scope !== 'Namespaced' && scope !== 'Cluster') {
    errs.push({ type: 'FieldValueNotSupported', field: 'spec.scope', value: scope, supported: ['Cluster', 'Namespaced'] });
  }
  const versions = Array.isArray(spec['versions']) ? spec['versions'] : [];
  if (versions.length === 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', value: spec['versions'] ?? null, detail: 'must have exactly one version marked as storage version' });
  else if (versions.filter((v) => isPlainObject(v) && v['storage'] === true).length !== 1) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', value: versions.map((v) => (isPlainObject(v) ? v['name'] : v)), detail: 'must have exactly one version marked as storage version' });
  }
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (!isPlainObject(v)) return;
    const name = v['name'];
    if (typeof name !== 'string' || name === '') errs.push({ type: 'FieldValueRequired', field: `spec.versions[${i}].name` });
    else {
      for (const msg of validateDns1123Label(name)) errs.push({ type: 'FieldValueInvalid', field: `spec.versions[${i}].name`, value: name, detail: msg });
      if (seen.has(name)) errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', value: name, detail: 'must contain unique version names' });
      seen.add(name);
    }
    const schema = isPlainObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
    if (!isPlainObject(schema)) {
      errs.push({ type: 'FieldValueRequired', field: `spec.versions[${i}].schema.openAPIV3Schema`, detail: 'schemas are required' });
    } else if (schema['type'] !== 'object') {
      errs.push(
        schema['type'] === undefined
          ? { type: 'FieldValueRequired', field: `spec.versions[${i}].schema.openAPIV3Schema.type`, detail: 'must not be empty at the root' }
          : { type: 'FieldValueInvalid', field: `spec.versions[${i}].schema.openAPIV3Schema.type`, value: schema['type'], detail: 'must be object at the root' },
      );
    }
  });
  return errs;
}

export function validateCrdUpdate(crd: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const a = (old['spec'] ?? {}) as Obj;
  const b = (crd['spec'] ?? {}) as Obj;
  if (a['group'] !== b['group']) errs.push({ type: 'FieldValueInvalid', field: 'spec.group', value: b['group'], detail: 'field is immutable' });
  const pa = isPlainObject(a['names']) ? a['names']['plural'] : undefined;
  const pb = isPlainObject(b['names']) ? b['names']['plural'] : undefined;
  if (pa !== pb) errs.push({ type: 'FieldValueInvalid', field: 'spec.names.plural', value: pb, detail: 'field is immutable' });
  if (a['scope'] !== b['scope']) errs.push({ type: 'FieldValueInvalid', field: 'spec.scope', value: b['scope'], detail: 'field is immutable' });
  return errs;
}

/** Converts a structural schema into the merge schema used by server-side apply. */
export function schemaFromOpenApi(raw: unknown): SchemaNode | undefined {
  if (!isPlainObject(raw)) return undefined;
  const node: SchemaNode = { raw };
  if (isPlainObject(raw['properties'])) {
    node.fields = {};
    for (const [k, v] of Object.entries(raw['properties'])) {
      const child = schemaFromOpenApi(v);
      if (child) node.fields[k] = child;
    }
  }
  if (isPlainObject(raw['additionalProperties'])) node.additional = schemaFromOpenApi(raw['additionalProperties'])!;
  if (raw['x-kubernetes-map-type'] === 'atomic') node.mapAtomic = true;
  if (raw['type'] === 'array') {
    const lt = raw['x-kubernetes-list-type'];
    node.listType = lt === 'map' || lt === 'set' ? lt : 'atomic';
    const items = schemaFromOpenApi(raw['items']);
    if (items) node.items = items;
    if (lt === 'map' && Array.isArray(raw['x-kubernetes-list-map-keys'])) {
      node.listKeys = raw['x-kubernetes-list-map-keys'] as string[];
      const itemProps = isPlainObject(raw['items']) && isPlainObject(raw['items']['properties']) ? raw['items']['properties'] : {};
      for (const k of node.listKeys) {
        const d = isPlainObject(itemProps[k]) ? itemProps[k]['default'] : undefined;
        if (d !== undefined) (node.keyDefaults ??= {})[k] = d as string;
      }
    }
  }
  return node;
}

/** Date columns of custom resources are rendered as ages, as the apiextensions table convertor does. */
function dateCell(value: unknown, now: number): unknown {
  if (typeof value !== 'string') return value ?? null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : humanDuration(now - t);
}

function printerTable(version: CrdVersion): TableDef {
  const custom = version.additionalPrinterColumns;
  if (!custom || custom.length === 0) {
    return {
      columns: [NAME_COLUMN, { ...AGE_COLUMN, type: 'date' }],
      cells: (o, now) => [o.metadata?.name, dateCell(o.metadata?.creationTimestamp, now)],
    };
  }
  const columns: TableColumn[] = [
    NAME_COLUMN,
    ...custom.map((c) => ({
      ...col(c.name, (['integer', 'number', 'boolean', 'date'].includes(c.type) ? c.type : 'string') as TableColumn['type'], c.description ?? '', c.priority ?? 0),
      ...(c.format ? { format: c.format } : {}),
    })),
  ];
  return {
    columns,
    cells: (o, now) => [
      o.metadata?.name,
      ...custom.map((c) => {
        const v = jsonPathValue(o, c.jsonPath);
        if (v === undefined || v === null) return null;
        if (c.type === 'date') return dateCell(v, now);
        if (c.type === 'string' && typeof v !== 'string') return typeof v === 'object' ? JSON.stringify(v) : String(v);
        return v;
      }),
    ],
  };
}

export function crdResourceTypes(crd: KubeObject): ResourceType[] {
  const spec = crdSpec(crd);
  const names = spec.names;
  return spec.versions
    .filter((v) => v.served)
    .map((v) => {
      const schema = schemaFromOpenApi(v.schema?.openAPIV3Schema) ?? {};
      schema.fields = { ...(schema.fields ?? {}), metadata: objectMetaSchema };
      const t: ResourceType = {
        group: spec.group,
        version: v.name,
        resource: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        namespaced: spec.scope === 'Namespaced',
        verbs: ALL_VERBS,
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        status: v.subresources?.status !== undefined,
        schema,
        builtin: false,
        generation: true,
        nameRule: 'subdomain',
        returnDeletedObject: false,
        table: printerTable(v),
        crd: crd.metadata?.name ?? '',
        storage: v.storage,
      };
      if (v.subresources?.scale) t.scale = v.subresources.scale;
      if (v.deprecated) {
        t.deprecationWarning = v.deprecationWarning ?? `${spec.group}/${v.name} ${names.kind} is deprecated`;
      }
      return t;
    });
}

const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function pathJoin(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Prunes unknown fields and applies defaults in place; returns the paths of pruned fields (what
 * fieldValidation=Strict rejects and Warn reports).
 */
export function pruneAndDefault(obj: KubeObject, schema: Obj | undefined): string[] {
  const unknown: string[] = [];
  if (!schema) return unknown;
  const walk = (value: unknown, s: Obj, path: string, root: boolean): void => {
    if (isPlainObject(value)) {
      const props = isPlainObject(s['properties']) ? s['properties'] : undefined;
      const additional = s['additionalProperties'];
      const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
      if (props) {
        for (const [k, ps] of Object.entries(props)) {
          if (!isPlainObject(ps)) continue;
          if ((value[k] === undefined || (value[k] === null && ps['nullable'] !== true)) && ps['default'] !== undefined) {
            value[k] = clone(ps['default']);
          }
        }
      }
      for (const k of Object.keys(value)) {
        if (root && (k === 'apiVersion' || k === 'kind')) continue;
        if (root && k === 'metadata') {
          const m = value[k];
          if (isPlainObject(m)) for (const mk of Object.keys(m)) if (!OBJECT_META_FIELDS.has(mk)) delete m[mk];
          continue;
        }
        const ps = props?.[k];
        if (isPlainObject(ps)) walk(value[k], ps, pathJoin(path, k), false);
        else if (isPlainObject(additional)) walk(value[k], additional, pathJoin(path, k), false);
        else if (additional === true || preserve) continue;
        else if (props || s['type'] === 'object' || additional === false) {
          unknown.push(pathJoin(path, k));
          delete value[k];
        }
      }
      return;
    }
    if (Array.isArray(value) && isPlainObject(s['items'])) {
      value.forEach((item, i) => walk(item, s['items'] as Obj, `${path}[${i}]`, false));
    }
  };
  walk(obj, schema, '', true);
  return unknown;
}

/** Type, required, enum, bounds and pattern validation against a structural schema. */
export function validateAgainstSchema(obj: KubeObject, schema: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!schema) return errs;
  const walk = (value: unknown, s: Obj, path: string, root: boolean): void => {
    if (value === null) {
      if (s['nullable'] !== true && !root) {
        errs.push({ type: 'FieldValueTypeInvalid', field: path, value: null, detail: `${path} in body must be of type ${String(s['type'] ?? 'object')}: "null"` });
      }
      return;
    }
    const t = s['type'];
    const actual = typeOf(value);
    const intOrString = s['x-kubernetes-int-or-string'] === true;
    if (intOrString) {
      if (actual !== 'integer' && actual !== 'string') {
        errs.push({ type: 'FieldValueTypeInvalid', field: path, value, detail: `${path} in body must be of type integer-or-string: "${actual}"` });
        return;
      }
    } else if (typeof t === 'string' && !(t === actual || (t === 'number' && actual === 'integer'))) {
      errs.push({ type: 'FieldValueTypeInvalid', field: path, value, detail: `${path} in body must be of type ${t}: "${actual}"` });
      return;
    }
    if (Array.isArray(s['enum']) && !s['enum'].some((e) => JSON.stringify(e) === JSON.stringify(value))) {
      errs.push({ type: 'FieldValueNotSupported', field: path, value, supported: s['enum'].map((e) => String(e)) });
    }
    if (typeof value === 'number') {
      if (typeof s['minimum'] === 'number' && value < s['minimum']) {
        errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body should be greater than or equal to ${s['minimum']}` });
      }
      if (typeof s['maximum'] === 'number' && value > s['maximum']) {
        errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body should be less than or equal to ${s['maximum']}` });
      }
    }
    if (typeof value === 'string') {
      if (typeof s['minLength'] === 'number' && value.length < s['minLength']) {
        errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body should be at least ${s['minLength']} chars long` });
      }
      if (typeof s['maxLength'] === 'number' && value.length > s['maxLength']) {
        errs.push({ type: 'FieldValueTooLong', field: path, value, detail: `may not be more than ${s['maxLength']} bytes` });
      }
      if (typeof s['pattern'] === 'string') {
        let re: RegExp | undefined;
        try {
          re = new RegExp(s['pattern'], 'u');
        } catch {
          re = undefined;
        }
        if (re && !re.test(value)) errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body should match '${s['pattern']}'` });
      }
    }
    if (Array.isArray(value)) {
      if (typeof s['minItems'] === 'number' && value.length < s['minItems']) {
        errs.push({ type: 'FieldValueInvalid', field: path, value, detail: `${path} in body should have at least ${s['minItems']} items` });
      }
      if (typeof s['maxItems'] === 'number' && value.length > s['maxItems']) {
        errs.push({ type: 'FieldValueTooLong', field: path, value, detail: `must have at most ${s['maxItems']} items` });
      }
      if (isPlainObject(s['items'])) value.forEach((item, i) => walk(item, s['items'] as Obj, `${path}[${i}]`, false));
      return;
    }
    if (isPlainObject(value)) {
      for (const r of Array.isArray(s['required']) ? s['required'] : []) {
        if (value[r as string] === undefined) errs.push({ type: 'FieldValueRequired', field: pathJoin(path, String(r)) });
      }
      const props = isPlainObject(s['properties']) ? s['properties'] : {};
      for (const [k, v] of Object.entries(value)) {
        if (root && (k === 'metadata' || k === 'apiVersion' || k === 'kind')) continue;
        const ps = props[k] ?? (isPlainObject(s['additionalProperties']) ? s['additionalProperties'] : undefined);
        if (isPlainObject(ps)) walk(v, ps, pathJoin(path, k), false);
      }
    }
  };
  walk(obj, schema, '', true);
  return errs;
}

export function crdVersionSchema(crd: KubeObject, version: string): Obj | undefined {
  const v = crdSpec(crd).versions.find((x) => x.name === version);
  return v?.schema?.openAPIV3Schema;
}
