import { describe, expect, it, vi } from 'vitest';
import { definePlugin, isMesheryPlugin, type PluginRegistrar } from './plugin.js';
import { PluginTokens } from './tokens.js';
import { PLUGIN_API_VERSION } from './version.js';

const registrar: PluginRegistrar = {
  pluginId: 'perf-k6',
  addLoadGenerator: vi.fn(),
  addMeshProvider: vi.fn(),
  addConformanceSuite: vi.fn(),
};

describe('definePlugin', () => {
  it('returns a frozen, branded plugin stamped with the contract version', () => {
    const plugin = definePlugin({ pluginId: 'perf-k6', register() {} });
    expect(plugin.$$type).toBe('@meshery/plugin');
    expect(plugin.apiVersion).toBe(PLUGIN_API_VERSION);
    expect(plugin.pluginId).toBe('perf-k6');
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(isMesheryPlugin(plugin)).toBe(true);
  });

  it('keeps `this` of the definition when the host calls register', async () => {
    const definition = {
      pluginId: 'perf-k6',
      generator: { descriptor: { name: 'k6' } },
      register(r: PluginRegistrar) {
        r.addLoadGenerator(this.generator as never);
      },
    };
    const { register } = definePlugin(definition);
    await register(registrar);
    expect(registrar.addLoadGenerator).toHaveBeenCalledWith(definition.generator);
  });

  it('passes through an async register', async () => {
    let registered = false;
    const plugin = definePlugin({
      pluginId: 'perf-k6',
      async register() {
        await Promise.resolve();
        registered = true;
      },
    });
    await plugin.register(registrar);
    expect(registered).toBe(true);
  });

  it.each([
    ['no pluginId', { register() {} }],
    ['a numeric pluginId', { pluginId: 1, register() {} }],
    ['no register', { pluginId: 'perf-k6' }],
    ['nothing at all', undefined],
  ])('refuses a definition with %s, saying what it needs', (_what, definition) => {
    expect(() => definePlugin(definition as never)).toThrow(
      new TypeError('definePlugin needs { pluginId: string, register: function }'),
    );
  });
});

describe('isMesheryPlugin', () => {
  it('recognises a plugin made by another copy of this package (structural check)', () => {
    const fromOtherCopy = { $$type: '@meshery/plugin', apiVersion: 1, pluginId: 'x', register() {} };
    expect(isMesheryPlugin(fromOtherCopy)).toBe(true);
  });

  it.each([
    ['null', null],
    ['a function', () => undefined],
    ['an object not made by definePlugin', { pluginId: 'x', register() {} }],
    ['a wrong brand', { $$type: 'plugin', apiVersion: 1, pluginId: 'x', register() {} }],
    ['no apiVersion', { $$type: '@meshery/plugin', pluginId: 'x', register() {} }],
    ['a non-function register', { $$type: '@meshery/plugin', apiVersion: 1, pluginId: 'x', register: 'yes' }],
    ['a module namespace-like wrapper', { default: definePlugin({ pluginId: 'x', register() {} }) }],
  ])('refuses %s', (_what, value) => {
    expect(isMesheryPlugin(value)).toBe(false);
  });
});

describe('PluginTokens', () => {
  it('are distinct, global-registry symbols, so a plugin bundling its own copy of this package injects the same services', () => {
    const tokens = Object.values(PluginTokens);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(PluginTokens.logger).toBe(Symbol.for('meshery.plugin-api.logger'));
    expect(PluginTokens.config).toBe(Symbol.for('meshery.plugin-api.config'));
    expect(PluginTokens.clock).toBe(Symbol.for('meshery.plugin-api.clock'));
    expect(PluginTokens.hostInfo).toBe(Symbol.for('meshery.plugin-api.host-info'));
    expect(PluginTokens.kubernetes).toBe(Symbol.for('meshery.plugin-api.kubernetes'));
    expect(Object.isFrozen(PluginTokens)).toBe(true);
  });
});
