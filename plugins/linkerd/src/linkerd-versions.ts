import { PluginError, type ArtifactRequest, type MeshVersionInfo } from '@meshery/plugin-api';

/**
 * The open-source releases this plugin installs, newest stable first. `stable-2.14.10` is the last
 * stable release the Linkerd project published as open source (later stables are Buoyant's); the
 * edge releases are the ones the project names as the "corresponding edge release" of Linkerd
 * 2.16 and 2.17. Later edges (2.18+) need the Gateway API CRDs installed beforehand, which this
 * plugin does not do, so they are left out; a user can still add them through the `versions`
 * configuration at their own risk.
 */
export const PINNED_LINKERD_VERSIONS: readonly string[] = Object.freeze(['stable-2.14.10', 'edge-24.11.8', 'edge-24.8.2']);

/** The version installed when the user names none. */
export const DEFAULT_LINKERD_VERSION = 'stable-2.14.10';

/** What a Linkerd release name looks like (`stable-2.14.10`, `edge-24.11.8`). */
export const LINKERD_VERSION_PATTERN = /^(stable-\d+\.\d+\.\d+|edge-\d+\.\d+\.\d+)$/;

const RELEASES = 'https://github.com/linkerd/linkerd2/releases/download';

/** Every version the plugin offers: the pinned ones plus those the configuration adds. */
export function knownVersions(extra: readonly string[] = []): MeshVersionInfo[] {
  const all = [...PINNED_LINKERD_VERSIONS, ...extra.filter((v) => !PINNED_LINKERD_VERSIONS.includes(v))];
  return all.map((version) => ({ version, default: version === DEFAULT_LINKERD_VERSION }));
}

/** The requested version, or `UNSUPPORTED_VERSION` naming the known ones. */
export function resolveVersion(requested: string | undefined, extra: readonly string[] = []): string {
  const version = requested ?? DEFAULT_LINKERD_VERSION;
  const known = knownVersions(extra).map((v) => v.version);
  if (!known.includes(version)) {
    throw new PluginError('UNSUPPORTED_VERSION', `Linkerd ${version} is not a version this plugin installs; known versions: ${known.join(', ')}`, {
      field: 'version',
      probableCause: LINKERD_VERSION_PATTERN.test(version)
        ? 'The version exists upstream but is not pinned by the plugin.'
        : 'The version is misspelt: Linkerd releases are named stable-X.Y.Z or edge-YY.M.N.',
      remediation: `Pick one of ${known.join(', ')}, or add the release to the plugin's "versions" configuration.`,
    });
  }
  return version;
}

/**
 * The platform part of the CLI's file name, as Linkerd's install script picks it:
 * `linux-amd64`, `linux-arm64`, `darwin` (Intel) and `darwin-arm64`.
 */
export function cliPlatform(platform: string = process.platform, arch: string = process.arch): string {
  if (platform === 'linux' && arch === 'x64') return 'linux-amd64';
  if (platform === 'linux' && arch === 'arm64') return 'linux-arm64';
  if (platform === 'darwin' && arch === 'x64') return 'darwin';
  if (platform === 'darwin' && arch === 'arm64') return 'darwin-arm64';
  throw new PluginError('PRECONDITION_FAILED', `No Linkerd CLI is published for ${platform}/${arch} that this plugin can download`, {
    probableCause: 'The plugin downloads the linkerd CLI for linux or darwin on amd64/arm64 only.',
    remediation: 'Install a linkerd CLI of the wanted version yourself and set the plugin\'s "cliPath" configuration to it.',
  });
}

/** The file name of the CLI binary of a release, e.g. `linkerd2-cli-stable-2.14.10-linux-amd64`. */
export function cliFileName(version: string, platform: string = cliPlatform()): string {
  return `linkerd2-cli-${version}-${platform}`;
}

/** The official address of the CLI binary of a release. */
export function cliUrl(version: string, platform: string = cliPlatform()): string {
  return `${RELEASES}/${version}/${cliFileName(version, platform)}`;
}

/**
 * The artifact request for a release's CLI: verified against the digest pinned for its file name in
 * `checksums` when there is one, otherwise against the `.sha256` file published beside it.
 */
export function cliArtifact(
  version: string,
  mirror: string | undefined,
  platform: string = cliPlatform(),
  checksums: Readonly<Record<string, string>> = {},
): ArtifactRequest {
  const url = cliUrl(version, platform);
  const pinned = checksums[cliFileName(version, platform)];
  return { url, ...(pinned ? { sha256: pinned } : { sha256Url: `${url}.sha256` }), executable: true, ...(mirror ? { mirror } : {}) };
}
