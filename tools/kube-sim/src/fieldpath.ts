/**
 * Field paths and field sets in the shape of sigs.k8s.io/structured-merge-diff: a path is a list of
 * elements written as they appear in `managedFields[].fieldsV1`:
 *
 *   f:<field>        a struct field or map key
 *   k:<json object>  an item of an associative list, identified by its keys (sorted by name)
 *   v:<json value>   an item of a set (list of scalars)
 *   i:<index>        an item of a list addressed by position
 *
 * A FieldSet holds "member" paths. In fieldsV1 a member that also has children is marked with ".".
 */
import { isPlainObject, type JsonObject } from './json.js';

export type FieldPath = string[];

const SEP = '\u0000';

export class FieldSet {
  private readonly members = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.insert(p);
  }

  static key(path: FieldPath): string {
    return path.join(SEP);
  }

  insert(path: FieldPath): void {
    this.members.set(FieldSet.key(path), path);
  }

  has(path: FieldPath): boolean {
    return this.members.has(FieldSet.key(path));
  }

  delete(path: FieldPath): void {
    this.members.delete(FieldSet.key(path));
  }

  /** Removes the path and every path below it. */
  deleteTree(path: FieldPath): void {
    const prefix = FieldSet.key(path);
    for (const key of [...this.members.keys()]) {
      if (key === prefix || key.startsWith(prefix + SEP)) this.members.delete(key);
    }
  }

  /** True when the path itself or anything below it is a member. */
  hasTree(path: FieldPath): boolean {
    const prefix = FieldSet.key(path);
    for (const key of this.members.keys()) {
      if (key === prefix || key.startsWith(prefix + SEP)) return true;
    }
    return false;
  }

  get size(): number {
    return this.members.size;
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  paths(): FieldPath[] {
    return [...this.members.values()].sort(comparePaths);
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.members.values(), ...other.members.values()]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet([...this.members.values()].filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet([...this.members.values()].filter((p) => other.has(p)));
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && [...this.members.keys()].every((k) => other.members.has(k));
  }

  clone(): FieldSet {
    return new FieldSet(this.members.values());
  }
}

export function comparePaths(a: FieldPath, b: FieldPath): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

export function fieldToken(name: string): string {
  return `f:${name}`;
}

/** The fieldsV1 JSON object of a set. */
export function toFieldsV1(set: FieldSet): JsonObject {
  interface Node {
    member: boolean;
    children: Map<string, Node>;
  }
  const root: Node = { member: false, children: new Map() };
  for (const path of set.paths()) {
    let node = root;
    for (const token of path) {
      let child = node.children.get(token);
      if (!child) {
        child = { member: false, children: new Map() };
        node.children.set(token, child);
      }
      node = child;
    }
    node.member = true;
  }
  const render = (node: Node): JsonObject => {
    const out: JsonObject = {};
    if (node.member && node.children.size > 0) out['.'] = {};
    for (const token of [...node.children.keys()].sort()) out[token] = render(node.children.get(token)!);
    return out;
  };
  return render(root);
}

/** Parses a fieldsV1 object; throws on a malformed one. */
export function fromFieldsV1(fields: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (node: unknown, path: FieldPath): void => {
    if (!isPlainObject(node)) throw new Error(`invalid fieldsV1 at ${pathString(path) || 'root'}: expected an object`);
    const keys = Object.keys(node);
    if (path.length > 0 && (keys.length === 0 || keys.includes('.'))) set.insert(path);
    for (const key of keys) {
      if (key === '.') continue;
      if (!/^[fkvi]:/.test(key)) throw new Error(`invalid fieldsV1 key ${JSON.stringify(key)}`);
      walk(node[key], [...path, key]);
    }
  };
  walk(fields, []);
  return set;
}

function scalarString(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
}

/** fieldpath.Path.String(): `.spec.containers[name="nginx"].image`. */
export function pathString(path: FieldPath): string {
  return path
    .map((token) => {
      const kind = token.slice(0, 2);
      const rest = token.slice(2);
      switch (kind) {
        case 'f:':
          return `.${rest}`;
        case 'k:': {
          const keys = JSON.parse(rest) as Record<string, unknown>;
          return `[${Object.keys(keys)
            .sort()
            .map((k) => `${k}=${scalarString(keys[k])}`)
            .join(',')}]`;
        }
        case 'v:':
          return `[=${scalarString(JSON.parse(rest))}]`;
        case 'i:':
          return `[${rest}]`;
        default:
          return token;
      }
    })
    .join('');
}
