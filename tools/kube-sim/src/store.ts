/**
 * Object storage keyed like etcd (group/resource, namespace, name), one global resourceVersion
 * counter, and a bounded history of change events that watches resume from.
 */
import { clone, type KubeObject } from './json.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  /** The resourceVersion of the write. */
  rv: number;
  /** `group/resource`. */
  key: string;
  namespace: string;
  name: string;
  object: KubeObject;
  /** The object before the write (MODIFIED and DELETED). */
  prev?: KubeObject;
}

export interface StoredRef {
  key: string;
  namespace: string;
  name: string;
  object: KubeObject;
}

function itemKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class Store {
  private revision = 0;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  /** The highest resourceVersion whose event is no longer in the history. */
  private compacted = 0;
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(private readonly historyLimit: number) {}

  get resourceVersion(): number {
    return this.revision;
  }

  get oldestResumableVersion(): number {
    return this.compacted;
  }

  get(key: string, namespace: string, name: string): KubeObject | undefined {
    const o = this.data.get(key)?.get(itemKey(namespace, name));
    return o ? clone(o) : undefined;
  }

  /** Objects of one group/resource, in etcd key order (namespace, then name). */
  list(key: string, namespace?: string): KubeObject[] {
    const m = this.data.get(key);
    if (!m) return [];
    const out: [string, KubeObject][] = [];
    for (const [k, o] of m) {
      if (namespace !== undefined && (o.metadata?.namespace ?? '') !== namespace) continue;
      out.push([k, o]);
    }
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out.map(([, o]) => clone(o));
  }

  /** Every stored object, for assertions. */
  all(): StoredRef[] {
    const out: StoredRef[] = [];
    for (const [key, m] of this.data) {
      for (const o of m.values()) out.push({ key, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '', object: clone(o) });
    }
    return out.sort((a, b) => (a.key + a.namespace + a.name < b.key + b.namespace + b.name ? -1 : 1));
  }

  keys(): string[] {
    return [...this.data.keys()];
  }

  /** Stores a new object, assigning the next resourceVersion. Returns the stored copy. */
  create(key: string, obj: KubeObject): KubeObject {
    const rv = ++this.revision;
    const stored = clone(obj);
    stored.metadata = { ...stored.metadata, resourceVersion: String(rv) };
    const ns = stored.metadata.namespace ?? '';
    const name = stored.metadata.name ?? '';
    let m = this.data.get(key);
    if (!m) {
      m = new Map();
      this.data.set(key, m);
    }
    m.set(itemKey(ns, name), stored);
    this.emit({ type: 'ADDED', rv, key, namespace: ns, name, object: clone(stored) });
    return clone(stored);
  }

  update(key: string, obj: KubeObject): KubeObject {
    const ns = obj.metadata?.namespace ?? '';
    const name = obj.metadata?.name ?? '';
    const m = this.data.get(key);
    const prev = m?.get(itemKey(ns, name));
    if (!m || !prev) throw new Error(`update of missing object ${key} ${ns}/${name}`);
    const rv = ++this.revision;
    const stored = clone(obj);
    stored.metadata = { ...stored.metadata, resourceVersion: String(rv) };
    m.set(itemKey(ns, name), stored);
    this.emit({ type: 'MODIFIED', rv, key, namespace: ns, name, object: clone(stored), prev: clone(prev) });
    return clone(stored);
  }

  /** Removes an object; the DELETED event carries the object at the deletion's resourceVersion. */
  delete(key: string, namespace: string, name: string): KubeObject | undefined {
    const m = this.data.get(key);
    const prev = m?.get(itemKey(namespace, name));
    if (!m || !prev) return undefined;
    m.delete(itemKey(namespace, name));
    if (m.size === 0) this.data.delete(key);
    const rv = ++this.revision;
    const deleted = clone(prev);
    deleted.metadata = { ...deleted.metadata, resourceVersion: String(rv) };
    this.emit({ type: 'DELETED', rv, key, namespace, name, object: clone(deleted), prev: clone(prev) });
    return deleted;
  }

  /** Events with resourceVersion > rv, or undefined when some of them are no longer retained. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.compacted) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }

  /** Forgets the event history (watches from any older resourceVersion then get 410 Expired). */
  compact(): void {
    this.compacted = this.revision;
    this.history = [];
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift()!;
      this.compacted = dropped.rv;
    }
    for (const fn of [...this.listeners]) fn(e);
  }
}
