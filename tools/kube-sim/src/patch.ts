/**
 * The three non-apply patch formats:
 *
 * - JSON merge patch (RFC 7386);
 * - JSON patch (RFC 6902, with the failure modes of evanphx/json-patch: missing keys are errors);
 * - strategic merge patch, for built-in kinds only (the real server answers 415 for custom
 *   resources). Lists whose schema node has `patchStrategy: merge` merge by `patchMergeKey` (or as a
 *   union for scalar lists); other lists are replaced; maps merge recursively and `null` deletes.
 *   Directives: `$patch: replace|delete|merge` (maps and list items), `$retainKeys`,
 *   `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
 */
import { badRequest, unprocessablePatch } from './errors.js';
import { clone, deepEqual, isPlainObject } from './json.js';
import { childSchema, type SchemaNode } from './schema.js';

export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function decodeJsonPatch(body: unknown): JsonPatchOp[] {
  if (!Array.isArray(body)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  for (const op of body) {
    if (!isPlainObject(op) || typeof op['op'] !== 'string' || typeof op['path'] !== 'string') {
      throw badRequest('json: cannot unmarshal into Go value of type jsonpatch.Operation: each operation needs "op" and "path"');
    }
  }
  return body as JsonPatchOp[];
}

function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (forAdd && token === '-') return length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new Error(`invalid array index ${JSON.stringify(token)}`);
  const i = Number(token);
  if (i > length || (!forAdd && i === length)) throw new Error(`array index ${i} out of bounds`);
  return i;
}

function resolveParent(doc: unknown, tokens: string[]): { parent: unknown; key: string } {
  let node = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(t, node.length, false)];
    else if (isPlainObject(node)) {
      if (!(t in node)) throw new Error(`doc is missing path: ${t}`);
      node = node[t];
    } else throw new Error(`doc is missing path: ${t}`);
  }
  return { parent: node, key: tokens[tokens.length - 1]! };
}

function getAt(doc: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) return doc;
  const { parent, key } = resolveParent(doc, tokens);
  if (Array.isArray(parent)) return parent[arrayIndex(key, parent.length, false)];
  if (isPlainObject(parent) && key in parent) return parent[key];
  throw new Error(`doc is missing key: ${key}`);
}

function removeAt(doc: unknown, tokens: string[]): unknown {
  const { parent, key } = resolveParent(doc, tokens);
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false);
    return parent.splice(i, 1)[0];
  }
  if (isPlainObject(parent) && key in parent) {
    const v = parent[key];
    delete parent[key];
    return v;
  }
  throw new Error(`remove operation does not apply: doc is missing key: ${key}`);
}

function addAt(doc: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, true), 0, value);
  else if (isPlainObject(parent)) parent[key] = value;
  else throw new Error(`add operation does not apply: doc is missing path: ${key}`);
  return doc;
}

/** Applies a decoded JSON patch; failures become the 422 the real server returns. */
export function applyJsonPatch(doc: unknown, ops: JsonPatchOp[]): unknown {
  let out = clone(doc);
  try {
    for (const op of ops) {
      const path = parsePointer(op.path);
      switch (op.op) {
        case 'add':
          out = addAt(out, path, clone(op.value));
          break;
        case 'remove':
          removeAt(out, path);
          break;
        case 'replace':
          if (path.length === 0) out = clone(op.value);
          else {
            getAt(out, path);
            const { parent, key } = resolveParent(out, path);
            if (Array.isArray(parent)) parent[arrayIndex(key, parent.length, false)] = clone(op.value);
            else (parent as Record<string, unknown>)[key] = clone(op.value);
          }
          break;
        case 'move': {
          const from = parsePointer(op.from ?? '');
          const v = removeAt(out, from);
          out = addAt(out, path, v);
          break;
        }
        case 'copy': {
          const from = parsePointer(op.from ?? '');
          out = addAt(out, path, clone(getAt(out, from)));
          break;
        }
        case 'test':
          if (!deepEqual(getAt(out, path), op.value)) throw new Error('testing value failed');
          break;
        default:
          throw new Error(`Unexpected kind: ${op.op}`);
      }
    }
  } catch (e) {
    if (e instanceof Error && 'code' in e) throw e;
    throw unprocessablePatch();
  }
  return out;
}

const DIRECTIVE_PREFIXES = ['$setElementOrder/', '$deleteFromPrimitiveList/'];

function mergeKeyOf(schema: SchemaNode | undefined): string | undefined {
  return schema?.patchMergeKey;
}

function isMergeList(schema: SchemaNode | undefined): boolean {
  return (schema?.patchStrategy ?? '').split(',').includes('merge');
}

/** Removes SMP directives from a value that is being inserted as-is. */
function stripDirectives(value: unknown, schema: SchemaNode | undefined): unknown {
  if (isPlainObject(value)) return smpMap({}, value, schema) ?? {};
  if (Array.isArray(value)) return value.map((v) => stripDirectives(v, schema?.items));
  return value;
}

function smpMap(original: Record<string, unknown>, patch: Record<string, unknown>, schema: SchemaNode | undefined): Record<string, unknown> | undefined {
  const directive = patch['$patch'];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const rest = { ...patch };
    delete rest['$patch'];
    return smpMap({}, rest, schema);
  }
  if (directive !== undefined && directive !== 'merge') throw badRequest(`Unknown patch type: ${String(directive)}`);
  const out: Record<string, unknown> = clone(original);
  const orders: [string, unknown[]][] = [];
  const deletions: [string, unknown[]][] = [];
  for (const [key, pv] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    const prefix = DIRECTIVE_PREFIXES.find((p) => key.startsWith(p));
    if (prefix) {
      if (!Array.isArray(pv)) throw badRequest(`${key} must be a list`);
      (prefix === '$setElementOrder/' ? orders : deletions).push([key.slice(prefix.length), pv]);
      continue;
    }
    const child = childSchema(schema, key);
    if (pv === null) delete out[key];
    else if (isPlainObject(pv)) {
      const merged = smpMap(isPlainObject(out[key]) ? (out[key] as Record<string, unknown>) : {}, pv, child);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else if (Array.isArray(pv)) out[key] = smpList(out[key], pv, child);
    else out[key] = pv;
  }
  for (const [field, values] of deletions) {
    const list = out[field];
    if (Array.isArray(list)) out[field] = list.filter((v) => !values.some((d) => deepEqual(d, v)));
  }
  for (const [field, order] of orders) {
    const list = out[field];
    if (!Array.isArray(list)) continue;
    const key = mergeKeyOf(childSchema(schema, field));
    const identity = (v: unknown): unknown => (key && isPlainObject(v) ? v[key] : v);
    const wanted = order.map(identity);
    const inOrder = wanted
      .map((w) => list.find((item) => deepEqual(identity(item), w)))
      .filter((item): item is NonNullable<typeof item> => item !== undefined);
    const rest = list.filter((item) => !wanted.some((w) => deepEqual(identity(item), w)));
    out[field] = [...inOrder, ...rest];
  }
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

function smpList(original: unknown, patch: unknown[], schema: SchemaNode | undefined): unknown[] {
  const replaceDirective = patch.find((item) => isPlainObject(item) && item['$patch'] === 'replace');
  const items = patch.filter((item) => item !== replaceDirective);
  if (replaceDirective !== undefined || !isMergeList(schema) || !Array.isArray(original)) {
    return items
      .filter((item) => !(isPlainObject(item) && item['$patch'] === 'delete'))
      .map((item) => stripDirectives(item, schema?.items));
  }
  const key = mergeKeyOf(schema);
  const out = clone(original);
  if (!key) {
    for (const item of items) if (!out.some((v) => deepEqual(v, item))) out.push(clone(item));
    return out;
  }
  for (const item of items) {
    if (!isPlainObject(item)) {
      out.push(clone(item));
      continue;
    }
    const idx = out.findIndex((v) => isPlainObject(v) && deepEqual(v[key], item[key]));
    if (item['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = smpMap(out[idx] as Record<string, unknown>, item, schema?.items);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      const created = smpMap({}, item, schema?.items);
      if (created !== undefined) out.push(created);
    }
  }
  return out;
}

export function strategicMergePatch(original: unknown, patch: unknown, schema: SchemaNode | undefined): unknown {
  if (!isPlainObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return smpMap(isPlainObject(original) ? original : {}, patch, schema) ?? {};
}
