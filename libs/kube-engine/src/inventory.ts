import type { ObjectRef } from './manifest.js';

/** One object an apply recorded: what a later removal of its inventory deletes. */
export interface InventoryEntry {
  readonly inventoryId: string;
  readonly contextId: string;
  readonly ref: ObjectRef;
  readonly uid: string | null;
  /** Position in apply order. */
  readonly seq: number;
}

/**
 * Where inventories are kept: the server keeps them in its database, tests in memory. Recording is
 * per object and immediate, so an interrupted apply or removal leaves an exact record.
 */
export interface InventoryStore {
  /** The entries of an inventory in apply order. */
  entries(inventoryId: string): Promise<InventoryEntry[]>;
  /** Records an applied object; an object already recorded keeps its position. */
  record(entry: Omit<InventoryEntry, 'seq'>): Promise<void>;
  /** Forgets an object once it is deleted. */
  forget(inventoryId: string, ref: ObjectRef): Promise<void>;
}

const keyOf = (ref: ObjectRef) => `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;

/** An {@link InventoryStore} in memory (tests, tools). */
export class MemoryInventoryStore implements InventoryStore {
  private readonly inventories = new Map<string, Map<string, InventoryEntry>>();
  private nextSeq = 0;

  async entries(inventoryId: string): Promise<InventoryEntry[]> {
    return [...(this.inventories.get(inventoryId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  async record(entry: Omit<InventoryEntry, 'seq'>): Promise<void> {
    const inventory = this.inventories.get(entry.inventoryId) ?? new Map<string, InventoryEntry>();
    this.inventories.set(entry.inventoryId, inventory);
    const existing = inventory.get(keyOf(entry.ref));
    inventory.set(keyOf(entry.ref), { ...entry, seq: existing?.seq ?? this.nextSeq++ });
  }

  async forget(inventoryId: string, ref: ObjectRef): Promise<void> {
    const inventory = this.inventories.get(inventoryId);
    inventory?.delete(keyOf(ref));
    if (inventory?.size === 0) this.inventories.delete(inventoryId);
  }
}
