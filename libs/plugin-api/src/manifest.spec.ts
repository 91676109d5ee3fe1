import { describe, expect, it } from 'vitest';
import { PLUGIN_KINDS, validatePluginManifest, type PluginManifest } from './manifest.js';

/** A manifest as a plugin author would write it in package.json. */
function manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pluginId: 'perf-k6',
    displayName: 'k6 load generator',
    apiVersion: 1,
    engines: { meshery: '>=0.1.0 <1.0.0' },
    kinds: ['load-generator'],
    capabilities: { 'load-generator': ['http', 'closed-loop'] },
    runtime: 'worker',
    ...overrides,
  };
}

function without(key: string): Record<string, unknown> {
  const value = manifest();
  delete value[key];
  return value;
}

function problemsOf(value: unknown): readonly string[] {
  const checked = validatePluginManifest(value);
  if (checked.ok) throw new Error(`expected the manifest to be refused: ${JSON.stringify(value)}`);
  return checked.problems;
}

describe('validatePluginManifest', () => {
  it('accepts a complete manifest and returns it typed', () => {
    const checked = validatePluginManifest(
      manifest({ description: 'Runs k6', configSchema: { type: 'object' } }),
    );
    expect(checked).toEqual({
      ok: true,
      manifest: {
        pluginId: 'perf-k6',
        displayName: 'k6 load generator',
        description: 'Runs k6',
        apiVersion: 1,
        engines: { meshery: '>=0.1.0 <1.0.0' },
        kinds: ['load-generator'],
        capabilities: { 'load-generator': ['http', 'closed-loop'] },
        runtime: 'worker',
        configSchema: { type: 'object' },
      } satisfies PluginManifest,
    });
  });

  it('defaults capabilities to none when the manifest omits them', () => {
    const checked = validatePluginManifest(without('capabilities'));
    expect(checked.ok && checked.manifest.capabilities).toEqual({});
  });

  it('accepts every kind and both runtimes', () => {
    for (const runtime of ['in-process', 'worker']) {
      const checked = validatePluginManifest(manifest({ kinds: [...PLUGIN_KINDS], runtime }));
      expect(checked.ok, runtime).toBe(true);
    }
  });

  it('explains a missing manifest', () => {
    expect(problemsOf(undefined)).toEqual(['the package.json has no "meshery" manifest object']);
    expect(problemsOf(null)).toEqual(['the package.json has no "meshery" manifest object']);
  });

  it('refuses a manifest that is not an object, naming "meshery"', () => {
    const problems = problemsOf('perf-k6');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^meshery: /);
  });

  it.each([
    ['Bad_ID', 'upper case and underscore'],
    ['perf_k6', 'underscore'],
    ['-perf', 'leading dash'],
    ['perf-', 'trailing dash'],
    ['perf--k6', 'double dash'],
    ['1perf', 'leading digit'],
  ])('refuses pluginId %j (%s) as not kebab-case', (pluginId) => {
    expect(problemsOf(manifest({ pluginId }))).toEqual([
      'meshery.pluginId: must be kebab-case, e.g. "perf-autocannon"',
    ]);
  });

  it('refuses ids that are too short or too long', () => {
    expect(problemsOf(manifest({ pluginId: 'p' }))[0]).toMatch(/^meshery\.pluginId: /);
    expect(problemsOf(manifest({ pluginId: `p${'-a'.repeat(40)}` }))[0]).toMatch(/^meshery\.pluginId: /);
  });

  it.each([
    ['pluginId', /^meshery\.pluginId: /],
    ['displayName', /^meshery\.displayName: /],
    ['apiVersion', /^meshery\.apiVersion: /],
    ['engines', /^meshery\.engines: /],
    ['kinds', /^meshery\.kinds: /],
    ['runtime', /^meshery\.runtime: /],
  ])('names the missing required field %s', (field, expected) => {
    const problems = problemsOf(without(field));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it.each([
    ['apiVersion 0', { apiVersion: 0 }, /^meshery\.apiVersion: /],
    ['fractional apiVersion', { apiVersion: 1.5 }, /^meshery\.apiVersion: /],
    ['apiVersion as text', { apiVersion: '1' }, /^meshery\.apiVersion: /],
    ['empty engines range', { engines: { meshery: '' } }, /^meshery\.engines\.meshery: /],
    ['engines without meshery', { engines: { node: '>=20' } }, /^meshery\.engines\.meshery: /],
    ['no kinds', { kinds: [], capabilities: {} }, /^meshery\.kinds: /],
    ['an unknown kind', { kinds: ['load-generator', 'proxy'] }, /^meshery\.kinds\.1: /],
    ['an unknown runtime', { runtime: 'thread' }, /^meshery\.runtime: /],
    ['an empty display name', { displayName: '' }, /^meshery\.displayName: /],
    ['a description over 500 characters', { description: 'x'.repeat(501) }, /^meshery\.description: /],
    ['an empty capability name', { capabilities: { 'load-generator': [''] } }, /^meshery\.capabilities\.load-generator\.0: /],
    ['a configSchema that is not an object', { configSchema: 'object' }, /^meshery\.configSchema: /],
  ])('refuses %s, naming the field', (_what, overrides, expected) => {
    const problems = problemsOf(manifest(overrides));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('refuses an unknown key (a typo), naming it', () => {
    const problems = problemsOf(manifest({ pluginID: 'perf-k6' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^meshery: /);
    expect(problems[0]).toContain('pluginID');
  });

  it('refuses capabilities for a kind that "kinds" does not list', () => {
    const problems = problemsOf(
      manifest({ capabilities: { 'load-generator': ['http'], conformance: ['smi'] } }),
    );
    expect(problems).toEqual([
      'meshery.capabilities.conformance: lists capabilities for kind "conformance", which is not in "kinds"',
    ]);
  });

  it('reports every problem at once, each naming its field', () => {
    const problems = problemsOf({ pluginId: 'Bad_ID', displayName: 'Bad', apiVersion: 1, engines: { meshery: '*' }, runtime: 'worker' });
    expect(problems).toHaveLength(2);
    expect(problems).toContain('meshery.pluginId: must be kebab-case, e.g. "perf-autocannon"');
    expect(problems.some((p) => p.startsWith('meshery.kinds: '))).toBe(true);
  });
});

describe('PLUGIN_KINDS', () => {
  it('lists the three extension points and cannot be changed', () => {
    expect(PLUGIN_KINDS).toEqual(['mesh-lifecycle', 'load-generator', 'conformance']);
    expect(Object.isFrozen(PLUGIN_KINDS)).toBe(true);
  });
});
