import {
  PluginError,
  type ArtifactEvent,
  type ArtifactRequest,
  type ArtifactService,
  type FetchedArtifact,
  type OperationContext,
} from '@meshery/plugin-api';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { extract as untar } from 'tar';

/** Options of {@link HostArtifactService}. */
export interface ArtifactServiceOptions {
  /** Where verified artifacts are kept (e.g. `<data dir>/artifacts`). */
  readonly cacheDir: string;
  /** The host-wide mirror (`MESHERY_ARTIFACTS_MIRROR`): a directory, a `file:` URL or an http(s) base URL. */
  readonly mirror?: string;
  /** Whether official addresses may be downloaded from (false: mirrors and cache only). Default true. */
  readonly allowNetwork?: boolean;
  /** Largest download accepted. Default 1 GiB. */
  readonly maxBytes?: number;
  /** Time allowed for one download. Default 10 minutes. */
  readonly timeoutMs?: number;
}

interface CacheRecord {
  readonly url: string;
  readonly sha256: string;
  readonly source: string;
  readonly verifiedBy: 'sha256' | 'sha256Url' | 'trust-on-first-use';
  readonly fetchedAt: string;
  readonly file: string;
  readonly extracted?: string;
}

class SourceUnavailable extends Error {}

interface SharedDownload {
  readonly controller: AbortController;
  readonly waiters: Set<OperationContext<ArtifactEvent>>;
  result: Promise<FetchedArtifact>;
}

const HEX64 = /^[0-9a-f]{64}$/i;

/** Where an official address lives in a mirror laid out as `<mirror>/<host>/<path>`. */
export function mirrorLocation(mirror: string, url: string): string {
  const official = new URL(url);
  if (/^https?:\/\//i.test(mirror)) return `${mirror.replace(/\/+$/, '')}/${official.host}${official.pathname}`;
  const root = mirror.startsWith('file:') ? fileURLToPath(mirror) : mirror;
  return path.join(root, official.host, ...official.pathname.split('/').map(segmentName));
}

/**
 * A path segment of an address as a file name: decoded, unless decoding would make it leave its
 * directory (an encoded `/`, `\\` or `..`) or is malformed, in which case it stays encoded.
 */
function segmentName(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return segment;
  }
  return /[/\\\0]/.test(decoded) || decoded === '.' || decoded === '..' ? segment : decoded;
}

/** The file name of an address (its last path segment). */
const fileNameOf = (url: string, fallback: string): string => segmentName(new URL(url).pathname.split('/').pop() ?? '') || fallback;

function checksumOf(text: string, url: string): string {
  const token = text.trim().split(/\s+/)[0] ?? '';
  if (!HEX64.test(token)) throw new SourceUnavailable(`the checksum file for ${url} does not start with a SHA-256 digest`);
  return token.toLowerCase();
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

const formatBytes = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} kB`);

/**
 * The host's {@link ArtifactService}: looks in the request's mirror, the host-wide mirror, then the
 * official address; verifies the SHA-256 digest before anything is kept; caches by URL, so a second
 * use reads the disk only (each use re-checks the cached file's digest).
 */
export class HostArtifactService implements ArtifactService {
  private readonly inFlight = new Map<string, SharedDownload>();

  constructor(private readonly options: ArtifactServiceOptions) {}

  fetch(request: ArtifactRequest, ctx: OperationContext<ArtifactEvent>): Promise<FetchedArtifact> {
    try {
      this.check(request);
    } catch (error) {
      return Promise.reject(error);
    }
    // One download per URL at a time; later callers share it. Each caller sees its events and can
    // give up on its own; the download itself stops only when every caller has given up.
    const key = `${request.url}|${request.extract ?? ''}|${request.sha256 ?? request.sha256Url ?? ''}`;
    let shared = this.inFlight.get(key);
    if (!shared) {
      const controller = new AbortController();
      const waiters = new Set<OperationContext<ArtifactEvent>>();
      const sharedCtx: OperationContext<ArtifactEvent> = {
        operationId: ctx.operationId,
        signal: controller.signal,
        logger: ctx.logger,
        emit: (event) => {
          for (const waiter of waiters) waiter.emit(event);
        },
      };
      const created: SharedDownload = { controller, waiters, result: Promise.resolve() as unknown as Promise<FetchedArtifact> };
      created.result = this.fetchOnce(request, sharedCtx).finally(() => this.inFlight.delete(key));
      created.result.catch(() => {});
      this.inFlight.set(key, created);
      shared = created;
    }
    return this.wait(shared, request, ctx);
  }

  private wait(shared: SharedDownload, request: ArtifactRequest, ctx: OperationContext<ArtifactEvent>): Promise<FetchedArtifact> {
    const cancelled = () => new PluginError('CANCELLED', `Download of ${fileNameOf(request.url, 'artifact')} cancelled`);
    if (ctx.signal.aborted) {
      if (shared.waiters.size === 0) shared.controller.abort();
      return Promise.reject(cancelled());
    }
    shared.waiters.add(ctx);
    return new Promise<FetchedArtifact>((resolve, reject) => {
      const onAbort = () => {
        shared.waiters.delete(ctx);
        if (shared.waiters.size > 0) {
          reject(cancelled());
          return;
        }
        // The last one out stops the download and waits for its partial files to be cleared.
        shared.controller.abort();
        shared.result.then(
          () => reject(cancelled()),
          () => reject(cancelled()),
        );
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      shared.result.then(
        (value) => {
          ctx.signal.removeEventListener('abort', onAbort);
          shared.waiters.delete(ctx);
          resolve(value);
        },
        (error: unknown) => {
          ctx.signal.removeEventListener('abort', onAbort);
          shared.waiters.delete(ctx);
          reject(error);
        },
      );
    });
  }

  private check(request: ArtifactRequest): void {
    for (const address of [request.url, ...(request.sha256Url !== undefined ? [request.sha256Url] : [])]) {
      let url: URL;
      try {
        url = new URL(address);
      } catch {
        throw new PluginError('INVALID_REQUEST', `"${address}" is not an absolute URL`, { remediation: 'Give the official https address of the release artifact.' });
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new PluginError('INVALID_REQUEST', `Artifact addresses must be http(s) URLs, not ${url.protocol}`, { remediation: 'Give the official https address; point a mirror at local files instead.' });
      }
    }
    if (request.sha256 !== undefined && !HEX64.test(request.sha256)) {
      throw new PluginError('INVALID_REQUEST', `The expected SHA-256 of ${request.url} is not 64 hexadecimal digits`);
    }
    if (request.sha256 === undefined && request.sha256Url === undefined && !request.trustOnFirstUse) {
      throw new PluginError('INVALID_REQUEST', `No way to verify ${request.url}: give sha256, sha256Url or trustOnFirstUse`, {
        probableCause: 'Unverified downloads are refused.',
      });
    }
  }

  private dirFor(url: string): string {
    return path.join(this.options.cacheDir, createHash('sha256').update(url).digest('hex').slice(0, 32));
  }

  private sources(request: ArtifactRequest, url: string): string[] {
    const mirrors = [request.mirror, this.options.mirror].filter((m): m is string => typeof m === 'string' && m.length > 0);
    const list = mirrors.map((mirror) => mirrorLocation(mirror, url));
    if (this.options.allowNetwork !== false) list.push(url);
    return [...new Set(list)];
  }

  private async fetchOnce(request: ArtifactRequest, ctx: OperationContext<ArtifactEvent>): Promise<FetchedArtifact> {
    const dir = this.dirFor(request.url);
    const name = fileNameOf(request.url, 'artifact');
    const cancelled = () => new PluginError('CANCELLED', `Download of ${name} cancelled`);
    if (ctx.signal.aborted) throw cancelled();
    const cached = await this.fromCache(dir, request);
    if (cached) {
      ctx.emit({ type: 'artifact', summary: `Using cached ${name} (SHA-256 ${cached.sha256.slice(0, 12)}…, from ${cached.source})` });
      return cached;
    }
    await mkdir(dir, { recursive: true });
    const expected = await this.expectedDigest(request, dir, ctx).catch((error: unknown) => {
      throw ctx.signal.aborted ? cancelled() : error;
    });
    const failures: string[] = [];
    for (const source of this.sources(request, request.url)) {
      if (ctx.signal.aborted) throw cancelled();
      const temp = path.join(dir, `.download-${randomUUID()}`);
      try {
        const { sha256, bytes } = await this.download(source, temp, ctx.signal);
        if (expected.sha256 && sha256 !== expected.sha256) {
          throw new PluginError('PRECONDITION_FAILED', `Checksum mismatch for ${name} from ${source}: expected ${expected.sha256}, got ${sha256}`, {
            probableCause: 'The file is corrupt, truncated, or not the official release artifact (a stale or tampered mirror copy).',
            remediation: `Replace the copy at ${source} with the official file from ${request.url} (and its checksum file), then run the operation again.`,
          });
        }
        // In a directory of its own, so no name can collide with the cache's bookkeeping.
        const file = path.join(dir, 'file', name);
        await mkdir(path.dirname(file), { recursive: true });
        await rename(temp, file);
        if (request.executable) await chmod(file, 0o755);
        let extracted: string | undefined;
        if (request.extract === 'tar.gz') extracted = await this.unpack(file, dir);
        if (expected.verifiedBy === 'trust-on-first-use') await this.trust(request.url, sha256);
        const record: CacheRecord = {
          url: request.url,
          sha256,
          source,
          verifiedBy: expected.verifiedBy,
          fetchedAt: new Date().toISOString(),
          file,
          ...(extracted ? { extracted } : {}),
        };
        await writeFile(path.join(dir, 'artifact.json'), JSON.stringify(record, null, 2));
        ctx.emit({
          type: 'artifact',
          summary:
            expected.verifiedBy === 'trust-on-first-use' && !expected.sha256
              ? `Downloaded ${name} (${formatBytes(bytes)}) from ${source}; no published checksum: its SHA-256 ${sha256} is recorded and later downloads must match it`
              : `Downloaded ${name} (${formatBytes(bytes)}) from ${source}; SHA-256 verified`,
        });
        return { path: extracted ?? file, sha256, source, cached: false };
      } catch (error) {
        await rm(temp, { force: true });
        if (error instanceof SourceUnavailable) {
          failures.push(`${source}: ${error.message}`);
          continue;
        }
        if (ctx.signal.aborted) throw cancelled();
        throw error;
      }
    }
    throw this.unavailable(name, request, failures);
  }

  private unavailable(name: string, request: ArtifactRequest, failures: string[]): PluginError {
    return new PluginError('PRECONDITION_FAILED', `${name} could not be downloaded: ${failures.join('; ') || 'no source to try'}`, {
      probableCause:
        this.options.allowNetwork === false
          ? 'Downloads from the internet are turned off and no mirror holds the file.'
          : 'The mirror does not hold the file and the official address could not be reached (no internet access, a proxy, or a wrong version).',
      remediation: `Put the file at <mirror>/${new URL(request.url).host}${new URL(request.url).pathname} (the layout "wget -x ${request.url}" writes) and set MESHERY_ARTIFACTS_MIRROR or the plugin's "mirror" setting to the mirror; or give the path of a CLI already installed where the plugin supports it.`,
    });
  }

  private async expectedDigest(
    request: ArtifactRequest,
    dir: string,
    ctx: OperationContext<ArtifactEvent>,
  ): Promise<{ sha256?: string; verifiedBy: CacheRecord['verifiedBy'] }> {
    if (request.sha256) return { sha256: request.sha256.toLowerCase(), verifiedBy: 'sha256' };
    if (request.sha256Url) {
      const failures: string[] = [];
      // The checksum is read from the official address first when the server may go online: a
      // mirror that serves both the file and its checksum could vouch for a file of its own.
      const sources = this.sources(request, request.sha256Url);
      const ordered = this.options.allowNetwork !== false ? [request.sha256Url, ...sources.filter((s) => s !== request.sha256Url)] : sources;
      for (const source of ordered) {
        const temp = path.join(dir, `.checksum-${randomUUID()}`);
        try {
          await this.download(source, temp, ctx.signal, 64 * 1024);
          const sha256 = checksumOf(await readFile(temp, 'utf8'), request.sha256Url);
          if (source !== request.sha256Url) {
            ctx.emit({
              type: 'artifact',
              summary: `Checksum of ${fileNameOf(request.url, 'artifact')} read from the mirror (${source}): it proves the download is intact, not that the mirror's copy is the official one; pin its SHA-256 in the plugin's settings for that`,
            });
          }
          return { sha256, verifiedBy: 'sha256Url' };
        } catch (error) {
          if (!(error instanceof SourceUnavailable)) throw error;
          failures.push(`${source}: ${error.message}`);
        } finally {
          await rm(temp, { force: true });
        }
      }
      const name = fileNameOf(request.sha256Url, 'checksum');
      throw this.unavailable(name, { ...request, url: request.sha256Url }, failures);
    }
    const trusted = await this.trusted(request.url);
    return trusted ? { sha256: trusted, verifiedBy: 'trust-on-first-use' } : { verifiedBy: 'trust-on-first-use' };
  }

  private async fromCache(dir: string, request: ArtifactRequest): Promise<FetchedArtifact | undefined> {
    let record: CacheRecord;
    try {
      record = JSON.parse(await readFile(path.join(dir, 'artifact.json'), 'utf8')) as CacheRecord;
    } catch {
      return undefined;
    }
    if (request.sha256 && record.sha256 !== request.sha256.toLowerCase()) return undefined;
    if (request.extract && !record.extracted) return undefined;
    try {
      if ((await sha256File(record.file)) !== record.sha256) return undefined;
      if (record.extracted) await stat(record.extracted);
    } catch {
      return undefined;
    }
    return { path: request.extract && record.extracted ? record.extracted : record.file, sha256: record.sha256, source: record.source, cached: true };
  }

  private async unpack(file: string, dir: string): Promise<string> {
    const target = path.join(dir, 'extracted');
    const temp = path.join(dir, `.extract-${randomUUID()}`);
    await mkdir(temp, { recursive: true });
    try {
      // tar refuses absolute paths and `..` entries, so an archive cannot write outside `temp`.
      await untar({ file, cwd: temp, strict: true });
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw new PluginError('PRECONDITION_FAILED', `${path.basename(file)} is not a readable .tar.gz archive: ${(error as Error).message}`, {
        probableCause: 'The file verified against its checksum but is not an archive: the checksum file may belong to another file.',
        remediation: 'Check the mirror holds the right archive and checksum file.',
      });
    }
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
    return target;
  }

  private trustFile(): string {
    return path.join(this.options.cacheDir, 'trusted-digests.json');
  }

  private async trusted(url: string): Promise<string | undefined> {
    try {
      return (JSON.parse(await readFile(this.trustFile(), 'utf8')) as Record<string, string>)[url];
    } catch {
      return undefined;
    }
  }

  private async trust(url: string, sha256: string): Promise<void> {
    let all: Record<string, string> = {};
    try {
      all = JSON.parse(await readFile(this.trustFile(), 'utf8')) as Record<string, string>;
    } catch {
      // first entry
    }
    all[url] = sha256;
    await writeFile(this.trustFile(), JSON.stringify(all, null, 2));
  }

  /** Copies `source` (a path or http(s) URL) to `target`, hashing as it goes. */
  private async download(source: string, target: string, signal: AbortSignal, maxBytes = this.options.maxBytes ?? 1024 ** 3) {
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          callback(new SourceUnavailable(`larger than ${formatBytes(maxBytes)}`));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    let input: Readable;
    if (/^https?:\/\//i.test(source)) {
      const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10 * 60_000);
      let response: Response;
      try {
        response = await fetch(source, { signal: AbortSignal.any([signal, timeout]), redirect: 'follow' });
      } catch (error) {
        if (signal.aborted) throw error;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new SourceUnavailable(cause?.code ?? cause?.message ?? (error as Error).message);
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new SourceUnavailable(`HTTP ${response.status}`);
      }
      input = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
    } else {
      try {
        await stat(source);
      } catch (error) {
        throw new SourceUnavailable((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message);
      }
      input = createReadStream(source);
    }
    const output = createWriteStream(target, { mode: 0o644 });
    try {
      await pipeline(input, meter, output, { signal });
    } catch (error) {
      // pipeline rejects before the file is closed (or even opened): wait, so the caller's removal
      // of the partial file comes after it exists.
      if (!output.closed) await new Promise<void>((resolve) => output.once('close', () => resolve()));
      if (error instanceof SourceUnavailable || signal.aborted) throw error;
      throw new SourceUnavailable(`the transfer broke off: ${(error as Error).message}`);
    }
    return { sha256: hash.digest('hex'), bytes };
  }
}
