/**
 * MemoryPluginStore and serialiseStoreEntry: the PluginStore contract (copies in and out, sorted
 * keys, limits, JSON-only values) as plugins see it in tests and tools.
 */
import { PluginError } from '@meshery/plugin-api';
import { describe, expect, it } from 'vitest';
import { MemoryPluginStore, PLUGIN_STORE_LIMITS, serialiseStoreEntry } from '../src/index.js';

/** The PluginError `run` throws or rejects with. */
async function failure(run: () => unknown): Promise<PluginError> {
  let outcome: unknown;
  try {
    outcome = await run();
  } catch (error) {
    outcome = error;
  }
  expect(outcome).toBeInstanceOf(PluginError);
  return outcome as PluginError;
}

describe('MemoryPluginStore', () => {
  it('returns what was stored, and undefined for a key never stored', async () => {
    const store = new MemoryPluginStore();
    await store.set('install/ctx-1', { version: '1.24.1', inventoryId: 'inv-1', components: ['istiod', 'ingress'] });
    expect(await store.get('install/ctx-1')).toEqual({ version: '1.24.1', inventoryId: 'inv-1', components: ['istiod', 'ingress'] });
    expect(await store.get('install/ctx-2')).toBeUndefined();
  });

  it.each([
    ['a string', 'text'],
    ['an empty string', ''],
    ['zero', 0],
    ['false', false],
    ['null', null],
    ['an array', [1, 'two', { three: 3 }]],
    ['unicode', 'ünïcødé ✓ 日本'],
  ])('keeps %s as it was', async (_name, value) => {
    const store = new MemoryPluginStore();
    await store.set('k', value);
    expect(await store.get('k')).toEqual(value);
    expect(await store.keys()).toEqual(['k']);
  });

  it('copies a value in: changing the object after set() does not change the store', async () => {
    const store = new MemoryPluginStore();
    const value = { version: '1.0.0', nested: { list: [1, 2] } };
    await store.set('k', value);
    value.version = '2.0.0';
    value.nested.list.push(3);
    expect(await store.get('k')).toEqual({ version: '1.0.0', nested: { list: [1, 2] } });
  });

  it('copies a value out: changing a returned object does not change the store', async () => {
    const store = new MemoryPluginStore();
    await store.set('k', { version: '1.0.0', nested: { list: [1, 2] } });
    const first = await store.get<{ version: string; nested: { list: number[] } }>('k');
    first!.version = 'mutated';
    first!.nested.list.length = 0;
    const second = await store.get('k');
    expect(second).toEqual({ version: '1.0.0', nested: { list: [1, 2] } });
    expect(second).not.toBe(first);
  });

  it('stores values as JSON would: dates become strings, undefined properties disappear', async () => {
    const store = new MemoryPluginStore();
    await store.set('k', { at: new Date('2024-05-01T00:00:00Z'), gone: undefined, kept: 1 });
    expect(await store.get('k')).toEqual({ at: '2024-05-01T00:00:00.000Z', kept: 1 });
    expect(Object.keys((await store.get<Record<string, unknown>>('k'))!)).toEqual(['at', 'kept']);
  });

  it('replaces a value on set() and forgets it on delete(); deleting an absent key is a no-op', async () => {
    const store = new MemoryPluginStore();
    await store.set('k', 1);
    await store.set('k', { replaced: true });
    expect(await store.get('k')).toEqual({ replaced: true });
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    expect(await store.keys()).toEqual([]);
    await expect(store.delete('never-there')).resolves.toBeUndefined();
  });

  it('lists keys sorted, all of them or those with a prefix', async () => {
    const store = new MemoryPluginStore();
    for (const key of ['install/ctx-b', 'settings', 'install/ctx-a', 'install-log', 'install/ctx-c']) await store.set(key, 1);
    expect(await store.keys()).toEqual(['install-log', 'install/ctx-a', 'install/ctx-b', 'install/ctx-c', 'settings']);
    expect(await store.keys('install/')).toEqual(['install/ctx-a', 'install/ctx-b', 'install/ctx-c']);
    expect(await store.keys('install')).toEqual(['install-log', 'install/ctx-a', 'install/ctx-b', 'install/ctx-c']);
    expect(await store.keys('nothing/')).toEqual([]);
    expect(await store.keys('')).toHaveLength(5);
  });

  it('accepts a key of 200 characters and refuses 201 or none, leaving the store unchanged', async () => {
    const store = new MemoryPluginStore();
    await store.set('k'.repeat(PLUGIN_STORE_LIMITS.keyLength), 'ok');
    expect(await store.keys()).toEqual(['k'.repeat(200)]);
    const tooLong = await failure(() => store.set('k'.repeat(201), 'no'));
    expect(tooLong.code).toBe('INVALID_REQUEST');
    expect(tooLong.message).toContain('1 to 200 characters; got 201');
    const empty = await failure(() => store.set('', 'no'));
    expect(empty.code).toBe('INVALID_REQUEST');
    const notAString = await failure(() => store.set(42 as unknown as string, 'no'));
    expect(notAString.message).toContain('got number');
    expect(await store.keys()).toEqual(['k'.repeat(200)]);
  });

  it('accepts a value of exactly 1 MiB once serialised and refuses one byte more, counting bytes not characters', async () => {
    const store = new MemoryPluginStore();
    const limit = PLUGIN_STORE_LIMITS.valueBytes;
    expect(limit).toBe(1024 * 1024);
    await store.set('max', 'a'.repeat(limit - 2)); // the quotes make it exactly 1 MiB
    expect((await store.get<string>('max'))!.length).toBe(limit - 2);

    const over = await failure(() => store.set('over', 'a'.repeat(limit - 1)));
    expect(over.code).toBe('INVALID_REQUEST');
    expect(over.message).toContain(`is ${limit + 1} bytes once serialised; the limit is ${limit}`);

    // 'é' is two bytes in UTF-8: fewer characters than the limit, more bytes.
    const multiByte = await failure(() => store.set('wide', 'é'.repeat(limit / 2)));
    expect(multiByte.message).toContain(`${limit + 2} bytes`);
    expect(await store.keys()).toEqual(['max']);
  });

  it('keeps the previous value when a replacement is refused', async () => {
    const store = new MemoryPluginStore();
    await store.set('k', { good: true });
    await failure(() => store.set('k', () => 'a function'));
    await failure(() => store.set('k', 'x'.repeat(PLUGIN_STORE_LIMITS.valueBytes)));
    expect(await store.get('k')).toEqual({ good: true });
  });

  it.each<[string, () => unknown, RegExp]>([
    ['undefined', () => undefined, /not JSON-serialisable \(undefined or a function\); use delete\(\)/],
    ['a function', () => () => 1, /not JSON-serialisable \(undefined or a function\)/],
    ['a symbol', () => Symbol('s'), /not JSON-serialisable/],
    ['a BigInt', () => ({ big: 10n }), /not JSON-serialisable: .*BigInt/],
    [
      'a circular object',
      () => {
        const a: Record<string, unknown> = {};
        a['self'] = a;
        return a;
      },
      /not JSON-serialisable: .*circular/i,
    ],
    [
      'an object whose toJSON throws',
      () => ({
        toJSON() {
          throw new Error('refused by toJSON');
        },
      }),
      /not JSON-serialisable: refused by toJSON/,
    ],
  ])('refuses %s with INVALID_REQUEST naming the key', async (_name, make, message) => {
    const store = new MemoryPluginStore();
    const error = await failure(() => store.set('install/ctx-1', make()));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toContain('"install/ctx-1"');
    expect(error.message).toMatch(message);
    expect(await store.keys()).toEqual([]);
  });

  it('keeps separate stores apart', async () => {
    const a = new MemoryPluginStore();
    const b = new MemoryPluginStore();
    await a.set('k', 'a');
    expect(await b.get('k')).toBeUndefined();
    expect(await b.keys()).toEqual([]);
  });
});

describe('serialiseStoreEntry', () => {
  it('returns the JSON text the host stores', () => {
    expect(serialiseStoreEntry('k', { a: [1, 'b'], c: null })).toBe('{"a":[1,"b"],"c":null}');
    expect(serialiseStoreEntry('k', 'text')).toBe('"text"');
  });

  it('throws INVALID_REQUEST for the same faults as the store', () => {
    expect(() => serialiseStoreEntry('', 1)).toThrow(PluginError);
    expect(() => serialiseStoreEntry('k'.repeat(201), 1)).toThrow(/1 to 200 characters/);
    expect(() => serialiseStoreEntry('k', undefined)).toThrow(/not JSON-serialisable/);
    try {
      serialiseStoreEntry('k', 'x'.repeat(PLUGIN_STORE_LIMITS.valueBytes));
      expect.unreachable('an oversized value was accepted');
    } catch (error) {
      expect((error as PluginError).code).toBe('INVALID_REQUEST');
    }
  });

  it('freezes its limits', () => {
    expect(Object.isFrozen(PLUGIN_STORE_LIMITS)).toBe(true);
    expect(PLUGIN_STORE_LIMITS).toEqual({ keyLength: 200, valueBytes: 1024 * 1024 });
  });
});
