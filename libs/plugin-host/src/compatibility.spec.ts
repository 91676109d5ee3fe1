import type { PluginManifest } from '@meshery/plugin-api';
import { describe, expect, it } from 'vitest';
import { incompatibilityReason } from './compatibility.js';

const manifest = (overrides: Partial<PluginManifest> = {}): PluginManifest => ({
  pluginId: 'perf-k6',
  displayName: 'k6',
  apiVersion: 1,
  engines: { meshery: '>=0.1.0 <1.0.0' },
  kinds: ['load-generator'],
  capabilities: {},
  runtime: 'worker',
  ...overrides,
});
const host = { version: '0.4.2', apiVersions: [1] };

describe('incompatibilityReason', () => {
  it('accepts a plugin whose apiVersion and engines range fit the host', () => {
    expect(incompatibilityReason(manifest(), host)).toBeNull();
    expect(incompatibilityReason(manifest({ engines: { meshery: '*' } }), host)).toBeNull();
    expect(incompatibilityReason(manifest({ engines: { meshery: '0.4.x' } }), host)).toBeNull();
  });

  it('refuses another contract major, naming both versions and the fix', () => {
    const reason = incompatibilityReason(manifest({ apiVersion: 2 }), host);
    expect(reason).toBe(
      'built for plugin API v2, but this server implements v1; install a release of the plugin built for v1',
    );
  });

  it('lists every contract major a host implements', () => {
    const reason = incompatibilityReason(manifest({ apiVersion: 3 }), { version: '2.0.0', apiVersions: [1, 2] });
    expect(reason).toContain('implements v1, v2');
    expect(reason).toContain('built for v2');
  });

  it('refuses a host version outside engines.meshery, naming both', () => {
    const reason = incompatibilityReason(manifest({ engines: { meshery: '>=99.0.0' } }), host);
    expect(reason).toBe(
      'requires Meshery >=99.0.0, but this server is 0.4.2; use a plugin release that accepts 0.4.2 or a server in that range',
    );
    expect(incompatibilityReason(manifest({ engines: { meshery: '<0.4.0' } }), host)).toContain('requires Meshery <0.4.0');
  });

  it('blames the plugin author for an engines range that is not semver', () => {
    const reason = incompatibilityReason(manifest({ engines: { meshery: 'latest and greatest' } }), host);
    expect(reason).toBe(
      'engines.meshery "latest and greatest" is not a valid semver range; the plugin author must fix the manifest',
    );
  });

  it('lets a pre-release server run plugins whose range covers its release line', () => {
    expect(incompatibilityReason(manifest(), { version: '0.5.0-rc.1', apiVersions: [1] })).toBeNull();
    expect(incompatibilityReason(manifest(), { version: '1.0.0', apiVersions: [1] })).toContain(
      'requires Meshery >=0.1.0 <1.0.0, but this server is 1.0.0',
    );
  });

  it('checks the contract version before the engines range', () => {
    const reason = incompatibilityReason(manifest({ apiVersion: 2, engines: { meshery: '>=99.0.0' } }), host);
    expect(reason).toMatch(/^built for plugin API v2/);
  });
});
