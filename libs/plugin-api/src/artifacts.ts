import type { OperationContext } from './operation.js';

/**
 * A release artifact to download: a pinned, official address and how to verify it.
 *
 * The host looks for the file, in order, in the request's `mirror`, in the host-wide mirror
 * (`MESHERY_ARTIFACTS_MIRROR`), and at `url` itself. A mirror is a directory or a base URL laid out
 * as `<mirror>/<host>/<path>` of the official address — the layout `wget -x <url>` produces — so
 * `https://github.com/istio/istio/releases/download/1.24.1/istio-1.24.1-linux-amd64.tar.gz` is
 * looked for at `<mirror>/github.com/istio/istio/releases/download/1.24.1/istio-1.24.1-linux-amd64.tar.gz`.
 * The checksum file is looked for the same way.
 *
 * @example
 * ```ts
 * const request: ArtifactRequest = {
 *   url: 'https://github.com/istio/istio/releases/download/1.24.1/istio-1.24.1-linux-amd64.tar.gz',
 *   sha256Url: 'https://github.com/istio/istio/releases/download/1.24.1/istio-1.24.1-linux-amd64.tar.gz.sha256',
 *   extract: 'tar.gz',
 * };
 * ```
 */
export interface ArtifactRequest {
  /** The official address of a pinned release, never a moving branch. */
  readonly url: string;
  /** The expected SHA-256 digest (hex). */
  readonly sha256?: string;
  /**
   * The address of a checksum file published with the artifact (`<hex>` or `<hex>  <name>`),
   * used when `sha256` is absent. One of `sha256`, `sha256Url` or `trustOnFirstUse` is required:
   * unverified downloads are refused.
   */
  readonly sha256Url?: string;
  /**
   * For files their publishers give no checksum for (e.g. a sample application's manifest at a
   * release tag): the host records the digest of the first download and verifies every later
   * download of the same URL against it; the first download is reported as not verified.
   */
  readonly trustOnFirstUse?: boolean;
  /** Unpack a gzip-compressed tar archive; the result's `path` is then its directory. */
  readonly extract?: 'tar.gz';
  /** Make the downloaded file executable (a CLI binary). */
  readonly executable?: boolean;
  /** A mirror (directory or URL) tried before the host-wide one, e.g. from the plugin's configuration. */
  readonly mirror?: string;
}

/**
 * A verified artifact in the host's cache.
 *
 * @example
 * ```ts
 * const { path } = await artifacts.fetch(request, ctx);
 * ```
 */
export interface FetchedArtifact {
  /** The file, or the directory an archive was unpacked into. */
  readonly path: string;
  /** The verified SHA-256 digest (hex) of the downloaded file. */
  readonly sha256: string;
  /** Where it was read from (a mirror path or URL, or the official URL). */
  readonly source: string;
  /** Whether it came from the cache (no download). */
  readonly cached: boolean;
}

/**
 * What the artifact service reports while it works.
 *
 * @example
 * ```ts
 * ctx.emit({ type: 'artifact', summary: 'Downloaded istio-1.24.1-linux-amd64.tar.gz (25.1 MB), checksum verified' });
 * ```
 */
export interface ArtifactEvent {
  readonly type: 'artifact';
  readonly summary: string;
}

/**
 * Downloads release artifacts, verifies them by checksum and caches them under the host's data
 * directory, so a second use needs no network. Failures are `PluginError`s: `PRECONDITION_FAILED`
 * when the artifact cannot be downloaded or its checksum does not match (nothing is cached then).
 *
 * @example
 * ```ts
 * constructor(@inject(PluginTokens.artifacts) private readonly artifacts: ArtifactService) {}
 * const cli = await this.artifacts.fetch({ url, sha256Url: `${url}.sha256`, executable: true }, ctx);
 * ```
 */
export interface ArtifactService {
  fetch(request: ArtifactRequest, ctx: OperationContext<ArtifactEvent>): Promise<FetchedArtifact>;
}
