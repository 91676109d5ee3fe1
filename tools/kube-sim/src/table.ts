/** Server-side printing: meta.k8s.io/v1 Table responses, as `kubectl get` asks for them. */
import { isPlainObject, type KubeObject } from './json.js';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  priority: number;
}

export interface TableDef {
  columns: TableColumn[];
  cells: (obj: KubeObject, now: number) => unknown[];
}

export const NAME_COLUMN: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names',
  priority: 0,
};

export const AGE_COLUMN: TableColumn = {
  name: 'Age',
  type: 'string',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};

export function col(name: string, type: TableColumn['type'] = 'string', description = '', priority = 0): TableColumn {
  return { name, type, description, priority };
}

/** duration.HumanDuration, as the Age column renders it. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

export function age(obj: KubeObject, now: number): string {
  const ts = obj.metadata?.creationTimestamp;
  if (!ts) return '<unknown>';
  return humanDuration(now - Date.parse(ts));
}

/** The default table of resources without a dedicated printer: Name and Created At. */
export const DEFAULT_TABLE: TableDef = {
  columns: [NAME_COLUMN, { ...col('Created At', 'date', AGE_COLUMN.description) }],
  cells: (obj) => [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? null],
};

/** A simple JSONPath subset ({.a.b[0].c} / .a.b) for CRD additionalPrinterColumns. */
export function jsonPathValue(obj: unknown, jsonPath: string): unknown {
  const expr = jsonPath.replace(/^\{/, '').replace(/\}$/, '').replace(/^\$/, '');
  const tokens = [...expr.matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]/g)];
  let node: unknown = obj;
  for (const t of tokens) {
    if (node === undefined || node === null) return undefined;
    if (t[2] !== undefined) node = Array.isArray(node) ? node[Number(t[2])] : undefined;
    else {
      const key = t[1] ?? t[3]!;
      node = isPlainObject(node) ? node[key] : undefined;
    }
  }
  return node;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialObjectMetadata(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
}

export function buildTable(
  def: TableDef,
  objects: KubeObject[],
  opts: { include: IncludeObject; resourceVersion?: string; continueToken?: string; remaining?: number; withColumns?: boolean },
): KubeObject {
  const now = Date.now();
  const table: KubeObject = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {}),
      ...(opts.continueToken ? { continue: opts.continueToken } : {}),
      ...(opts.remaining ? { remainingItemCount: opts.remaining } : {}),
    },
    columnDefinitions: opts.withColumns === false ? null : def.columns,
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: def.cells(o, now).map((c) => (c === undefined ? null : c)) };
      if (opts.include === 'Object') row['object'] = o;
      else if (opts.include === 'Metadata') row['object'] = partialObjectMetadata(o);
      return row;
    }),
  };
  return table;
}
