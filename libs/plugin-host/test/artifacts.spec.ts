/**
 * HostArtifactService against real files and a real HTTP server on 127.0.0.1: mirrors (directory,
 * file: URL, http base URL), checksum verification, the cache, archives, cancellation and limits.
 * Nothing here reaches the internet: official addresses either point at the local server or are
 * only ever looked up in mirrors (allowNetwork: false).
 */
import { PluginError, type ArtifactEvent, type ArtifactRequest, type OperationContext, type PluginLogger } from '@meshery/plugin-api';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { create as createTar, replace as appendToTar } from 'tar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostArtifactService, mirrorLocation, type ArtifactServiceOptions } from '../src/index.js';
import { tempDir, waitFor } from './helpers.js';

const ISTIOCTL = 'https://github.com/istio/istio/releases/download/1.24.1/istioctl-1.24.1-linux-amd64';
const ARCHIVE = 'https://github.com/istio/istio/releases/download/1.24.1/istio-1.24.1-linux-amd64.tar.gz';

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

type Route =
  | { readonly body: Buffer; readonly delayMs?: number }
  | { readonly status: number }
  /** 200 with a large Content-Length, then one byte every 20 ms until the client goes away. */
  | { readonly trickle: true };

interface TestServer {
  readonly base: string;
  /** Paths (with query) of every request received, in order. */
  readonly requests: string[];
  readonly routes: Map<string, Route>;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const route = routes.get(url);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if ('status' in route) {
      res.writeHead(route.status).end();
      return;
    }
    if ('trickle' in route) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(10_000_000) });
      res.write('x');
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const send = () => res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(route.body.length) }).end(route.body);
    if (route.delayMs) setTimeout(send, route.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const silentLogger: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** An operation context as the host passes one, collecting events. */
function operation(): { ctx: OperationContext<ArtifactEvent>; events: ArtifactEvent[]; controller: AbortController } {
  const controller = new AbortController();
  const events: ArtifactEvent[] = [];
  return { controller, events, ctx: { operationId: 'op-artifacts', signal: controller.signal, logger: silentLogger, emit: (e) => events.push(e) } };
}

/** The PluginError `promise` rejects with (fails the test when it resolves or rejects otherwise). */
async function failure(promise: Promise<unknown>): Promise<PluginError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(PluginError);
  return outcome as PluginError;
}

/** Every regular file under `dir`, relative to it, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)))
    .sort();
}

/** Writes `content` where a directory mirror keeps `url`. */
async function putInMirror(mirrorDir: string, url: string, content: Buffer | string): Promise<string> {
  const location = mirrorLocation(mirrorDir, url);
  await mkdir(path.dirname(location), { recursive: true });
  await writeFile(location, content);
  return location;
}

describe('mirrorLocation', () => {
  it('lays a directory mirror out as <mirror>/<host>/<path>, the layout of wget -x', () => {
    expect(mirrorLocation('/srv/mirror', ISTIOCTL)).toBe('/srv/mirror/github.com/istio/istio/releases/download/1.24.1/istioctl-1.24.1-linux-amd64');
  });

  it('accepts a file: URL as the mirror directory', () => {
    expect(mirrorLocation('file:///srv/mirror/', ISTIOCTL)).toBe('/srv/mirror/github.com/istio/istio/releases/download/1.24.1/istioctl-1.24.1-linux-amd64');
  });

  it('appends <host>/<path> to an http(s) base URL, with or without trailing slashes', () => {
    const expected = 'http://127.0.0.1:9999/base/github.com/istio/istio/releases/download/1.24.1/istioctl-1.24.1-linux-amd64';
    expect(mirrorLocation('http://127.0.0.1:9999/base', ISTIOCTL)).toBe(expected);
    expect(mirrorLocation('http://127.0.0.1:9999/base//', ISTIOCTL)).toBe(expected);
  });

  it('keeps a non-default port in the host, decodes the path for directories and keeps it encoded for URLs', () => {
    const url = 'https://example.com:8443/v1/my%20file.yaml';
    expect(mirrorLocation('/m', url)).toBe('/m/example.com:8443/v1/my file.yaml');
    expect(mirrorLocation('https://mirror.local/m', url)).toBe('https://mirror.local/m/example.com:8443/v1/my%20file.yaml');
  });

  it('ignores the query string of the official address', () => {
    expect(mirrorLocation('/m', 'https://example.com/a/b.tgz?download=1')).toBe('/m/example.com/a/b.tgz');
  });

  it('never points outside the mirror: a segment that decodes to "../" stays encoded', () => {
    expect(mirrorLocation('/srv/mirror', 'https://example.com/a/..%2F..%2F..%2Fetc%2Fpasswd')).toBe('/srv/mirror/example.com/a/..%2F..%2F..%2Fetc%2Fpasswd');
    expect(mirrorLocation('/srv/mirror', 'https://example.com/a/..%5Cwin')).toBe('/srv/mirror/example.com/a/..%5Cwin');
    expect(mirrorLocation('/srv/mirror', 'https://example.com/a/100%25%20sure')).toBe('/srv/mirror/example.com/a/100% sure');
  });
});

describe('HostArtifactService', () => {
  let server: TestServer;
  let root: string;
  let cacheDir: string;
  let mirrorDir: string;
  let requestMirrorDir: string;

  const service = (options: Partial<ArtifactServiceOptions> = {}) => new HostArtifactService({ cacheDir, ...options });
  /** An official address on the local server (as if it were github.com). */
  const official = (name: string) => `${server.base}/official/${name}`;
  const serve = (url: string, route: Route) => server.routes.set(new URL(url).pathname, route);

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    server.routes.clear();
    server.requests.length = 0;
    root = await tempDir('artifacts');
    cacheDir = path.join(root, 'cache');
    mirrorDir = path.join(root, 'mirror');
    requestMirrorDir = path.join(root, 'request-mirror');
    await mkdir(mirrorDir);
    await mkdir(requestMirrorDir);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('mirrors', () => {
    it('reads from a directory mirror, verifies the digest and keeps the file in the cache', async () => {
      const content = Buffer.from('#!/bin/sh\necho istioctl\n');
      const location = await putInMirror(mirrorDir, ISTIOCTL, content);
      const op = operation();
      const result = await service({ mirror: mirrorDir, allowNetwork: false }).fetch({ url: ISTIOCTL, sha256: sha256(content) }, op.ctx);
      expect(result).toMatchObject({ sha256: sha256(content), source: location, cached: false });
      expect(path.basename(result.path)).toBe('istioctl-1.24.1-linux-amd64');
      expect(path.relative(cacheDir, result.path).startsWith('..')).toBe(false);
      expect(await readFile(result.path)).toEqual(content);
      expect(op.events).toHaveLength(1);
      expect(op.events[0]!.type).toBe('artifact');
      expect(op.events[0]!.summary).toContain(`Downloaded istioctl-1.24.1-linux-amd64`);
      expect(op.events[0]!.summary).toContain(`from ${location}`);
      expect(op.events[0]!.summary).toContain('SHA-256 verified');
    });

    it('reads from a mirror given as a file: URL', async () => {
      const content = 'from a file URL';
      const location = await putInMirror(mirrorDir, ISTIOCTL, content);
      const result = await service({ mirror: pathToFileURL(mirrorDir).href, allowNetwork: false }).fetch({ url: ISTIOCTL, sha256: sha256(content) }, operation().ctx);
      expect(result.source).toBe(location);
      expect(await readFile(result.path, 'utf8')).toBe(content);
    });

    it('reads from a mirror given as an http base URL, at <base>/<host>/<path>', async () => {
      const content = Buffer.from('from the http mirror');
      server.routes.set('/mirror/github.com/istio/istio/releases/download/1.24.1/istioctl-1.24.1-linux-amd64', { body: content });
      const result = await service({ mirror: `${server.base}/mirror/`, allowNetwork: false }).fetch({ url: ISTIOCTL, sha256: sha256(content) }, operation().ctx);
      expect(result.source).toBe(`${server.base}/mirror/github.com/istio/istio/releases/download/1.24.1/istioctl-1.24.1-linux-amd64`);
      expect(await readFile(result.path)).toEqual(content);
      expect(server.requests).toEqual(['/mirror/github.com/istio/istio/releases/download/1.24.1/istioctl-1.24.1-linux-amd64']);
    });

    it("tries the request's mirror before the host-wide one", async () => {
      const content = 'in both mirrors';
      const inRequestMirror = await putInMirror(requestMirrorDir, ISTIOCTL, content);
      await putInMirror(mirrorDir, ISTIOCTL, content);
      const result = await service({ mirror: mirrorDir, allowNetwork: false }).fetch({ url: ISTIOCTL, sha256: sha256(content), mirror: requestMirrorDir }, operation().ctx);
      expect(result.source).toBe(inRequestMirror);
    });

    it("falls back to the host-wide mirror when the request's mirror lacks the file", async () => {
      const content = 'only in the host mirror';
      const inHostMirror = await putInMirror(mirrorDir, ISTIOCTL, content);
      const result = await service({ mirror: mirrorDir, allowNetwork: false }).fetch({ url: ISTIOCTL, sha256: sha256(content), mirror: requestMirrorDir }, operation().ctx);
      expect(result.source).toBe(inHostMirror);
    });

    it('falls back to the next source after an HTTP 404 from a mirror', async () => {
      const content = 'found on the second try';
      const inHostMirror = await putInMirror(mirrorDir, ISTIOCTL, content);
      const result = await service({ mirror: mirrorDir, allowNetwork: false }).fetch(
        { url: ISTIOCTL, sha256: sha256(content), mirror: `${server.base}/empty-mirror` },
        operation().ctx,
      );
      expect(result.source).toBe(inHostMirror);
      expect(server.requests).toEqual(['/empty-mirror/github.com/istio/istio/releases/download/1.24.1/istioctl-1.24.1-linux-amd64']);
    });

    it('downloads from the official address when no mirror holds the file', async () => {
      const url = official('tool-1.0.0');
      const content = Buffer.from('official bytes');
      serve(url, { body: content });
      const result = await service({ mirror: mirrorDir }).fetch({ url, sha256: sha256(content) }, operation().ctx);
      expect(result.source).toBe(url);
      expect(await readFile(result.path)).toEqual(content);
    });
  });

  describe('verification', () => {
    it.each([
      ['a bare digest', (hex: string) => `${hex}\n`],
      ['a digest and a file name (sha256sum)', (hex: string) => `${hex}  istioctl-1.24.1-linux-amd64\n`],
      ['an upper-case digest', (hex: string) => `${hex.toUpperCase()}\n`],
    ])('verifies against a checksum file holding %s', async (_name, format) => {
      const content = 'checked against a checksum file';
      await putInMirror(mirrorDir, ISTIOCTL, content);
      await putInMirror(mirrorDir, `${ISTIOCTL}.sha256`, format(sha256(content)));
      const op = operation();
      const result = await service({ mirror: mirrorDir, allowNetwork: false }).fetch({ url: ISTIOCTL, sha256Url: `${ISTIOCTL}.sha256` }, op.ctx);
      expect(result.sha256).toBe(sha256(content));
      expect(op.events.at(-1)!.summary).toContain('SHA-256 verified');
    });

    it('refuses a download that does not match the checksum file', async () => {
      await putInMirror(mirrorDir, ISTIOCTL, 'tampered');
      await putInMirror(mirrorDir, `${ISTIOCTL}.sha256`, `${sha256('genuine')}  istioctl\n`);
      const error = await failure(service({ mirror: mirrorDir, allowNetwork: false }).fetch({ url: ISTIOCTL, sha256Url: `${ISTIOCTL}.sha256` }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain(`expected ${sha256('genuine')}, got ${sha256('tampered')}`);
    });

    it('reads the checksum file from the official address when no mirror holds it, and says which file is not a digest', async () => {
      const url = official('tool-2.0.0');
      serve(url, { body: Buffer.from('x') });
      serve(`${url}.sha256`, { body: Buffer.from('<html>Not a checksum</html>') });
      const error = await failure(service().fetch({ url, sha256Url: `${url}.sha256` }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain('tool-2.0.0.sha256 could not be downloaded');
      expect(error.message).toContain('does not start with a SHA-256 digest');
      // The artifact itself is not downloaded without a digest to check it against.
      expect(server.requests).toEqual(['/official/tool-2.0.0.sha256']);
    });

    it('refuses a checksum mismatch, naming expected and actual digests and the source, and caches nothing', async () => {
      const genuine = 'the genuine release';
      const location = await putInMirror(mirrorDir, ISTIOCTL, 'a stale copy');
      const svc = service({ mirror: mirrorDir, allowNetwork: false });
      const error = await failure(svc.fetch({ url: ISTIOCTL, sha256: sha256(genuine) }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain(`expected ${sha256(genuine)}`);
      expect(error.message).toContain(`got ${sha256('a stale copy')}`);
      expect(error.message).toContain(location);
      expect(error.remediation).toContain(location);
      expect(error.remediation).toContain(ISTIOCTL);
      expect(await filesUnder(cacheDir)).toEqual([]);

      // Once the mirror is fixed, the next call downloads (nothing bad was kept).
      await writeFile(location, genuine);
      const result = await svc.fetch({ url: ISTIOCTL, sha256: sha256(genuine) }, operation().ctx);
      expect(result.cached).toBe(false);
      expect(await readFile(result.path, 'utf8')).toBe(genuine);
    });

    it('does not fall through to another source after a mismatch (a tampered mirror is reported, not hidden)', async () => {
      const url = official('tool-3.0.0');
      serve(url, { body: Buffer.from('genuine') });
      await putInMirror(mirrorDir, url, 'tampered');
      const error = await failure(service({ mirror: mirrorDir }).fetch({ url, sha256: sha256('genuine') }, operation().ctx));
      expect(error.message).toContain('Checksum mismatch');
      expect(server.requests).toEqual([]);
    });

    it('accepts a digest in upper case', async () => {
      const content = 'upper';
      await putInMirror(mirrorDir, ISTIOCTL, content);
      const result = await service({ mirror: mirrorDir, allowNetwork: false }).fetch({ url: ISTIOCTL, sha256: sha256(content).toUpperCase() }, operation().ctx);
      expect(result.sha256).toBe(sha256(content));
    });

    it('trusts the first download when asked, says it is not verified, and refuses a later download that differs', async () => {
      const url = official('samples/bookinfo.yaml');
      const first = Buffer.from('kind: Deployment # v1');
      serve(url, { body: first });
      const op = operation();
      const svc = service();
      const result = await svc.fetch({ url, trustOnFirstUse: true }, op.ctx);
      expect(result.sha256).toBe(sha256(first));
      expect(op.events[0]!.summary).toContain('no published checksum');
      expect(op.events[0]!.summary).toContain(sha256(first));
      expect(op.events[0]!.summary).not.toContain('verified');

      // The publisher's file changes; the cached copy is lost, so the next call downloads again.
      await writeFile(result.path, 'corrupted');
      serve(url, { body: Buffer.from('kind: Deployment # changed') });
      const error = await failure(service().fetch({ url, trustOnFirstUse: true }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain(`expected ${sha256(first)}`);
      expect(error.message).toContain(`got ${sha256('kind: Deployment # changed')}`);

      // The original content verifies against the recorded digest.
      serve(url, { body: first });
      const again = operation();
      const restored = await service().fetch({ url, trustOnFirstUse: true }, again.ctx);
      expect(restored).toMatchObject({ sha256: sha256(first), cached: false });
      expect(again.events[0]!.summary).toContain('SHA-256 verified');
    });
  });

  describe('missing artifacts', () => {
    it('lists every source it tried, in order, and says where to put the file', async () => {
      const url = official('missing-1.0.0.tar.gz');
      const inRequestMirror = mirrorLocation(requestMirrorDir, url);
      const inHttpMirror = mirrorLocation(`${server.base}/mirror`, url);
      const error = await failure(service({ mirror: `${server.base}/mirror` }).fetch({ url, sha256: sha256('x'), mirror: requestMirrorDir }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain('missing-1.0.0.tar.gz could not be downloaded');
      const tried = [`${inRequestMirror}: no such file`, `${inHttpMirror}: HTTP 404`, `${url}: HTTP 404`];
      for (const source of tried) expect(error.message).toContain(source);
      expect(tried.map((s) => error.message.indexOf(s))).toEqual([...tried.map((s) => error.message.indexOf(s))].sort((a, b) => a - b));
      expect(error.remediation).toContain(`<mirror>/${new URL(url).host}/official/missing-1.0.0.tar.gz`);
      expect(error.remediation).toContain('MESHERY_ARTIFACTS_MIRROR');
      expect(error.probableCause).toBeTruthy();
      expect(await filesUnder(cacheDir)).toEqual([]);
    });

    it('names the network error when the official address cannot be reached', async () => {
      const closed = await startServer();
      const url = `${closed.base}/gone/tool`;
      await closed.close();
      const error = await failure(service().fetch({ url, sha256: sha256('x') }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain(`${url}: ECONNREFUSED`);
    });

    it('never contacts the official address when the network is turned off', async () => {
      const url = official('forbidden-1.0.0');
      serve(url, { body: Buffer.from('would have worked') });
      serve(`${url}.sha256`, { body: Buffer.from(sha256('would have worked')) });
      const svc = service({ mirror: mirrorDir, allowNetwork: false });
      const error = await failure(svc.fetch({ url, sha256: sha256('would have worked') }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain(`${mirrorLocation(mirrorDir, url)}: no such file`);
      expect(error.probableCause).toContain('turned off');
      const viaChecksum = await failure(svc.fetch({ url, sha256Url: `${url}.sha256` }, operation().ctx));
      expect(viaChecksum.code).toBe('PRECONDITION_FAILED');
      const trusting = await failure(svc.fetch({ url, trustOnFirstUse: true }, operation().ctx));
      expect(trusting.code).toBe('PRECONDITION_FAILED');
      expect(server.requests).toEqual([]);
    });

    it('says there was no source to try when the network is off and there is no mirror', async () => {
      const error = await failure(service({ allowNetwork: false }).fetch({ url: ISTIOCTL, sha256: sha256('x') }, operation().ctx));
      expect(error.message).toContain('no source to try');
    });
  });

  describe('cache', () => {
    it('serves a second use from the cache without a request, also after a restart', async () => {
      const url = official('cached-1.0.0');
      const content = Buffer.from('cache me');
      serve(url, { body: content });
      const first = await service().fetch({ url, sha256: sha256(content) }, operation().ctx);
      expect(server.requests).toHaveLength(1);

      const op = operation();
      const second = await service().fetch({ url, sha256: sha256(content) }, op.ctx);
      expect(second).toEqual({ path: first.path, sha256: first.sha256, source: url, cached: true });
      expect(op.events).toHaveLength(1);
      expect(op.events[0]!.summary).toContain('Using cached cached-1.0.0');
      expect(server.requests).toHaveLength(1);

      // A checksum-file request is served from the cache too, without fetching the checksum.
      const viaChecksum = await service().fetch({ url, sha256Url: `${url}.sha256` }, operation().ctx);
      expect(viaChecksum.cached).toBe(true);
      expect(server.requests).toHaveLength(1);
    });

    it('downloads again when the cached file was corrupted on disk', async () => {
      const url = official('corrupt-1.0.0');
      const content = Buffer.from('pristine');
      serve(url, { body: content });
      const svc = service();
      const first = await svc.fetch({ url, sha256: sha256(content) }, operation().ctx);
      await writeFile(first.path, 'bit rot');
      const second = await svc.fetch({ url, sha256: sha256(content) }, operation().ctx);
      expect(second.cached).toBe(false);
      expect(second.path).toBe(first.path);
      expect(await readFile(second.path)).toEqual(content);
      expect(server.requests).toHaveLength(2);
    });

    it('downloads again when a different digest is asked for than the one cached', async () => {
      const url = official('rereleased-1.0.0');
      serve(url, { body: Buffer.from('first') });
      await service().fetch({ url, sha256: sha256('first') }, operation().ctx);
      serve(url, { body: Buffer.from('second') });
      const result = await service().fetch({ url, sha256: sha256('second') }, operation().ctx);
      expect(result.cached).toBe(false);
      expect(await readFile(result.path, 'utf8')).toBe('second');
    });

    it('shares one download among concurrent fetches of the same URL', async () => {
      const url = official('concurrent-1.0.0');
      const content = Buffer.from('fetched once');
      serve(url, { body: content, delayMs: 150 });
      const svc = service();
      const results = await Promise.all([1, 2, 3].map(() => svc.fetch({ url, sha256: sha256(content) }, operation().ctx)));
      expect(server.requests).toEqual(['/official/concurrent-1.0.0']);
      expect(new Set(results.map((r) => r.path)).size).toBe(1);
      expect(results.every((r) => r.sha256 === sha256(content))).toBe(true);
      expect(await readFile(results[0]!.path)).toEqual(content);
      // Once settled, a new fetch is not stuck on the old one: it is a cache hit.
      expect((await svc.fetch({ url, sha256: sha256(content) }, operation().ctx)).cached).toBe(true);
    });

    it('lets one caller of a shared download give up without stopping it for the others, and shows each its events', async () => {
      const url = official('shared-cancel-1.0.0');
      const content = Buffer.from('still wanted');
      serve(url, { body: content, delayMs: 300 });
      const svc = service();
      const leaving = operation();
      const staying = operation();
      const first = svc.fetch({ url, sha256: sha256(content) }, leaving.ctx);
      const second = svc.fetch({ url, sha256: sha256(content) }, staying.ctx);
      await new Promise((r) => setTimeout(r, 50));
      leaving.controller.abort();
      expect((await failure(first)).code).toBe('CANCELLED');
      const result = await second;
      expect(await readFile(result.path)).toEqual(content);
      expect(staying.events.map((e) => e.summary)).toEqual([expect.stringContaining('SHA-256 verified')]);
      expect(server.requests).toEqual(['/official/shared-cancel-1.0.0']);
    });

    it('reads the checksum from the official address first when online, and says so when it comes from the mirror', async () => {
      const content = Buffer.from('the official file');
      const url = official('checked-1.0.0');
      // The mirror holds a different file with a checksum vouching for it; the official checksum wins.
      const forged = Buffer.from('a forged file');
      await putInMirror(mirrorDir, url, forged);
      await putInMirror(mirrorDir, `${url}.sha256`, `${sha256(forged)}  checked-1.0.0\n`);
      serve(`${url}.sha256`, { body: Buffer.from(`${sha256(content)}  checked-1.0.0\n`) });
      serve(url, { body: content });
      const online = operation();
      const error = await failure(service({ mirror: mirrorDir }).fetch({ url, sha256Url: `${url}.sha256` }, online.ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain('Checksum mismatch');
      expect(server.requests).toContain('/official/checked-1.0.0.sha256');

      // Offline, the mirror's checksum is all there is: accepted, with a note on what it proves.
      const offline = operation();
      const result = await service({ mirror: mirrorDir, allowNetwork: false }).fetch({ url, sha256Url: `${url}.sha256` }, offline.ctx);
      expect(await readFile(result.path)).toEqual(forged);
      expect(offline.events[0]!.summary).toContain('read from the mirror');
    });

    it('keeps artifacts whose names collide with the cache bookkeeping intact', async () => {
      const url = official('releases/artifact.json');
      const content = Buffer.from('{"kind":"release metadata"}');
      serve(url, { body: content });
      const svc = service();
      const first = await svc.fetch({ url, sha256: sha256(content) }, operation().ctx);
      expect(await readFile(first.path)).toEqual(content);
      const second = await svc.fetch({ url, sha256: sha256(content) }, operation().ctx);
      expect(second.cached).toBe(true);
      expect(await readFile(second.path)).toEqual(content);
    });

    it('keeps a file whose encoded name contains "../" inside the cache', async () => {
    const escaped = `escaped-${process.pid}-${Date.now()}.bin`;
    const url = official(`dl/..%2F..%2F..%2F${escaped}`);
    const content = Buffer.from('should stay in the cache');
    serve(url, { body: content });
    const result = await service().fetch({ url, sha256: sha256(content) }, operation().ctx);
    expect(path.relative(cacheDir, result.path).startsWith('..')).toBe(false);
    expect(path.basename(result.path)).toBe(`..%2F..%2F..%2F${escaped}`);
    expect(await readFile(result.path)).toEqual(content);
    for (const dir of [cacheDir, root, path.dirname(root)]) expect(existsSync(path.join(dir, escaped))).toBe(false);
  });
  });

  describe('archives and executables', () => {
    /** A .tar.gz of `files` (relative path → content), built in a scratch directory. */
    async function archive(files: Record<string, string>, options: { preservePaths?: boolean } = {}): Promise<Buffer> {
      // Built outside `root`, so that an entry's "../" source file is not mistaken for an escape.
      const scratch = await tempDir('archive-build');
      try {
        const dir = path.join(scratch, 'a', 'b');
        for (const [name, content] of Object.entries(files)) {
          await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
          await writeFile(path.join(dir, name), content);
        }
        const file = path.join(scratch, 'archive.tar.gz');
        await createTar({ gzip: true, file, cwd: dir, ...options }, Object.keys(files));
        return await readFile(file);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    }

    it('unpacks a tar.gz and returns the directory with its files, also from the cache', async () => {
      const content = await archive({ 'istio-1.24.1/bin/istioctl': '#!/bin/sh\n', 'istio-1.24.1/manifest.yaml': 'version: 1.24.1\n' });
      await putInMirror(mirrorDir, ARCHIVE, content);
      const svc = service({ mirror: mirrorDir, allowNetwork: false });
      const result = await svc.fetch({ url: ARCHIVE, sha256: sha256(content), extract: 'tar.gz' }, operation().ctx);
      expect(result.sha256).toBe(sha256(content));
      expect((await stat(result.path)).isDirectory()).toBe(true);
      expect(await filesUnder(result.path)).toEqual(['istio-1.24.1/bin/istioctl', 'istio-1.24.1/manifest.yaml']);
      expect(await readFile(path.join(result.path, 'istio-1.24.1/manifest.yaml'), 'utf8')).toBe('version: 1.24.1\n');

      const again = await svc.fetch({ url: ARCHIVE, sha256: sha256(content), extract: 'tar.gz' }, operation().ctx);
      expect(again).toMatchObject({ path: result.path, cached: true });
    });

    it('returns the archive file, not the unpacked directory, to a request that does not ask for extraction', async () => {
      const content = await archive({ 'a.txt': 'a' });
      await putInMirror(mirrorDir, ARCHIVE, content);
      const svc = service({ mirror: mirrorDir, allowNetwork: false });
      await svc.fetch({ url: ARCHIVE, sha256: sha256(content), extract: 'tar.gz' }, operation().ctx);
      const plain = await svc.fetch({ url: ARCHIVE, sha256: sha256(content) }, operation().ctx);
      expect((await stat(plain.path)).isFile()).toBe(true);
      expect(await readFile(plain.path)).toEqual(content);
    });

    it('unpacks an archive fetched earlier without extraction when extraction is asked for', async () => {
      const content = await archive({ 'a.txt': 'a' });
      await putInMirror(mirrorDir, ARCHIVE, content);
      const svc = service({ mirror: mirrorDir, allowNetwork: false });
      await svc.fetch({ url: ARCHIVE, sha256: sha256(content) }, operation().ctx);
      const unpacked = await svc.fetch({ url: ARCHIVE, sha256: sha256(content), extract: 'tar.gz' }, operation().ctx);
      expect(await filesUnder(unpacked.path)).toEqual(['a.txt']);
    });

    it('refuses an archive with a "../" entry without writing outside the cache, and caches nothing', async () => {
      const content = await archive({ 'inner/ok.txt': 'ok', 'inner/../../escape.txt': 'escaped' }, { preservePaths: true });
      await putInMirror(mirrorDir, ARCHIVE, content);
      const svc = service({ mirror: mirrorDir, allowNetwork: false });
      const error = await failure(svc.fetch({ url: ARCHIVE, sha256: sha256(content), extract: 'tar.gz' }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain('is not a readable .tar.gz archive');
      expect(error.message).toContain('..');
      const everything = await filesUnder(root);
      expect(everything.filter((f) => f.endsWith('escape.txt'))).toEqual([]);
      expect(existsSync(path.join(path.dirname(root), 'escape.txt'))).toBe(false);
      expect((await filesUnder(cacheDir)).filter((f) => f.includes('extract'))).toEqual([]);
      // Not cached: the next call tries again (and fails again), it does not return the bad archive.
      expect((await failure(svc.fetch({ url: ARCHIVE, sha256: sha256(content), extract: 'tar.gz' }, operation().ctx))).code).toBe('PRECONDITION_FAILED');
    });

    it('refuses an archive that writes through a symbolic link pointing outside', async () => {
      const outside = path.join(root, 'outside');
      await mkdir(outside);
      const withLink = path.join(root, 'with-link');
      const withFile = path.join(root, 'with-file', 'link');
      await mkdir(withLink);
      await mkdir(withFile, { recursive: true });
      await symlink('../../../../outside', path.join(withLink, 'link'));
      await writeFile(path.join(withFile, 'pwn.txt'), 'pwned');
      const tarFile = path.join(root, 'link.tar');
      await createTar({ file: tarFile, cwd: withLink }, ['link']);
      await appendToTar({ file: tarFile, cwd: path.dirname(withFile) }, ['link/pwn.txt']);
      const content = gzipSync(await readFile(tarFile));
      await putInMirror(mirrorDir, ARCHIVE, content);
      const error = await failure(service({ mirror: mirrorDir, allowNetwork: false }).fetch({ url: ARCHIVE, sha256: sha256(content), extract: 'tar.gz' }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(await readdir(outside)).toEqual([]);
    });

    it('refuses a file that verifies but is not an archive', async () => {
      const content = 'not gzip at all';
      await putInMirror(mirrorDir, ARCHIVE, content);
      const error = await failure(service({ mirror: mirrorDir, allowNetwork: false }).fetch({ url: ARCHIVE, sha256: sha256(content), extract: 'tar.gz' }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain('istio-1.24.1-linux-amd64.tar.gz is not a readable .tar.gz archive');
    });

    it('makes an executable 0755 and leaves other files unexecutable', async () => {
      const content = '#!/bin/sh\necho hi\n';
      await putInMirror(mirrorDir, ISTIOCTL, content);
      await putInMirror(mirrorDir, `${ISTIOCTL}.txt`, content);
      const svc = service({ mirror: mirrorDir, allowNetwork: false });
      const cli = await svc.fetch({ url: ISTIOCTL, sha256: sha256(content), executable: true }, operation().ctx);
      expect((await stat(cli.path)).mode & 0o777).toBe(0o755);
      const text = await svc.fetch({ url: `${ISTIOCTL}.txt`, sha256: sha256(content) }, operation().ctx);
      expect((await stat(text.path)).mode & 0o111).toBe(0);
    });
  });

  describe('cancellation and limits', () => {
    it('stops a download mid-way when the operation is cancelled, keeping nothing', async () => {
      const url = official('slow-1.0.0');
      serve(url, { trickle: true });
      const op = operation();
      const running = service().fetch({ url, sha256: sha256('x') }, op.ctx);
      await waitFor(() => server.requests.includes('/official/slow-1.0.0'), 5000, 'the download to start');
      await new Promise((r) => setTimeout(r, 100));
      const abortedAt = Date.now();
      op.controller.abort();
      const error = await failure(running);
      expect(Date.now() - abortedAt).toBeLessThan(1000);
      expect(error.code).toBe('CANCELLED');
      expect(error.message).toContain('slow-1.0.0');
      expect(await filesUnder(cacheDir)).toEqual([]);
    });

    it('stops while reading the checksum file when the operation is cancelled', async () => {
      const url = official('slow-checksum-1.0.0');
      serve(`${url}.sha256`, { trickle: true });
      const op = operation();
      const running = service().fetch({ url, sha256Url: `${url}.sha256` }, op.ctx);
      await waitFor(() => server.requests.length > 0, 5000, 'the checksum download to start');
      await new Promise((r) => setTimeout(r, 50));
      op.controller.abort();
      const error = await failure(running);
      expect(error.code).toBe('CANCELLED');
    });

    it('refuses to start when the operation is already cancelled', async () => {
      const url = official('never-1.0.0');
      serve(url, { body: Buffer.from('x') });
      const op = operation();
      op.controller.abort();
      const error = await failure(service().fetch({ url, sha256: sha256('x') }, op.ctx));
      expect(error.code).toBe('CANCELLED');
      expect(server.requests).toEqual([]);
    });

    it('treats a download over maxBytes as unavailable from that source and tries the next', async () => {
      const big = Buffer.alloc(5000, 'a');
      const url = official('big-1.0.0');
      server.routes.set(new URL(mirrorLocation(`${server.base}/mirror`, url)).pathname, { body: big });
      serve(url, { body: big });
      const error = await failure(service({ mirror: `${server.base}/mirror`, maxBytes: 1000 }).fetch({ url, sha256: sha256(big) }, operation().ctx));
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toContain(`${mirrorLocation(`${server.base}/mirror`, url)}: larger than 1 kB`);
      expect(error.message).toContain(`${url}: larger than 1 kB`);
      expect(await filesUnder(cacheDir)).toEqual([]);

      // Within the limit from a directory mirror: accepted.
      const small = Buffer.alloc(900, 'b');
      await putInMirror(mirrorDir, ISTIOCTL, small);
      await putInMirror(requestMirrorDir, ISTIOCTL, big);
      const result = await service({ mirror: mirrorDir, maxBytes: 1000, allowNetwork: false }).fetch({ url: ISTIOCTL, sha256: sha256(small), mirror: requestMirrorDir }, operation().ctx);
      expect(result.source).toBe(mirrorLocation(mirrorDir, ISTIOCTL));
    });

    it('gives up on a source that takes longer than timeoutMs and tries the next', async () => {
      const content = 'fast enough';
      const inHostMirror = await putInMirror(mirrorDir, ISTIOCTL, content);
      server.routes.set(new URL(mirrorLocation(`${server.base}/slow-mirror`, ISTIOCTL)).pathname, { trickle: true });
      const started = Date.now();
      const result = await service({ mirror: mirrorDir, allowNetwork: false, timeoutMs: 300 }).fetch(
        { url: ISTIOCTL, sha256: sha256(content), mirror: `${server.base}/slow-mirror` },
        operation().ctx,
      );
      expect(Date.now() - started).toBeLessThan(3000);
      expect(result.source).toBe(inHostMirror);
    });
  });

  describe('invalid requests', () => {
    it.each<[string, ArtifactRequest, RegExp]>([
      ['a relative address', { url: 'istioctl-1.24.1', sha256: 'a'.repeat(64) }, /not an absolute URL/],
      ['an ftp address', { url: 'ftp://example.com/istioctl', sha256: 'a'.repeat(64) }, /must be http\(s\) URLs, not ftp:/],
      ['a file address', { url: 'file:///etc/passwd', trustOnFirstUse: true }, /must be http\(s\) URLs, not file:/],
      ['a relative checksum address', { url: ISTIOCTL, sha256Url: 'istioctl.sha256' }, /"istioctl.sha256" is not an absolute URL/],
      ['a file checksum address', { url: ISTIOCTL, sha256Url: 'file:///tmp/x.sha256' }, /must be http\(s\) URLs, not file:/],
      ['a digest of 63 digits', { url: ISTIOCTL, sha256: 'a'.repeat(63) }, /not 64 hexadecimal digits/],
      ['a digest that is not hexadecimal', { url: ISTIOCTL, sha256: 'g'.repeat(64) }, /not 64 hexadecimal digits/],
      ['no way to verify', { url: ISTIOCTL }, /No way to verify .*sha256, sha256Url or trustOnFirstUse/],
      ['trustOnFirstUse: false only', { url: ISTIOCTL, trustOnFirstUse: false }, /No way to verify/],
    ])('refuses %s with INVALID_REQUEST (a rejected promise), touching nothing', async (_name, request, message) => {
      const error = await failure(service({ mirror: mirrorDir }).fetch(request, operation().ctx));
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toMatch(message);
      expect(existsSync(cacheDir)).toBe(false);
      expect(server.requests).toEqual([]);
    });
  });
});
