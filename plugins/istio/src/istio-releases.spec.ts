import { PluginError } from '@meshery/plugin-api';
import { describe, expect, it } from 'vitest';
import { archiveRequest, istioPlatformOf, knownVersions, pinnedChecksum, releaseArchive, resolveVersion } from './istio-releases.js';

describe('Istio release archives', () => {
  it('names the archive platform as Istio publishes it (macOS on Intel has no architecture suffix)', () => {
    expect(istioPlatformOf('linux', 'x64')).toBe('linux-amd64');
    expect(istioPlatformOf('linux', 'arm64')).toBe('linux-arm64');
    expect(istioPlatformOf('darwin', 'x64')).toBe('osx');
    expect(istioPlatformOf('darwin', 'arm64')).toBe('osx-arm64');
    expect(istioPlatformOf('win32', 'x64')).toBeUndefined();
    expect(istioPlatformOf('linux', 'ia32')).toBeUndefined();
  });

  it('points at the pinned GitHub release and its .sha256 file, unpacking to istio-<v>/', () => {
    const archive = releaseArchive('1.24.0', 'osx-arm64');
    expect(archive).toMatchObject({
      fileName: 'istio-1.24.0-osx-arm64.tar.gz',
      url: 'https://github.com/istio/istio/releases/download/1.24.0/istio-1.24.0-osx-arm64.tar.gz',
      sha256Url: 'https://github.com/istio/istio/releases/download/1.24.0/istio-1.24.0-osx-arm64.tar.gz.sha256',
      directory: 'istio-1.24.0',
    });
    expect(archiveRequest(archive, undefined)).toEqual({ url: archive.url, sha256Url: archive.sha256Url, extract: 'tar.gz' });
    expect(archiveRequest(archive, '/srv/mirror')).toMatchObject({ mirror: '/srv/mirror' });
  });

  it('verifies against a pinned digest instead of the published .sha256 file when the configuration has one', () => {
    const archive = releaseArchive('1.24.0', 'linux-amd64');
    const byVersion = 'a'.repeat(64);
    const byName = 'b'.repeat(64);
    expect(pinnedChecksum({ '1.24.0/linux-amd64': byVersion, 'istio-1.24.0-linux-amd64.tar.gz': byName }, archive)).toBe(byVersion);
    expect(pinnedChecksum({ 'istio-1.24.0-linux-amd64.tar.gz': byName }, archive)).toBe(byName);
    expect(pinnedChecksum({ '1.24.0/linux-arm64': byVersion, '1.23.2/linux-amd64': byVersion }, archive)).toBeUndefined();
    expect(archiveRequest(archive, '/srv/mirror', byName)).toEqual({ url: archive.url, sha256: byName, extract: 'tar.gz', mirror: '/srv/mirror' });
  });

  it('offers the pinned versions with 1.24.0 as default, plus configured ones, once each', () => {
    expect(knownVersions(['1.25.0', '1.24.0'])).toEqual([
      { version: '1.24.0', default: true },
      { version: '1.23.2', default: false },
      { version: '1.22.3', default: false },
      { version: '1.25.0', default: false },
    ]);
  });

  it('resolves the default and refuses unknown versions with UNSUPPORTED_VERSION', () => {
    expect(resolveVersion(undefined)).toBe('1.24.0');
    expect(resolveVersion('1.25.0', ['1.25.0'])).toBe('1.25.0');
    let error: unknown;
    try {
      resolveVersion('v1.24.0');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_VERSION', field: 'version', probableCause: expect.stringMatching(/without a leading "v"/) });
  });
});
