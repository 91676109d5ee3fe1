/**
 * Field ownership (metadata.managedFields) and server-side apply, following the algorithm of
 * sigs.k8s.io/structured-merge-diff as used by the API server's fieldmanager:
 *
 * - Apply: merge the applied configuration into the live object, prune fields the manager applied
 *   last time but no longer does (unless someone else owns them), compare the result with the live
 *   object and report a conflict for every changed field owned by another manager (unless force,
 *   which takes the fields away from them). The manager's set becomes exactly the applied fields.
 * - Update (create, PUT, non-apply PATCH): the manager gains every field it added or changed and
 *   nobody keeps fields that were removed; other managers lose fields that changed.
 */
import { ApiError } from './errors.js';
import { FieldSet, fieldToken, fromFieldsV1, pathString, toFieldsV1, type FieldPath } from './fieldpath.js';
import { canonicalJson, clone, deepEqual, isPlainObject, type KubeObject, type ManagedFieldsEntry } from './json.js';
import { childSchema, type SchemaNode } from './schema.js';

export interface ManagerRecord {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** Fields no manager ever owns (the fieldmanager's "strip meta" list). */
const STRIPPED: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:clusterName'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:managedFields'],
  ['f:metadata', 'f:resourceVersion'],
  ['f:metadata', 'f:deletionTimestamp'],
  ['f:metadata', 'f:deletionGracePeriodSeconds'],
];

export interface FieldContext {
  schema: SchemaNode;
  /** Built-in kinds are Go structs: a struct field present in the schema already "exists" when empty. */
  builtin: boolean;
  /** Top-level fields this endpoint does not touch: `status` for the main resource, everything else for /status. */
  ignored: (topLevelField: string) => boolean;
}

function listType(schema: SchemaNode | undefined): 'atomic' | 'map' | 'set' {
  return schema?.listType ?? 'atomic';
}

/** The element token of a list item: `k:{...}` for associative lists, `v:...` for sets, `i:n` otherwise. */
export function itemToken(item: unknown, index: number, schema: SchemaNode | undefined): string {
  const lt = listType(schema);
  if (lt === 'set') return `v:${canonicalJson(item)}`;
  if (lt === 'map' && schema?.listKeys && isPlainObject(item)) {
    const key: Record<string, unknown> = {};
    let complete = true;
    for (const k of schema.listKeys) {
      const v = item[k] ?? schema.keyDefaults?.[k];
      if (v === undefined) complete = false;
      else key[k] = v;
    }
    if (complete || Object.keys(key).length > 0) return `k:${canonicalJson(key)}`;
  }
  return `i:${index}`;
}

function stripped(set: FieldSet, ctx: FieldContext): FieldSet {
  const out = set.clone();
  for (const p of STRIPPED) out.delete(p);
  for (const p of out.paths()) {
    const top = p[0]!.slice(2);
    if (ctx.ignored(top)) out.delete(p);
  }
  return out;
}

/** The set of fields an applied configuration specifies (ToFieldSet). */
export function appliedFieldSet(config: KubeObject, ctx: FieldContext): FieldSet {
  const set = new FieldSet();
  const walk = (value: unknown, schema: SchemaNode | undefined, path: FieldPath): void => {
    if (isPlainObject(value)) {
      if (path.length > 0 && (schema?.mapAtomic || Object.keys(value).length === 0)) {
        set.insert(path);
        return;
      }
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        walk(v, childSchema(schema, k), [...path, fieldToken(k)]);
      }
      return;
    }
    if (Array.isArray(value)) {
      const lt = listType(schema);
      if (lt === 'atomic') {
        set.insert(path);
        return;
      }
      value.forEach((item, i) => {
        const itemPath = [...path, itemToken(item, i, schema)];
        set.insert(itemPath);
        if (lt === 'map' && isPlainObject(item)) {
          for (const [k, v] of Object.entries(item)) walk(v, childSchema(schema?.items, k), [...itemPath, fieldToken(k)]);
        }
      });
      return;
    }
    if (path.length > 0) set.insert(path);
  };
  walk(config, ctx.schema, []);
  return stripped(set, ctx);
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** typed.Compare: which fields were added, changed or removed going from lhs to rhs. */
export function compareObjects(lhs: unknown, rhs: unknown, ctx: FieldContext): Comparison {
  const out: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const mark = (value: unknown, schema: SchemaNode | undefined, path: FieldPath, into: FieldSet): void => {
    if (isPlainObject(value)) {
      const empty = Object.keys(value).length === 0;
      const isStruct = ctx.builtin && schema?.fields !== undefined && schema.additional === undefined;
      if (path.length > 0 && (schema?.mapAtomic || empty || !isStruct)) into.insert(path);
      if (schema?.mapAtomic || empty) return;
      for (const [k, v] of Object.entries(value)) mark(v, childSchema(schema, k), [...path, fieldToken(k)], into);
      return;
    }
    if (Array.isArray(value)) {
      const lt = listType(schema);
      if (lt === 'atomic') {
        into.insert(path);
        return;
      }
      value.forEach((item, i) => {
        const itemPath = [...path, itemToken(item, i, schema)];
        into.insert(itemPath);
        if (lt === 'map' && isPlainObject(item)) {
          for (const [k, v] of Object.entries(item)) mark(v, childSchema(schema?.items, k), [...itemPath, fieldToken(k)], into);
        }
      });
      return;
    }
    if (path.length > 0) into.insert(path);
  };
  const walk = (a: unknown, b: unknown, schema: SchemaNode | undefined, path: FieldPath): void => {
    if (a === undefined && b === undefined) return;
    if (a === undefined) return mark(b, schema, path, out.added);
    if (b === undefined) return mark(a, schema, path, out.removed);
    if (isPlainObject(a) && isPlainObject(b)) {
      const bothEmpty = Object.keys(a).length === 0 && Object.keys(b).length === 0;
      if (schema?.mapAtomic || bothEmpty) {
        if (!deepEqual(a, b) && path.length > 0) out.modified.insert(path);
        return;
      }
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        walk(a[k], b[k], childSchema(schema, k), [...path, fieldToken(k)]);
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && listType(schema) !== 'atomic') {
      const index = (list: unknown[]): Map<string, unknown> => {
        const m = new Map<string, unknown>();
        list.forEach((item, i) => m.set(itemToken(item, i, schema), item));
        return m;
      };
      const ai = index(a);
      const bi = index(b);
      for (const token of new Set([...ai.keys(), ...bi.keys()])) {
        const itemPath = [...path, token];
        const x = ai.get(token);
        const y = bi.get(token);
        if (x === undefined) mark(y, schema?.items, itemPath, out.added);
        else if (y === undefined) mark(x, schema?.items, itemPath, out.removed);
        else if (listType(schema) === 'map' && isPlainObject(x) && isPlainObject(y)) {
          for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
            walk(x[k], y[k], childSchema(schema?.items, k), [...itemPath, fieldToken(k)]);
          }
        } else if (!deepEqual(x, y)) out.modified.insert(itemPath);
      }
      // Items present on both sides are not "modified" by a reorder, as in structured-merge-diff.
      return;
    }
    if (!deepEqual(a, b) && path.length > 0) out.modified.insert(path);
  };
  walk(lhs, rhs, ctx.schema, []);
  return { added: stripped(out.added, ctx), modified: stripped(out.modified, ctx), removed: stripped(out.removed, ctx) };
}

/** typed.Merge for apply: the configuration wins; associative lists merge by key, sets by value. */
export function mergeForApply(live: unknown, config: unknown, schema: SchemaNode | undefined): unknown {
  if (config === undefined) return clone(live);
  if (live === undefined) return clone(config);
  if (isPlainObject(live) && isPlainObject(config) && !schema?.mapAtomic) {
    const out: Record<string, unknown> = clone(live);
    for (const [k, v] of Object.entries(config)) {
      if (v === undefined) continue;
      out[k] = mergeForApply(live[k], v, childSchema(schema, k));
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(config)) {
    const lt = listType(schema);
    if (lt === 'atomic') return clone(config);
    const out = live.map((item) => clone(item));
    const tokens = out.map((item, i) => itemToken(item, i, schema));
    config.forEach((item, i) => {
      const token = itemToken(item, i, schema);
      const at = token.startsWith('i:') ? -1 : tokens.indexOf(token);
      if (at >= 0) out[at] = lt === 'map' ? mergeForApply(out[at], item, schema?.items) : clone(item);
      else {
        out.push(clone(item));
        tokens.push(token);
      }
    });
    return out;
  }
  return clone(config);
}

/** Removes the value at `path` (RemoveItems); empty maps left behind by the removal are dropped too. */
export function removePath(root: Record<string, unknown>, path: FieldPath, schema: SchemaNode | undefined): void {
  const parents: { container: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  let node: unknown = root;
  let s = schema;
  for (const token of path) {
    const kind = token.slice(0, 2);
    const rest = token.slice(2);
    if (kind === 'f:') {
      if (!isPlainObject(node) || !(rest in node)) return;
      parents.push({ container: node, key: rest });
      node = node[rest];
      s = childSchema(s, rest);
    } else {
      if (!Array.isArray(node)) return;
      const list: unknown[] = node;
      const idx = list.findIndex((item, i) => itemToken(item, i, s) === token);
      if (idx < 0) return;
      parents.push({ container: list, key: idx });
      node = list[idx];
      s = s?.items;
    }
  }
  for (let i = parents.length - 1; i >= 0; i--) {
    const { container, key } = parents[i]!;
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
    // Only keep collapsing maps that the removal emptied; never remove the root or list containers.
    if (i === 0) break;
    if (!isPlainObject(container) || Object.keys(container).length > 0) break;
  }
}

function managerIdentity(r: Pick<ManagerRecord, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([r.manager, r.operation, r.operation === 'Apply' ? '' : r.apiVersion, r.subresource ?? '']);
}

/** metav1.Time serialises with second precision; clients may send milliseconds back. */
function normalizeTime(time: unknown): string {
  const ms = Date.parse(String(time));
  return Number.isNaN(ms) ? String(time) : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function decodeManagedFields(entries: unknown): ManagerRecord[] {
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  const out: ManagerRecord[] = [];
  for (const e of entries as ManagedFieldsEntry[]) {
    if (!isPlainObject(e)) throw new Error('managedFields entries must be objects');
    if (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1') throw new Error(`unsupported fieldsType ${String(e.fieldsType)}`);
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error(`unsupported operation ${String(e.operation)}`);
    out.push({
      manager: String(e.manager ?? ''),
      operation: e.operation,
      apiVersion: String(e.apiVersion ?? ''),
      ...(e.time ? { time: normalizeTime(e.time) } : {}),
      ...(e.subresource ? { subresource: e.subresource } : {}),
      set: fromFieldsV1(e.fieldsV1 ?? {}),
    });
  }
  return out;
}

/** Encodes records sorted as the API server sorts them (operation, time, manager, apiVersion, subresource). */
export function encodeManagedFields(records: ManagerRecord[]): ManagedFieldsEntry[] {
  const sorted = records
    .filter((r) => !r.set.isEmpty())
    .sort((p, q) => {
      if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
      const pt = p.time ? Date.parse(p.time) : 0;
      const qt = q.time ? Date.parse(q.time) : 0;
      if (pt !== qt) return pt - qt;
      if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
      if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
      return (p.subresource ?? '') < (q.subresource ?? '') ? -1 : (p.subresource ?? '') > (q.subresource ?? '') ? 1 : 0;
    });
  return sorted.map((r) => {
    const entry: ManagedFieldsEntry = {
      manager: r.manager,
      operation: r.operation,
      apiVersion: r.apiVersion,
      ...(r.time ? { time: r.time } : {}),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(r.set),
    };
    if (r.subresource) entry.subresource = r.subresource;
    return entry;
  });
}

/** How a manager is named in conflict messages (printManager). */
function printManager(r: ManagerRecord): string {
  const name = JSON.stringify(r.manager);
  if (r.operation === 'Update') return r.time ? `${name} using ${r.apiVersion} at ${r.time}` : `${name} using ${r.apiVersion}`;
  return name;
}

/** The 409 Conflict Status server-side apply returns (internal.NewConflictError). */
export function applyConflictError(conflicts: { record: ManagerRecord; path: FieldPath }[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.record)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.record)}: ${pathString(conflicts[0]!.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const m = printManager(c.record);
      byManager.set(m, [...(byManager.get(m) ?? []), pathString(c.path)]);
    }
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const p of byManager.get(m)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}

export interface ApplyArgs {
  live: KubeObject | undefined;
  config: KubeObject;
  ctx: FieldContext;
  manager: string;
  apiVersion: string;
  force: boolean;
  subresource?: string;
  now: string;
}

/**
 * Server-side apply. Returns the merged object (not yet defaulted; system metadata as on `live`)
 * with its new managedFields. Throws the 409 conflict error unless `force`.
 */
export function applyConfiguration(args: ApplyArgs): KubeObject {
  const { live, config, ctx } = args;
  const liveObj: KubeObject = live ? clone(live) : {};
  const managers = decodeManagedFields(liveObj.metadata?.managedFields);
  const configBody = clone(config);
  for (const key of Object.keys(configBody)) if (ctx.ignored(key)) delete configBody[key];
  const liveBody = clone(liveObj);
  if (liveBody.metadata) delete liveBody.metadata.managedFields;

  const me = { manager: args.manager, operation: 'Apply' as const, apiVersion: args.apiVersion, subresource: args.subresource };
  const myId = managerIdentity(me);
  const previous = managers.find((r) => managerIdentity(r) === myId);
  const others = managers.filter((r) => managerIdentity(r) !== myId);
  const newSet = appliedFieldSet(configBody, ctx);

  const merged = mergeForApply(liveBody, configBody, ctx.schema) as Record<string, unknown>;
  // Prune what this manager applied before but no longer does, unless somebody else owns it.
  if (previous) {
    const candidates = previous.set
      .paths()
      .filter((p) => !newSet.hasTree(p) && !others.some((o) => o.set.hasTree(p)))
      .sort((a, b) => a.length - b.length);
    for (const p of candidates) removePath(merged, p, ctx.schema);
  }

  const cmp = compareObjects(liveBody, merged, ctx);
  const changed = cmp.modified.union(cmp.added);
  const conflicts: { record: ManagerRecord; path: FieldPath }[] = [];
  for (const other of others) {
    for (const p of other.set.intersection(changed).paths()) conflicts.push({ record: other, path: p });
  }
  if (conflicts.length > 0 && !args.force) throw applyConflictError(conflicts);
  for (const c of conflicts) c.record.set.delete(c.path);
  for (const other of others) for (const p of cmp.removed.paths()) other.set.deleteTree(p);

  const records: ManagerRecord[] = [...others, { ...me, time: args.now, set: newSet }];
  const result = merged as KubeObject;
  if (!result.metadata) result.metadata = {};
  result.metadata.managedFields = encodeManagedFields(records);
  return result;
}

export interface UpdateArgs {
  live: KubeObject | undefined;
  updated: KubeObject;
  ctx: FieldContext;
  manager: string;
  apiVersion: string;
  subresource?: string;
  now: string;
  /** managedFields as sent by the client (undefined when the request did not set them). */
  requested?: unknown;
}

/** Ownership after a non-apply write. Returns the managedFields to store on `updated`. */
export function trackUpdate(args: UpdateArgs): ManagedFieldsEntry[] {
  const { live, updated, ctx } = args;
  let managers: ManagerRecord[];
  const requested = args.requested;
  if (Array.isArray(requested) && requested.length > 0) {
    if (requested.every((e) => isPlainObject(e) && Object.keys(e).length === 0)) return [];
    try {
      managers = decodeManagedFields(requested);
    } catch {
      managers = decodeManagedFields(live?.metadata?.managedFields);
    }
  } else {
    managers = decodeManagedFields(live?.metadata?.managedFields);
  }
  const strip = (o: KubeObject | undefined): KubeObject => {
    const c = clone(o ?? {});
    if (c.metadata) delete c.metadata.managedFields;
    return c;
  };
  const cmp = compareObjects(strip(live), strip(updated), ctx);
  const gained = cmp.modified.union(cmp.added);
  const me = { manager: args.manager, operation: 'Update' as const, apiVersion: args.apiVersion, subresource: args.subresource };
  const myId = managerIdentity(me);
  for (const r of managers) {
    if (managerIdentity(r) === myId) continue;
    for (const p of gained.paths()) r.set.delete(p);
  }
  for (const r of managers) for (const p of cmp.removed.paths()) r.set.deleteTree(p);
  const existing = managers.find((r) => managerIdentity(r) === myId);
  if (existing) {
    existing.set = existing.set.union(gained);
    if (!gained.isEmpty()) existing.time = args.now;
  } else if (!gained.isEmpty()) {
    managers.push({ ...me, time: args.now, set: gained });
  }
  return encodeManagedFields(managers);
}

/** Managed fields equal apart from timestamps (IgnoreManagedFieldsTimestampsTransformer). */
export function sameIgnoringManagedFieldTimes(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): unknown => {
    const c = clone(o);
    const mf = c.metadata?.managedFields;
    if (Array.isArray(mf) && c.metadata) {
      for (const e of mf) delete e.time;
      c.metadata.managedFields = [...mf].sort((x, y) => (canonicalJson(x) < canonicalJson(y) ? -1 : 1));
    }
    return c;
  };
  return deepEqual(strip(a), strip(b));
}


