/** Request routing: discovery, OpenAPI, resources and subresources, watch, control endpoints. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { asVersion, stripTypeMeta, type Api, type DeleteOptionsBody, type FieldValidation, type WriteOptions } from './api.js';
import type { Controller } from './controller.js';
import { ApiError, badRequest, expired, internalError, invalid, methodNotAllowed, notAcceptable, pathNotFound, tooManyRequests, unauthorized, unsupportedMediaType } from './errors.js';
import { faultSpecFromJson, type Faults } from './faults.js';
import { encode, negotiate, parseBool, readBody, send, sendError, type ResponseFormat } from './http.js';
import { isPlainObject, type KubeObject } from './json.js';
import { openApiV2Json, openApiV2Protobuf, type OpenApi } from './openapi.js';
import { apiVersionOf, storageKey, type ResourceType } from './resource-type.js';
import type { StoreEvent } from './store.js';
import { buildTable, DEFAULT_TABLE, partialObjectMetadata, type IncludeObject } from './table.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '28',
  gitVersion: 'v1.28.0',
  gitCommit: '855e7c48de7388eb330da0f8d9d2394ee818fb8d',
  gitTreeState: 'clean',
  buildDate: '2023-08-15T10:20:15Z',
  goVersion: 'go1.20.7',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  code: number;
  watch: boolean;
  userAgent: string;
  fault?: string;
}

export interface ServerContext {
  api: Api;
  controller: Controller;
  faults: Faults;
  openapi: OpenApi;
  token: string | undefined;
  serverAddress: () => string;
  bookmarkIntervalMs: number;
  defaultWatchTimeoutSeconds: number;
  requestLogLimit: number;
}

interface ResourcePath {
  group: string;
  version: string;
  watchPrefix: boolean;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

type Route =
  | { kind: 'root' }
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'discovery'; group: string; version: string }
  | { kind: 'resource'; path: ResourcePath }
  | { kind: 'openapi-v2' }
  | { kind: 'openapi-v3'; rest: string }
  | { kind: 'control'; rest: string[] }
  | { kind: 'none' };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function route(pathname: string): Route {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  const [first, ...rest] = segments;
  if (first === undefined) return { kind: 'root' };
  if (first === '__kube-sim') return { kind: 'control', rest };
  if (first === 'version' && rest.length === 0) return { kind: 'version' };
  if (first === 'healthz' || first === 'livez' || first === 'readyz') return { kind: 'health' };
  if (first === 'openapi') {
    if (rest[0] === 'v2' && rest.length === 1) return { kind: 'openapi-v2' };
    if (rest[0] === 'v3') return { kind: 'openapi-v3', rest: rest.slice(1).join('/') };
    return { kind: 'none' };
  }
  let group: string;
  let version: string;
  let tail: string[];
  if (first === 'api') {
    if (rest.length === 0) return { kind: 'api' };
    version = rest[0]!;
    group = '';
    tail = rest.slice(1);
    if (version !== 'v1') return { kind: 'none' };
  } else if (first === 'apis') {
    if (rest.length === 0) return { kind: 'apis' };
    if (rest.length === 1) return { kind: 'group', group: rest[0]! };
    group = rest[0]!;
    version = rest[1]!;
    tail = rest.slice(2);
  } else return { kind: 'none' };
  if (tail.length === 0) return { kind: 'discovery', group, version };
  let watchPrefix = false;
  if (tail[0] === 'watch') {
    watchPrefix = true;
    tail = tail.slice(1);
    if (tail.length === 0) return { kind: 'none' };
  }
  let namespace: string | undefined;
  if (tail[0] === 'namespaces' && tail.length >= 3 && !(tail.length === 3 && NAMESPACE_SUBRESOURCES.has(tail[2]!))) {
    namespace = tail[1];
    tail = tail.slice(2);
  }
  if (tail.length > 3) return { kind: 'none' };
  const [resource, name, subresource] = tail as [string, string?, string?];
  return { kind: 'resource', path: { group, version, watchPrefix, ...(namespace !== undefined ? { namespace } : {}), resource, ...(name !== undefined ? { name } : {}), ...(subresource !== undefined ? { subresource } : {}) } };
}

function writeOptions(q: URLSearchParams, req: IncomingMessage): WriteOptions {
  const dryRun = q.getAll('dryRun');
  for (const d of dryRun) {
    if (d !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(d)}; the only supported value is "All"`);
  }
  const validation = q.get('fieldValidation');
  if (validation !== null && !['Ignore', 'Warn', 'Strict'].includes(validation)) {
    throw badRequest(`fieldValidation invalid value: ${validation}. Valid values are Ignore, Warn, Strict.`);
  }
  const fieldManager = q.get('fieldManager');
  if (fieldManager !== null && fieldManager.length > 128) {
    throw invalid('meta.k8s.io', 'UpdateOptions', '', [{ type: 'FieldValueTooLong', field: 'fieldManager', value: fieldManager, detail: 'may not be longer than 128' }]);
  }
  return {
    dryRun: dryRun.length > 0,
    ...(fieldManager ? { fieldManager } : {}),
    userAgent: req.headers['user-agent'] ?? '',
    fieldValidation: (validation as FieldValidation | null) ?? 'Warn',
  };
}

function parseBody(raw: Buffer, contentType: string | undefined, kind: string): unknown {
  const ct = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const text = raw.toString('utf8');
  if (ct === 'application/yaml' || ct === 'application/x-yaml' || ct === 'text/yaml') {
    try {
      return parseYaml(text);
    } catch (e) {
      throw badRequest(`the object provided is unrecognized (must be of type ${kind}): error converting YAML to JSON: ${(e as Error).message}`);
    }
  }
  if (ct !== 'application/json' && ct !== '*/*' && ct !== '') {
    throw unsupportedMediaType(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const summary = text.length > 30 ? `${Buffer.from(text.slice(0, 30)).toString('hex')}...` : text;
    throw badRequest(`the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${(e as Error).message} (${summary})`);
  }
}

function parseDeleteOptions(raw: Buffer, q: URLSearchParams): DeleteOptionsBody {
  let body: DeleteOptionsBody = {};
  const text = raw.toString('utf8').trim();
  if (text) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw badRequest(`the object provided is unrecognized (must be of type DeleteOptions): ${(e as Error).message}`);
    }
    if (!isPlainObject(parsed)) throw badRequest('the object provided is unrecognized (must be of type DeleteOptions)');
    body = parsed as DeleteOptionsBody;
  }
  const pp = q.get('propagationPolicy');
  if (pp) body.propagationPolicy = pp as DeleteOptionsBody['propagationPolicy'];
  const orphan = parseBool(q.get('orphanDependents'));
  if (orphan !== undefined) body.orphanDependents = orphan;
  const dry = q.getAll('dryRun');
  if (dry.length > 0) body.dryRun = dry;
  for (const d of body.dryRun ?? []) if (d !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(d)}; the only supported value is "All"`);
  return body;
}

export class RequestHandler {
  private readonly watches = new Set<() => void>();
  readonly requests: RequestRecord[] = [];

  constructor(private readonly ctx: ServerContext) {}

  /** Ends every open watch (used on close). */
  closeWatches(): void {
    for (const end of [...this.watches]) end();
  }

  private record(r: RequestRecord): void {
    this.requests.push(r);
    if (this.requests.length > this.ctx.requestLogLimit) this.requests.shift();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const q = url.searchParams;
    const method = (req.method ?? 'GET').toUpperCase();
    const isWatch = parseBool(q.get('watch')) === true || /\/watch\//.test(url.pathname);
    const rec: RequestRecord = { method, path: url.pathname, query: url.search, code: 0, watch: isWatch, userAgent: req.headers['user-agent'] ?? '' };
    res.on('finish', () => {
      if (rec.code === 0) rec.code = res.statusCode;
    });
    res.on('close', () => {
      if (rec.code === 0) rec.code = res.headersSent ? res.statusCode : -1;
    });
    this.record(rec);
    const pretty = parseBool(q.get('pretty')) === true;
    try {
      const r = route(url.pathname);
      if (this.ctx.token !== undefined && !this.authorized(req)) throw unauthorized();
      if (r.kind === 'control') return await this.control(req, res, method, r.rest, q);

      const decision = this.ctx.faults.decide(method, url.pathname, isWatch);
      if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
      if (decision.action) {
        rec.fault = decision.action.kind;
        if (decision.action.kind === 'drop') {
          req.socket.destroy();
          return;
        }
        if (decision.action.kind === 'tooManyRequests') throw tooManyRequests(decision.action.retryAfterSeconds);
        throw internalError(decision.action.message);
      }
      await this.dispatch(req, res, method, r, q, pretty);
    } catch (e) {
      const err = e instanceof ApiError ? e : internalError(e instanceof Error ? e.message : String(e));
      if (!(e instanceof ApiError)) process.emitWarning(`kube-sim: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (res.headersSent) {
        res.end();
        return;
      }
      sendError(res, err, pretty);
    }
  }

  private authorized(req: IncomingMessage): boolean {
    const h = req.headers['authorization'];
    if (!h) return false;
    const m = /^Bearer\s+(.+)$/i.exec(h.trim());
    return m !== null && m[1] === this.ctx.token;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, method: string, r: Route, q: URLSearchParams, pretty: boolean): Promise<void> {
    const { api } = this.ctx;
    const accept = req.headers['accept'];
    const plain = (): ResponseFormat => {
      const f = negotiate(accept, { allowTransforms: false });
      if (!f) throw notAcceptable();
      return f;
    };
    const readOnly = (): void => {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
    };
    switch (r.kind) {
      case 'root':
        readOnly();
        return send(res, 200, { paths: ['/api', '/api/v1', '/apis', ...api.registry.groups().flatMap((g) => [`/apis/${g}`, ...api.registry.groupVersions(g).map((v) => `/apis/${g}/${v}`)]), '/healthz', '/livez', '/openapi/v3', '/readyz', '/version'] }, { pretty });
      case 'version':
        readOnly();
        return send(res, 200, SERVER_VERSION, { pretty });
      case 'health':
        readOnly();
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        res.end('ok');
        return;
      case 'api':
        readOnly();
        return send(res, 200, api.registry.apiVersions(this.ctx.serverAddress()), { format: plain(), pretty });
      case 'apis':
        readOnly();
        return send(res, 200, api.registry.apiGroupList(), { format: plain(), pretty });
      case 'group': {
        readOnly();
        const g = api.registry.apiGroup(r.group);
        if (!g) throw pathNotFound();
        return send(res, 200, g, { format: plain(), pretty });
      }
      case 'discovery': {
        readOnly();
        const list = api.registry.apiResourceList(r.group, r.version);
        if (!list) throw pathNotFound();
        return send(res, 200, list, { format: plain(), pretty });
      }
      case 'openapi-v2': {
        readOnly();
        const accept = req.headers['accept'] ?? '';
        if (accept.includes('protobuf')) {
          const body = openApiV2Protobuf(api.registry, SERVER_VERSION.gitVersion);
          res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': String(body.length), 'Cache-Control': 'no-cache, private' });
          res.end(body);
          return;
        }
        return send(res, 200, openApiV2Json(api.registry, SERVER_VERSION.gitVersion), { pretty });
      }
      case 'openapi-v3': {
        readOnly();
        const doc = r.rest === '' ? this.ctx.openapi.root() : this.ctx.openapi.document(r.rest);
        if (!doc) throw pathNotFound();
        return send(res, 200, doc, { pretty });
      }
      case 'resource':
        return this.resource(req, res, method, r.path, q, pretty);
      default:
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        res.end('404 page not found\n');
    }
  }

  private async resource(req: IncomingMessage, res: ServerResponse, method: string, p: ResourcePath, q: URLSearchParams, pretty: boolean): Promise<void> {
    const { api } = this.ctx;
    const t = api.registry.find(p.group, p.version, p.resource);
    if (!t) throw pathNotFound();
    if (p.namespace !== undefined && !t.namespaced) throw pathNotFound();
    if (t.namespaced && p.namespace === undefined && p.name !== undefined) throw pathNotFound();
    if (p.subresource !== undefined && !((p.subresource === 'status' && t.status) || (p.subresource === 'scale' && t.scale))) throw pathNotFound();
    const warnings = t.deprecationWarning ? [t.deprecationWarning] : [];
    const format = negotiate(req.headers['accept'], { allowTransforms: method === 'GET' && p.subresource === undefined });
    if (!format) throw notAcceptable();
    const ns = p.namespace;
    const isWatch = p.watchPrefix || parseBool(q.get('watch')) === true;
    const verb = this.verbOf(method, p, isWatch);
    // Routes for verbs a resource does not support do not exist on a real server: 405.
    if (p.subresource === undefined && verb && !t.verbs.includes(verb)) throw methodNotAllowed();
    if (t.review && method === 'POST' && p.name === undefined) {
      const body = parseBody(await readBody(req), req.headers['content-type'], t.kind);
      if (!isPlainObject(body)) throw badRequest(`the object provided is unrecognized (must be of type ${t.kind})`);
      return send(res, 201, t.review(body as KubeObject), { format, pretty });
    }

    if (p.watchPrefix || (isWatch && method === 'GET' && p.name === undefined)) {
      if (method !== 'GET') throw methodNotAllowed();
      if (p.subresource !== undefined) throw pathNotFound();
      return this.watch(res, t, ns, p.name, q, format);
    }

    if (p.name === undefined) {
      if (method === 'GET') {
        const limit = q.get('limit');
        const result = api.list(t, ns, {
          labelSelector: q.get('labelSelector'),
          fieldSelector: q.get('fieldSelector'),
          ...(limit !== null ? { limit: Number(limit) } : {}),
          continueToken: q.get('continue'),
        });
        const listMeta = {
          resourceVersion: result.resourceVersion,
          ...(result.continueToken ? { continue: result.continueToken } : {}),
          ...(result.remainingItemCount ? { remainingItemCount: result.remainingItemCount } : {}),
        };
        return send(res, 200, this.renderList(t, result.items, listMeta, format, q), { format, pretty, warnings });
      }
      if (method === 'POST') {
        if (t.namespaced && ns === undefined) throw methodNotAllowed();
        const opts = writeOptions(q, req);
        const body = parseBody(await readBody(req), req.headers['content-type'], t.kind);
        const result = api.create(t, ns, body, opts);
        return send(res, result.code, result.object, { format, pretty, warnings: [...warnings, ...result.warnings] });
      }
      if (method === 'DELETE') {
        if (t.namespaced && ns === undefined) throw methodNotAllowed();
        if (!t.verbs.includes('deletecollection')) throw methodNotAllowed();
        const options = parseDeleteOptions(await readBody(req), q);
        const body = api.deleteCollection(t, ns, { labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector') }, options, (options.dryRun ?? []).length > 0);
        return send(res, 200, body, { format, pretty, warnings });
      }
      throw methodNotAllowed();
    }

    const name = p.name;
    if (p.subresource === 'scale') {
      if (method === 'GET') return send(res, 200, api.getScale(t, ns, name), { format, pretty });
      if (method === 'PUT') {
        const opts = writeOptions(q, req);
        const body = parseBody(await readBody(req), req.headers['content-type'], 'Scale');
        const result = api.updateScale(t, ns, name, body, opts);
        return send(res, result.code, result.object, { format, pretty });
      }
      if (method === 'PATCH') {
        const opts = writeOptions(q, req);
        const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const result = api.patchScale(t, ns, name, ct, (await readBody(req)).toString('utf8'), opts);
        return send(res, result.code, result.object, { format, pretty });
      }
      throw methodNotAllowed();
    }

    const sub = p.subresource === 'status' ? 'status' : undefined;
    if (method === 'GET') {
      const o = api.get(t, ns, name);
      return send(res, 200, this.renderOne(t, o, format, q), { format, pretty, warnings });
    }
    if (method === 'PUT') {
      const opts = writeOptions(q, req);
      const body = parseBody(await readBody(req), req.headers['content-type'], t.kind);
      const result = api.update(t, ns, name, body, opts, sub);
      return send(res, result.code, result.object, { format, pretty, warnings: [...warnings, ...result.warnings] });
    }
    if (method === 'PATCH') {
      const opts = writeOptions(q, req);
      const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const force = parseBool(q.get('force'));
      const raw = (await readBody(req)).toString('utf8');
      const result = api.patch(t, ns, name, ct, raw, { ...opts, ...(force !== undefined ? { force } : {}) }, sub);
      return send(res, result.code, result.object, { format, pretty, warnings: [...warnings, ...result.warnings] });
    }
    if (method === 'DELETE' && sub === undefined) {
      const options = parseDeleteOptions(await readBody(req), q);
      const result = api.delete(t, ns, name, options, (options.dryRun ?? []).length > 0);
      return send(res, result.code, result.body, { format, pretty, warnings });
    }
    throw methodNotAllowed();
  }

  private verbOf(method: string, p: ResourcePath, isWatch: boolean): string | undefined {
    const collection = p.name === undefined;
    switch (method) {
      case 'GET':
        return isWatch ? 'watch' : collection ? 'list' : 'get';
      case 'POST':
        return collection ? 'create' : undefined;
      case 'PUT':
        return collection ? undefined : 'update';
      case 'PATCH':
        return collection ? undefined : 'patch';
      case 'DELETE':
        return collection ? 'deletecollection' : 'delete';
      default:
        return undefined;
    }
  }

  private includeObject(q: URLSearchParams): IncludeObject {
    const v = q.get('includeObject');
    if (v === 'None' || v === 'Object' || v === 'Metadata') return v;
    return 'Metadata';
  }

  private renderList(t: ResourceType, items: KubeObject[], listMeta: Record<string, unknown>, format: ResponseFormat, q: URLSearchParams): unknown {
    if (format.kind === 'table') {
      return {
        ...buildTable(t.table ?? DEFAULT_TABLE, items, {
          include: this.includeObject(q),
          resourceVersion: String(listMeta['resourceVersion'] ?? ''),
          ...(listMeta['continue'] ? { continueToken: String(listMeta['continue']) } : {}),
          ...(listMeta['remainingItemCount'] ? { remaining: Number(listMeta['remainingItemCount']) } : {}),
        }),
        apiVersion: `meta.k8s.io/${format.version}`,
      };
    }
    if (format.kind === 'partial') {
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${format.version}`,
        metadata: listMeta,
        items: items.map((o) => ({ ...partialObjectMetadata(o), apiVersion: `meta.k8s.io/${format.version}` })),
      };
    }
    return {
      kind: t.listKind,
      apiVersion: apiVersionOf(t),
      metadata: listMeta,
      items: items.map((o) => (t.builtin ? stripTypeMeta(o) : o)),
    };
  }

  private renderOne(t: ResourceType, o: KubeObject, format: ResponseFormat, q: URLSearchParams, withColumns = true): unknown {
    if (format.kind === 'table') {
      return {
        ...buildTable(t.table ?? DEFAULT_TABLE, [o], { include: this.includeObject(q), resourceVersion: o.metadata?.resourceVersion ?? '', withColumns }),
        apiVersion: `meta.k8s.io/${format.version}`,
      };
    }
    if (format.kind === 'partial') return { ...partialObjectMetadata(o), apiVersion: `meta.k8s.io/${format.version}` };
    return o;
  }

  // ------------------------------------------------------------------ watch

  private watch(res: ServerResponse, t: ResourceType, ns: string | undefined, name: string | undefined, q: URLSearchParams, format: ResponseFormat): void {
    const { api } = this.ctx;
    const sel = api.parseSelectors(t, { labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector') });
    const rvParam = q.get('resourceVersion') ?? '';
    if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(rvParam)}: invalid syntax`);
    const timeoutParam = q.get('timeoutSeconds');
    const timeoutSeconds = timeoutParam !== null ? Number(timeoutParam) : this.ctx.defaultWatchTimeoutSeconds;
    const bookmarks = parseBool(q.get('allowWatchBookmarks')) === true;
    const sendInitialEvents = parseBool(q.get('sendInitialEvents'));
    if (sendInitialEvents === true && (q.get('resourceVersionMatch') !== 'NotOlderThan' || !bookmarks)) {
      throw invalid('meta.k8s.io', 'ListOptions', '', [
        { type: 'FieldValueForbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is allowed only with allowWatchBookmarks=true and resourceVersionMatch=NotOlderThan' },
      ]);
    }
    const key = storageKey(t);
    const inScope = (o: KubeObject): boolean =>
      (ns === undefined || (o.metadata?.namespace ?? '') === ns) && (name === undefined || o.metadata?.name === name) && api.matches(t, o, sel);

    res.writeHead(200, { 'Content-Type': format.kind === 'yaml' ? 'application/json' : format.kind === 'table' ? `application/json;as=Table;v=${format.version};g=meta.k8s.io` : 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    let firstTable = true;
    const write = (type: string, o: KubeObject): void => {
      if (res.destroyed || res.writableEnded) return;
      let object: unknown = o;
      if (type !== 'ERROR' && type !== 'BOOKMARK') {
        if (format.kind === 'table') {
          object = this.renderOne(t, o, format, q, firstTable);
          firstTable = false;
        } else if (format.kind === 'partial') object = { ...partialObjectMetadata(o), apiVersion: `meta.k8s.io/${format.version}` };
      }
      res.write(encode({ type, object }, { kind: 'json' }, false));
    };
    const bookmark = (extraAnnotations?: Record<string, string>): void =>
      write('BOOKMARK', {
        kind: t.kind,
        apiVersion: apiVersionOf(t),
        metadata: { resourceVersion: String(api.store.resourceVersion), ...(extraAnnotations ? { annotations: extraAnnotations } : {}) },
      });
    const deliver = (e: StoreEvent): void => {
      if (e.key !== key) return;
      const cur = asVersion(e.object, t);
      if (e.type === 'ADDED') {
        if (inScope(cur)) write('ADDED', cur);
        return;
      }
      const prev = e.prev ? asVersion(e.prev, t) : cur;
      if (e.type === 'DELETED') {
        if (inScope(prev)) write('DELETED', cur);
        return;
      }
      const now = inScope(cur);
      const before = inScope(prev);
      if (now && before) write('MODIFIED', cur);
      else if (now) write('ADDED', cur);
      else if (before) {
        prev.metadata = { ...prev.metadata, resourceVersion: String(e.rv) };
        write('DELETED', prev);
      }
    };

    let timers: NodeJS.Timeout[] = [];
    let unsubscribe: () => void = () => {};
    let unwatchRegistry: () => void = () => {};
    const end = (): void => {
      this.watches.delete(end);
      unsubscribe();
      unwatchRegistry();
      for (const tm of timers) clearTimeout(tm);
      timers = [];
      if (!res.writableEnded && !res.destroyed) res.end();
    };
    this.watches.add(end);
    // The response's 'close' fires when the client goes away (the request's fires once its body is read).
    res.on('close', end);

    if (rvParam === '' || rvParam === '0' || sendInitialEvents === true) {
      for (const o of api.store.list(key, t.namespaced ? ns : undefined)) {
        const v = asVersion(o, t);
        if (inScope(v)) write('ADDED', v);
      }
      if (sendInitialEvents === true) bookmark({ 'k8s.io/initial-events-end': 'true' });
    } else {
      const events = api.store.eventsSince(Number(rvParam));
      if (events === undefined) {
        write('ERROR', expired(`too old resource version: ${rvParam} (${api.store.oldestResumableVersion + 1})`).toStatus() as unknown as KubeObject);
        end();
        return;
      }
      for (const e of events) deliver(e);
    }
    unsubscribe = api.store.subscribe(deliver);
    unwatchRegistry = api.registry.onChange(() => {
      if (!api.registry.find(t.group, t.version, t.resource)) end();
    });
    if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) {
      const tm = setTimeout(end, timeoutSeconds * 1000);
      tm.unref?.();
      timers.push(tm);
    }
    if (bookmarks && this.ctx.bookmarkIntervalMs > 0) {
      const tick = (): void => {
        bookmark();
        const tm = setTimeout(tick, this.ctx.bookmarkIntervalMs);
        tm.unref?.();
        timers.push(tm);
      };
      const tm = setTimeout(tick, this.ctx.bookmarkIntervalMs);
      tm.unref?.();
      timers.push(tm);
    }
  }

  // ------------------------------------------------------------------ control API

  private async control(req: IncomingMessage, res: ServerResponse, method: string, rest: string[], q: URLSearchParams): Promise<void> {
    const { faults, api, controller } = this.ctx;
    const [what, id] = rest;
    const jsonBody = async (): Promise<unknown> => {
      const text = (await readBody(req)).toString('utf8').trim();
      if (!text) return {};
      try {
        return JSON.parse(text);
      } catch (e) {
        throw badRequest(`invalid JSON: ${(e as Error).message}`);
      }
    };
    if (what === 'faults') {
      if (method === 'GET') return send(res, 200, { faults: faults.list().map((f) => ({ ...f, path: f.path instanceof RegExp ? f.path.source : f.path })) });
      if (method === 'POST') {
        const body = await jsonBody();
        const specs = Array.isArray(body) ? body : [body];
        try {
          const added = specs.map((s) => faults.add(faultSpecFromJson(s)));
          return send(res, 201, { faults: added.map((f) => ({ ...f, path: f.path instanceof RegExp ? f.path.source : f.path })) });
        } catch (e) {
          throw badRequest((e as Error).message);
        }
      }
      if (method === 'DELETE') {
        if (id) {
          if (!faults.remove(id)) throw pathNotFound();
        } else faults.clear();
        return send(res, 200, { faults: faults.list() });
      }
      throw methodNotAllowed();
    }
    if (what === 'objects' && method === 'GET') {
      const group = q.get('group');
      const resource = q.get('resource');
      const namespace = q.get('namespace');
      const items = api.store.all().filter((r) => {
        const [g, res2] = r.key.split('/', 2);
        return (group === null || g === group) && (resource === null || res2 === resource) && (namespace === null || r.namespace === namespace);
      });
      return send(res, 200, { resourceVersion: String(api.store.resourceVersion), items: items.map((r) => ({ key: r.key, namespace: r.namespace, name: r.name, object: r.object })) });
    }
    if (what === 'requests') {
      if (method === 'GET') return send(res, 200, { requests: this.requests });
      if (method === 'DELETE') {
        this.requests.length = 0;
        return send(res, 200, { requests: [] });
      }
      throw methodNotAllowed();
    }
    if (what === 'ready-delay') {
      if (method === 'GET') return send(res, 200, { ms: controller.readyDelayMs });
      if (method === 'PUT' || method === 'POST') {
        const body = await jsonBody();
        const ms = isPlainObject(body) ? Number(body['ms']) : NaN;
        if (!Number.isFinite(ms) || ms < 0) throw badRequest('expected {"ms": <non-negative number>}');
        controller.readyDelayMs = ms;
        return send(res, 200, { ms });
      }
      throw methodNotAllowed();
    }
    if (what === 'never-ready' && (method === 'POST' || method === 'PUT')) {
      const body = await jsonBody();
      if (!isPlainObject(body)) throw badRequest('expected a JSON object');
      controller.neverReady(body as Record<string, string>);
      return send(res, 200, { ok: true });
    }
    if (what === 'compact' && method === 'POST') {
      api.store.compact();
      return send(res, 200, { resourceVersion: String(api.store.resourceVersion) });
    }
    throw pathNotFound();
  }
}
