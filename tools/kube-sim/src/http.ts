/** HTTP plumbing: content negotiation, bodies, responses. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import { ApiError, requestEntityTooLarge } from './errors.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type ResponseFormat =
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; list: boolean; version: 'v1' | 'v1beta1' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type, ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      }
      const q = params['q'] !== undefined ? Number(params['q']) : 1;
      return { type: (type ?? '').toLowerCase(), params, q: Number.isFinite(q) ? q : 1 };
    })
    .filter((m) => m.type !== '' && m.q > 0);
}

/**
 * Picks a response format from an Accept header the way the API server does: the first acceptable
 * media range (by q, then order) wins; `as=Table` / `as=PartialObjectMetadata[List]` with
 * g=meta.k8s.io ask for those transformations; protobuf and unknown ranges are skipped.
 * Returns undefined when nothing is acceptable (406).
 */
export function negotiate(accept: string | undefined, opts: { allowTransforms: boolean }): ResponseFormat | undefined {
  if (!accept || accept.trim() === '') return { kind: 'json' };
  const ranges = parseAccept(accept)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.q - a.r.q || a.i - b.i)
    .map((x) => x.r);
  for (const r of ranges) {
    const isJson = r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*';
    const isYaml = r.type === 'application/yaml';
    if (!isJson && !isYaml) continue;
    const as = r.params['as'];
    if (as) {
      if (!opts.allowTransforms || !isJson) continue;
      if (r.params['g'] !== 'meta.k8s.io') continue;
      const version = r.params['v'];
      if (version !== 'v1' && version !== 'v1beta1') continue;
      if (as === 'Table') return { kind: 'table', version };
      if (as === 'PartialObjectMetadata') return { kind: 'partial', list: false, version };
      if (as === 'PartialObjectMetadataList') return { kind: 'partial', list: true, version };
      continue;
    }
    if (r.params['g'] || r.params['v']) continue;
    return isYaml ? { kind: 'yaml' } : { kind: 'json' };
  }
  return undefined;
}

export function contentTypeOf(format: ResponseFormat): string {
  switch (format.kind) {
    case 'yaml':
      return 'application/yaml';
    case 'table':
      return `application/json;as=Table;v=${format.version};g=meta.k8s.io`;
    case 'partial':
      return `application/json;as=${format.list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'};v=${format.version};g=meta.k8s.io`;
    default:
      return 'application/json';
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        if (!failed) reject(requestEntityTooLarge(MAX_BODY_BYTES));
        failed = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
      failed = true;
    });
  });
}

export function encode(body: unknown, format: ResponseFormat, pretty: boolean): string {
  if (format.kind === 'yaml') return toYaml(body);
  return (pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body)) + '\n';
}

export function send(
  res: ServerResponse,
  code: number,
  body: unknown,
  opts: { format?: ResponseFormat; pretty?: boolean; headers?: Record<string, string>; warnings?: string[] } = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const format = opts.format ?? { kind: 'json' };
  const text = encode(body, format, opts.pretty ?? false);
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentTypeOf(format),
    'Cache-Control': 'no-cache, private',
    'Content-Length': String(Buffer.byteLength(text)),
    ...(opts.headers ?? {}),
  };
  if (opts.warnings && opts.warnings.length > 0) headers['Warning'] = opts.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError, pretty = false): void {
  send(res, err.code, err.toStatus(), { pretty, headers: err.headers });
}

/** strconv.ParseBool */
export function parseBool(v: string | null): boolean | undefined {
  if (v === null) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}
