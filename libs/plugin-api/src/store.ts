/**
 * A small persistent key-value store of the plugin's own, kept by the host (in its database, values
 * encrypted at rest, so they may hold private keys). Values are JSON-serialisable. Keys are at most
 * 200 characters; a value at most 1 MiB once serialised.
 *
 * @example
 * ```ts
 * constructor(@inject(PluginTokens.store) private readonly store: PluginStore) {}
 * await this.store.set(`install/${contextId}`, { version: '1.24.1', inventoryId });
 * const record = await this.store.get<{ version: string }>(`install/${contextId}`);
 * ```
 */
export interface PluginStore {
  /** The value under `key`, or `undefined`. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores `value` under `key`, replacing what was there. */
  set(key: string, value: unknown): Promise<void>;
  /** Removes `key`; nothing happens when it is absent. */
  delete(key: string): Promise<void>;
  /** The keys that start with `prefix` (all when absent), sorted. */
  keys(prefix?: string): Promise<string[]>;
}
