import type { PluginConfig } from '@meshery/plugin-api';
import { describe, expect, it } from 'vitest';
import { readIstioSettings } from './istio-settings.js';

const configOf = (values: Record<string, unknown>): PluginConfig => ({ get: <T>(key: string) => values[key] as T | undefined, all: () => values });

describe('Istio plugin settings', () => {
  it('reads pinned checksums as lower-case hex, by version/platform or archive file name', () => {
    const digest = 'AB'.repeat(32);
    expect(readIstioSettings(configOf({ checksums: { '1.24.0/linux-amd64': digest, 'istio-1.23.2-osx.tar.gz': digest.toLowerCase(), bad: 'not-hex' } })).checksums).toEqual({
      '1.24.0/linux-amd64': 'ab'.repeat(32),
      'istio-1.23.2-osx.tar.gz': 'ab'.repeat(32),
    });
    expect(readIstioSettings(configOf({})).checksums).toEqual({});
  });
});
