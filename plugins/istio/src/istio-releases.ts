import { PluginError, type ArtifactRequest, type MeshVersionInfo } from '@meshery/plugin-api';

/**
 * The Istio releases this plugin installs without configuration. Each is a published GitHub
 * release of istio/istio whose archives are named `istio-<v>-<platform>.tar.gz`, each with a
 * `.sha256` file beside it. Plugin configuration may add versions (`versions`): their URLs follow
 * the same pattern.
 */
export const PINNED_ISTIO_VERSIONS: readonly string[] = Object.freeze(['1.24.0', '1.23.2', '1.22.3']);

/** The version installed when a request names none. */
export const DEFAULT_ISTIO_VERSION = '1.24.0';

/** `1.24.0`, `1.25.0-beta.0`: what an Istio release tag looks like. */
export const ISTIO_VERSION_PATTERN = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * The platform part of a release archive's name. macOS on Intel has no architecture suffix
 * (`istio-<v>-osx.tar.gz`); Apple silicon archives exist from Istio 1.10 (`osx-arm64`).
 */
export type IstioPlatform = 'linux-amd64' | 'linux-arm64' | 'osx' | 'osx-arm64';

/** The archive platform for a Node.js platform and architecture, or `undefined` when Istio publishes none. */
export function istioPlatformOf(platform: string = process.platform, arch: string = process.arch): IstioPlatform | undefined {
  if (platform === 'linux' && arch === 'x64') return 'linux-amd64';
  if (platform === 'linux' && arch === 'arm64') return 'linux-arm64';
  if (platform === 'darwin' && arch === 'x64') return 'osx';
  if (platform === 'darwin' && arch === 'arm64') return 'osx-arm64';
  return undefined;
}

/** Where a release archive is published, and the directory it unpacks to. */
export interface IstioReleaseArchive {
  readonly version: string;
  readonly platform: IstioPlatform;
  readonly fileName: string;
  readonly url: string;
  readonly sha256Url: string;
  /** The top-level directory inside the archive: `istio-<v>`. */
  readonly directory: string;
}

/** The official, pinned address of a release archive and of its checksum file. */
export function releaseArchive(version: string, platform: IstioPlatform): IstioReleaseArchive {
  const fileName = `istio-${version}-${platform}.tar.gz`;
  const url = `https://github.com/istio/istio/releases/download/${version}/${fileName}`;
  return { version, platform, fileName, url, sha256Url: `${url}.sha256`, directory: `istio-${version}` };
}

/**
 * The artifact request for a release archive, unpacked: verified against a pinned digest when one
 * is given (the published `.sha256` file is then not read at all), else against that file.
 */
export function archiveRequest(archive: IstioReleaseArchive, mirror: string | undefined, pinnedSha256?: string): ArtifactRequest {
  return {
    url: archive.url,
    ...(pinnedSha256 ? { sha256: pinnedSha256 } : { sha256Url: archive.sha256Url }),
    extract: 'tar.gz',
    ...(mirror ? { mirror } : {}),
  };
}

/** The digest the configuration pins for an archive: by `<version>/<platform>`, else by its file name. */
export function pinnedChecksum(checksums: Readonly<Record<string, string>>, archive: IstioReleaseArchive): string | undefined {
  return checksums[`${archive.version}/${archive.platform}`] ?? checksums[archive.fileName];
}

/** The versions offered: the pinned ones, then those the configuration adds. */
export function knownVersions(extra: readonly string[] = []): MeshVersionInfo[] {
  const versions = [...PINNED_ISTIO_VERSIONS];
  for (const version of extra) if (!versions.includes(version)) versions.push(version);
  return versions.map((version) => ({ version, default: version === DEFAULT_ISTIO_VERSION }));
}

/** The version a request asks for, or `UNSUPPORTED_VERSION` listing the known ones. */
export function resolveVersion(requested: string | undefined, extra: readonly string[] = []): string {
  const version = requested?.trim() || DEFAULT_ISTIO_VERSION;
  const known = knownVersions(extra).map((v) => v.version);
  if (known.includes(version)) return version;
  throw new PluginError('UNSUPPORTED_VERSION', `Istio ${version} is not a version this plugin installs; known versions: ${known.join(', ')}`, {
    field: 'version',
    probableCause: ISTIO_VERSION_PATTERN.test(version)
      ? 'The version is not in the plugin’s table of pinned releases nor in its configured `versions`.'
      : 'The version is misspelt (Istio versions look like 1.24.0, without a leading "v").',
    remediation: `Pick one of ${known.join(', ')}, or add the release to the plugin configuration (mesh-istio.versions) if it is published at github.com/istio/istio/releases.`,
  });
}
