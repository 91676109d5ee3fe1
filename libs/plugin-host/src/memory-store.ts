import { PluginError, type PluginStore } from '@meshery/plugin-api';

/** The limits every {@link PluginStore} of the host enforces. */
export const PLUGIN_STORE_LIMITS = Object.freeze({ keyLength: 200, valueBytes: 1024 * 1024 });

/** Checks a key and serialises a value as every host store does, with the fault named. */
export function serialiseStoreEntry(key: string, value: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > PLUGIN_STORE_LIMITS.keyLength) {
    throw new PluginError('INVALID_REQUEST', `Store keys are 1 to ${PLUGIN_STORE_LIMITS.keyLength} characters; got ${typeof key === 'string' ? key.length : typeof key}`);
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new PluginError('INVALID_REQUEST', `The value for "${key}" is not JSON-serialisable: ${(error as Error).message}`);
  }
  if (text === undefined) throw new PluginError('INVALID_REQUEST', `The value for "${key}" is not JSON-serialisable (undefined or a function); use delete() to remove a key`);
  if (Buffer.byteLength(text) > PLUGIN_STORE_LIMITS.valueBytes) {
    throw new PluginError('INVALID_REQUEST', `The value for "${key}" is ${Buffer.byteLength(text)} bytes once serialised; the limit is ${PLUGIN_STORE_LIMITS.valueBytes}`);
  }
  return text;
}

/** A {@link PluginStore} in memory, for tests and tools (values are copied in and out). */
export class MemoryPluginStore implements PluginStore {
  private readonly values = new Map<string, string>();

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, serialiseStoreEntry(key, value));
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async keys(prefix = ''): Promise<string[]> {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}
