/**
 * The REST semantics of the API server, independent of HTTP: create, get, list, update, the patch
 * formats, server-side apply, delete (with finalizers, propagation and namespace/CRD cleanup
 * hand-off), the status and scale subresources and dry runs.
 */
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { crdVersionSchema, pruneAndDefault, validateAgainstSchema } from './crd.js';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  internalError,
  invalid,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
  type FieldError,
  type GroupResource,
} from './errors.js';
import { clone, deepEqual, isPlainObject, meta, rfc3339, type KubeObject, type ManagedFieldsEntry } from './json.js';
import { applyConfiguration, sameIgnoringManagedFieldTimes, trackUpdate, type FieldContext } from './managed-fields.js';
import { applyJsonPatch, decodeJsonPatch, jsonMergePatch, strategicMergePatch } from './patch.js';
import type { Registry } from './registry.js';
import { apiVersionOf, storageKey, type HookContext, type ResourceType } from './resource-type.js';
import { fromLabelSelectorObject, labelSelectorString, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, type FieldRequirement, type LabelSelector } from './selectors.js';
import type { Store } from './store.js';
import { validateObjectMeta } from './validation.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  userAgent?: string;
  fieldValidation?: FieldValidation;
}

export interface WriteResult {
  object: KubeObject;
  code: number;
  warnings: string[];
}

export interface DeleteOptionsBody {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export interface ListQuery {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continueToken?: string | null;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export const NAMESPACE_FINALIZER = 'kubernetes';
export const CRD_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function groupResource(t: ResourceType): GroupResource {
  return { group: t.group, resource: t.resource };
}

/** The object as served at a type's version: apiVersion/kind of that version first. */
export function asVersion(obj: KubeObject, t: ResourceType): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = clone(obj);
  return { kind: t.kind, apiVersion: apiVersionOf(t), ...rest };
}

/** managerOrUserAgent: the default field manager is the User-Agent up to its first "/". */
export function managerName(opts: WriteOptions): string {
  if (opts.fieldManager) return opts.fieldManager;
  const ua = opts.userAgent ?? '';
  return ua.split('/')[0]!.slice(0, 128);
}

function specChanged(a: KubeObject, b: KubeObject, ignoreStatus: boolean): boolean {
  const strip = (o: KubeObject): Record<string, unknown> => {
    const c: Record<string, unknown> = { ...o };
    delete c['metadata'];
    delete c['apiVersion'];
    delete c['kind'];
    if (ignoreStatus) delete c['status'];
    return c;
  };
  return !deepEqual(strip(a), strip(b));
}

function getPath(obj: unknown, dotted: string): unknown {
  let node = obj;
  for (const part of dotted.replace(/^\./, '').split('.')) {
    if (!isPlainObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.replace(/^\./, '').split('.');
  let node = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

export interface ApiHooks {
  /** Called after an object was removed from storage. */
  onDeleted?: (t: ResourceType, obj: KubeObject, propagation: 'Orphan' | 'Background' | 'Foreground') => void;
}

export class Api {
  private nextClusterIP = 10;
  hooks: ApiHooks = {};

  constructor(
    readonly registry: Registry,
    readonly store: Store,
  ) {}

  private hookContext(dryRun: boolean): HookContext {
    return {
      dryRun,
      allocateClusterIP: () => {
        const n = this.nextClusterIP++;
        return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
      },
    };
  }

  fieldContext(t: ResourceType, subresource?: string): FieldContext {
    const statusOnly = subresource === 'status';
    return {
      schema: t.schema,
      builtin: t.builtin,
      ignored: (top) => (statusOnly ? top !== 'status' : t.status && top === 'status'),
    };
  }

  /** The type whose version objects of `t` are stored in (matters for multi-version CRDs). */
  private key(t: ResourceType): string {
    return storageKey(t);
  }

  private namespaceOf(t: ResourceType, ns: string | undefined): string {
    return t.namespaced ? (ns ?? '') : '';
  }

  get(t: ResourceType, ns: string | undefined, name: string): KubeObject {
    const o = this.store.get(this.key(t), this.namespaceOf(t, ns), name);
    if (!o) throw notFound(groupResource(t), name);
    return asVersion(o, t);
  }

  find(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const o = this.store.get(this.key(t), this.namespaceOf(t, ns), name);
    return o ? asVersion(o, t) : undefined;
  }

  // ---------------------------------------------------------------- selectors

  parseSelectors(t: ResourceType, q: Pick<ListQuery, 'labelSelector' | 'fieldSelector'>): { labels: LabelSelector; fields: FieldRequirement[] } {
    const labels = parseLabelSelector(q.labelSelector);
    const fields = parseFieldSelector(q.fieldSelector);
    const known = new Set(['metadata.name', 'metadata.namespace']);
    if (t.fieldSelectors) for (const k of Object.keys(t.fieldSelectors({}))) known.add(k);
    for (const f of fields) {
      if (known.has(f.field)) continue;
      if (!t.builtin) throw badRequest(`"${f.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
      throw badRequest(`field label not supported: ${f.field}`);
    }
    return { labels, fields };
  }

  objectFields(t: ResourceType, o: KubeObject): Record<string, string> {
    return {
      'metadata.name': o.metadata?.name ?? '',
      'metadata.namespace': o.metadata?.namespace ?? '',
      ...(t.fieldSelectors ? t.fieldSelectors(o) : {}),
    };
  }

  matches(t: ResourceType, o: KubeObject, sel: { labels: LabelSelector; fields: FieldRequirement[] }): boolean {
    return matchesLabels(sel.labels, o.metadata?.labels) && matchesFields(sel.fields, this.objectFields(t, o));
  }

  list(t: ResourceType, ns: string | undefined, q: ListQuery): ListResult {
    const sel = this.parseSelectors(t, q);
    const rv = String(this.store.resourceVersion);
    let objs = this.store.list(this.key(t), t.namespaced ? ns : undefined).filter((o) => this.matches(t, o, sel));
    if (q.continueToken) {
      let start: string;
      try {
        const token = JSON.parse(Buffer.from(q.continueToken, 'base64url').toString('utf8')) as { start?: string };
        if (typeof token.start !== 'string') throw new Error('no start');
        start = token.start;
      } catch {
        throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
      }
      objs = objs.filter((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}` > start);
    }
    const result: ListResult = { items: [], resourceVersion: rv };
    if (q.limit && q.limit > 0 && objs.length > q.limit) {
      const page = objs.slice(0, q.limit);
      const last = page[page.length - 1]!;
      const start = `${last.metadata?.namespace ?? ''}/${last.metadata?.name ?? ''}`;
      result.continueToken = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start })).toString('base64url');
      result.remainingItemCount = objs.length - q.limit;
      objs = page;
    }
    result.items = objs.map((o) => asVersion(o, t));
    return result;
  }

  // ---------------------------------------------------------------- decoding

  private decodeBody(raw: unknown, t: ResourceType): KubeObject {
    if (!isPlainObject(raw)) {
      throw badRequest(`the object provided is unrecognized (must be of type ${t.kind}): couldn't get version/kind; json parse error: expected an object`);
    }
    const obj = clone(raw) as KubeObject;
    const expected = apiVersionOf(t);
    if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== expected) {
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`);
    }
    if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== t.kind) {
      if (t.builtin) {
        throw badRequest(
          `${String(obj.kind)} in version "${t.version}" cannot be handled as a ${t.kind}: converting (${t.version}.${String(obj.kind)}) to (${t.group || 'core'}.${t.kind}): unknown conversion`,
        );
      }
      throw invalid(t.group, t.kind, obj.metadata?.name ?? '', [{ type: 'FieldValueInvalid', field: 'kind', value: obj.kind, detail: `must be ${t.kind}` }]);
    }
    if (obj.metadata !== undefined && !isPlainObject(obj.metadata)) {
      throw badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: json: cannot unmarshal into Go struct field ${t.kind}.metadata of type v1.ObjectMeta`);
    }
    obj.apiVersion = expected;
    obj.kind = t.kind;
    meta(obj);
    return obj;
  }

  /** What decoding into the Go type would reject (400 "X in version ... cannot be handled as a X: ..."). */
  private checkDecodable(t: ResourceType, obj: KubeObject): void {
    const problem = t.decodeCheck?.(obj);
    if (problem) throw badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: ${problem}`);
  }

  private checkNamespaceForCreate(t: ResourceType, ns: string, name: string): void {
    if (!t.namespaced) return;
    const nsObj = this.store.get('/namespaces', '', ns);
    if (!nsObj) throw notFound({ group: '', resource: 'namespaces' }, ns);
    if (nsObj.metadata?.deletionTimestamp) {
      const message = `unable to create new content in namespace ${ns} because it is being terminated`;
      throw forbidden(groupResource(t), name, message, [{ reason: 'NamespaceTerminating', message, field: 'metadata.namespace' }]);
    }
  }

  private checkCrdNotTerminating(t: ResourceType): void {
    if (!t.crd) return;
    const crd = this.store.get('apiextensions.k8s.io/customresourcedefinitions', '', t.crd);
    if (crd?.metadata?.deletionTimestamp) {
      const err = methodNotAllowed();
      throw new ApiError(405, 'MethodNotAllowed', `create not allowed while custom resource definition is terminating`, err.details);
    }
  }

  /** Pruning, defaulting and validation of custom resources against their structural schema. */
  private applyCrdSchema(t: ResourceType, obj: KubeObject, validation: FieldValidation): { warnings: string[]; errors: FieldError[] } {
    if (!t.crd) return { warnings: [], errors: [] };
    const crd = this.store.get('apiextensions.k8s.io/customresourcedefinitions', '', t.crd);
    const schema = crd ? crdVersionSchema(crd, t.version) : undefined;
    const unknown = pruneAndDefault(obj, schema);
    const warnings: string[] = [];
    if (unknown.length > 0) {
      if (validation === 'Strict') {
        throw badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
      }
      if (validation === 'Warn') for (const u of unknown) warnings.push(`unknown field "${u}"`);
    }
    return { warnings, errors: validateAgainstSchema(obj, schema) };
  }

  private validateAll(t: ResourceType, obj: KubeObject, old: KubeObject | undefined, extra: FieldError[]): void {
    const errs = [
      ...validateObjectMeta(meta(obj), { namespaced: t.namespaced, nameRule: t.nameRule, requireName: true }),
      ...extra,
      ...(t.validate ? t.validate(obj) : []),
      ...(old && t.validateUpdate ? t.validateUpdate(obj, old) : []),
    ];
    if (errs.length > 0) throw invalid(t.group, t.kind, obj.metadata?.name ?? '', errs);
  }

  // ---------------------------------------------------------------- create

  create(t: ResourceType, ns: string | undefined, body: unknown, opts: WriteOptions, precomputed?: { managedFields: unknown }): WriteResult {
    const obj = this.decodeBody(body, t);
    this.checkDecodable(t, obj);
    const m = meta(obj);
    const namespace = this.namespaceOf(t, ns);
    if (t.namespaced) {
      if (m.namespace && m.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      m.namespace = namespace;
    } else delete m.namespace;
    if (m.resourceVersion) throw internalError('resourceVersion should not be set on objects to be created');
    if (!m.name && m.generateName) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
      m.name = `${m.generateName.slice(0, 58)}${suffix}`;
    }
    this.checkNamespaceForCreate(t, namespace, m.name ?? '');
    this.checkCrdNotTerminating(t);
    const dryRun = opts.dryRun ?? false;
    m.uid = randomUUID();
    m.creationTimestamp = rfc3339();
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    delete m.selfLink;
    if (t.generation) m.generation = 1;
    else delete m.generation;
    if (t.status) {
      if (t.builtin) obj['status'] = {};
      else delete obj['status'];
    }
    const ctx = this.hookContext(dryRun);
    t.prepareForCreate?.(obj, ctx);
    t.defaults?.(obj);
    const schemaResult = this.applyCrdSchema(t, obj, opts.fieldValidation ?? 'Warn');
    this.validateAll(t, obj, undefined, schemaResult.errors);
    if (this.store.get(this.key(t), namespace, m.name!)) throw alreadyExists(groupResource(t), m.name!);
    const requested = m.managedFields;
    delete m.managedFields;
    const managedFields = precomputed
      ? precomputed.managedFields
      : trackUpdate({
          live: undefined,
          updated: obj,
          ctx: this.fieldContext(t),
          manager: managerName(opts),
          apiVersion: apiVersionOf(t),
          now: rfc3339(),
          requested,
        });
    if (Array.isArray(managedFields) && managedFields.length > 0) m.managedFields = managedFields as ManagedFieldsEntry[];
    if (dryRun) return { object: asVersion(obj, t), code: 201, warnings: schemaResult.warnings };
    const stored = this.store.create(this.key(t), asVersion(obj, this.storageType(t)));
    return { object: asVersion(stored, t), code: 201, warnings: schemaResult.warnings };
  }

  private storageType(t: ResourceType): ResourceType {
    return this.registry.storageTypeOf(t.group, t.resource) ?? t;
  }

  // ---------------------------------------------------------------- update

  update(t: ResourceType, ns: string | undefined, name: string, body: unknown, opts: WriteOptions, subresource?: 'status'): WriteResult {
    const obj = this.decodeBody(body, t);
    const m = meta(obj);
    const namespace = this.namespaceOf(t, ns);
    if (m.name !== name) throw badRequest(`the name of the object (${m.name ?? ''}) does not match the name on the URL (${name})`);
    if (t.namespaced && m.namespace && m.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const live = this.store.get(this.key(t), namespace, name);
    if (!live) throw notFound(groupResource(t), name);
    if (!m.resourceVersion && !t.builtin) {
      throw invalid(t.group, t.kind, name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', valueText: '0x0', detail: 'must be specified for an update' }]);
    }
    if (m.resourceVersion && m.resourceVersion !== live.metadata?.resourceVersion) throw conflict(groupResource(t), name);
    if (m.uid && m.uid !== live.metadata?.uid) {
      throw conflict(groupResource(t), name, `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${live.metadata?.uid ?? ''}`);
    }
    return this.commitUpdate(t, live, obj, opts, { subresource, requested: m.managedFields });
  }

  /**
   * The shared tail of PUT, PATCH and apply: system metadata and status handling, defaults,
   * validation, generation, managed fields, no-op detection, finalizer-driven deletion, storage.
   */
  commitUpdate(
    t: ResourceType,
    liveStored: KubeObject,
    next: KubeObject,
    opts: WriteOptions,
    extra: { subresource?: 'status' | 'scale'; requested?: unknown; applied?: boolean },
  ): WriteResult {
    const live = asVersion(liveStored, t);
    const lm = live.metadata ?? {};
    const dryRun = opts.dryRun ?? false;
    let obj = clone(next);
    obj.apiVersion = apiVersionOf(t);
    obj.kind = t.kind;
    this.checkDecodable(t, obj);
    const m = meta(obj);
    for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'resourceVersion', 'namespace', 'name'] as const) {
      if (lm[k] === undefined) delete m[k];
      else (m as Record<string, unknown>)[k] = lm[k];
    }
    delete m.selfLink;
    const incomingManaged = extra.applied ? m.managedFields : extra.requested;
    if (extra.subresource === 'status') {
      const status = obj['status'];
      const base = clone(live);
      if (status === undefined) delete base['status'];
      else base['status'] = status;
      obj = base;
    } else if (t.status) {
      if (live['status'] === undefined) delete obj['status'];
      else obj['status'] = clone(live['status']);
    }
    const om = meta(obj);
    delete om.managedFields;
    const ctx = this.hookContext(dryRun);
    t.prepareForUpdate?.(obj, live, ctx);
    t.defaults?.(obj);
    const schemaResult = this.applyCrdSchema(t, obj, opts.fieldValidation ?? 'Warn');
    this.validateAll(t, obj, live, schemaResult.errors);
    if (t.generation && specChanged(live, obj, t.status)) om.generation = (lm.generation ?? 0) + 1;
    const fctx = this.fieldContext(t, extra.subresource === 'status' ? 'status' : undefined);
    const managedFields = extra.applied
      ? incomingManaged
      : trackUpdate({
          live,
          updated: obj,
          ctx: fctx,
          manager: managerName(opts),
          apiVersion: apiVersionOf(t),
          ...(extra.subresource ? { subresource: extra.subresource } : {}),
          now: rfc3339(),
          requested: incomingManaged,
        });
    if (Array.isArray(managedFields) && managedFields.length > 0) om.managedFields = managedFields as ManagedFieldsEntry[];
    if (sameIgnoringManagedFieldTimes(live, obj)) return { object: live, code: 200, warnings: schemaResult.warnings };
    if (om.deletionTimestamp && (om.finalizers ?? []).length === 0) {
      if (!dryRun) {
        const deleted = this.store.delete(this.key(t), om.namespace ?? '', om.name ?? '');
        if (deleted) this.hooks.onDeleted?.(t, deleted, 'Background');
      }
      return { object: obj, code: 200, warnings: schemaResult.warnings };
    }
    if (dryRun) return { object: obj, code: 200, warnings: schemaResult.warnings };
    const stored = this.store.update(this.key(t), asVersion(obj, this.storageType(t)));
    return { object: asVersion(stored, t), code: 200, warnings: schemaResult.warnings };
  }

  // ---------------------------------------------------------------- patch

  patch(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    contentType: string,
    rawBody: string,
    opts: WriteOptions & { force?: boolean },
    subresource?: 'status',
  ): WriteResult {
    const isApply = contentType === PATCH_TYPES.apply;
    const optionErrors: FieldError[] = [];
    if (!isApply && opts.force !== undefined) {
      optionErrors.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
    }
    if (isApply && !opts.fieldManager) optionErrors.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
    if (optionErrors.length > 0) throw invalid('meta.k8s.io', 'PatchOptions', '', optionErrors);
    const accepted = t.builtin ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply, PATCH_TYPES.strategic] : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply];
    if (!(accepted as string[]).includes(contentType)) throw unsupportedMediaType(accepted);
    if (isApply) return this.apply(t, ns, name, rawBody, opts, subresource);

    const namespace = this.namespaceOf(t, ns);
    const liveStored = this.store.get(this.key(t), namespace, name);
    if (!liveStored) throw notFound(groupResource(t), name);
    const live = asVersion(liveStored, t);
    let patchBody: unknown;
    try {
      patchBody = JSON.parse(rawBody);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    let patched: unknown;
    if (contentType === PATCH_TYPES.json) patched = applyJsonPatch(live, decodeJsonPatch(patchBody));
    else if (contentType === PATCH_TYPES.merge) {
      if (!isPlainObject(patchBody)) throw badRequest('merge patch must be a JSON object');
      patched = jsonMergePatch(live, patchBody);
    } else patched = strategicMergePatch(live, patchBody, t.schema);
    if (!isPlainObject(patched)) throw badRequest(`the patched object is not a ${t.kind}`);
    const obj = patched as KubeObject;
    if (obj.apiVersion !== live.apiVersion || obj.kind !== live.kind) {
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${String(live.apiVersion)})`);
    }
    const m = meta(obj);
    if (m.name !== name) throw badRequest(`the name of the object (${m.name ?? ''}) does not match the name on the URL (${name})`);
    if (m.resourceVersion && m.resourceVersion !== live.metadata?.resourceVersion) throw conflict(groupResource(t), name);
    if (m.uid && m.uid !== live.metadata?.uid) {
      throw conflict(groupResource(t), name, `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${live.metadata?.uid ?? ''}`);
    }
    return this.commitUpdate(t, liveStored, obj, opts, { subresource, requested: m.managedFields });
  }

  private apply(t: ResourceType, ns: string | undefined, name: string, rawBody: string, opts: WriteOptions & { force?: boolean }, subresource?: 'status'): WriteResult {
    let config: unknown;
    try {
      config = parseYaml(rawBody);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isPlainObject(config)) throw badRequest('error decoding YAML: the apply patch must be an object');
    const cfg = config as KubeObject;
    if (isPlainObject(cfg.metadata) && cfg.metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
    const expected = apiVersionOf(t);
    if (cfg.apiVersion !== expected) {
      throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${String(cfg.apiVersion ?? '')}, expected: ${expected}`);
    }
    if (cfg.kind !== t.kind) {
      throw badRequest(`${String(cfg.kind ?? '')} in version "${t.version}" cannot be handled as a ${t.kind}: the kind in the apply patch must be ${t.kind}`);
    }
    const cm = meta(cfg);
    if (cm.name !== name) throw badRequest(`the name of the object (${cm.name ?? ''}) does not match the name on the URL (${name})`);
    const namespace = this.namespaceOf(t, ns);
    if (t.namespaced && cm.namespace && cm.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const liveStored = this.store.get(this.key(t), namespace, name);
    const now = rfc3339();
    const manager = opts.fieldManager!;
    if (!liveStored) {
      if (subresource) throw notFound(groupResource(t), name);
      if (cm.resourceVersion) throw conflict(groupResource(t), name);
      const merged = applyConfiguration({ live: undefined, config: cfg, ctx: this.fieldContext(t), manager, apiVersion: expected, force: true, now });
      const managedFields = merged.metadata?.managedFields;
      if (merged.metadata) delete merged.metadata.managedFields;
      return this.create(t, ns, merged, opts, { managedFields });
    }
    const live = asVersion(liveStored, t);
    if (cm.resourceVersion && cm.resourceVersion !== live.metadata?.resourceVersion) throw conflict(groupResource(t), name);
    const merged = applyConfiguration({
      live,
      config: cfg,
      ctx: this.fieldContext(t, subresource),
      manager,
      apiVersion: expected,
      force: opts.force === true,
      ...(subresource ? { subresource } : {}),
      now,
    });
    return this.commitUpdate(t, liveStored, merged, opts, { subresource, applied: true });
  }

  // ---------------------------------------------------------------- scale

  getScale(t: ResourceType, ns: string | undefined, name: string): KubeObject {
    const o = this.get(t, ns, name);
    return this.toScale(t, o);
  }

  private toScale(t: ResourceType, o: KubeObject): KubeObject {
    const scale = t.scale!;
    let selector = '';
    if (t.builtin) {
      const sel = fromLabelSelectorObject(getPath(o, '.spec.selector'));
      const matchLabels = getPath(o, '.spec.selector');
      if (sel) selector = labelSelectorString(sel);
      else if (isPlainObject(matchLabels)) selector = Object.entries(matchLabels).map(([k, v]) => `${k}=${String(v)}`).join(',');
    } else if (scale.labelSelectorPath) selector = String(getPath(o, scale.labelSelectorPath) ?? '');
    const m = o.metadata ?? {};
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: m.name,
        ...(m.namespace ? { namespace: m.namespace } : {}),
        uid: m.uid,
        resourceVersion: m.resourceVersion,
        creationTimestamp: m.creationTimestamp,
      },
      spec: { replicas: Number(getPath(o, scale.specReplicasPath) ?? 0) },
      status: { replicas: Number(getPath(o, scale.statusReplicasPath) ?? 0), ...(selector ? { selector } : {}) },
    };
  }

  updateScale(t: ResourceType, ns: string | undefined, name: string, body: unknown, opts: WriteOptions): WriteResult {
    if (!isPlainObject(body)) throw badRequest('the object provided is unrecognized (must be of type Scale)');
    const namespace = this.namespaceOf(t, ns);
    const liveStored = this.store.get(this.key(t), namespace, name);
    if (!liveStored) throw notFound(groupResource(t), name);
    const rv = isPlainObject(body['metadata']) ? body['metadata']['resourceVersion'] : undefined;
    if (rv && rv !== liveStored.metadata?.resourceVersion) throw conflict(groupResource(t), name);
    const replicas = isPlainObject(body['spec']) ? body['spec']['replicas'] : undefined;
    if (typeof replicas !== 'number' || replicas < 0) {
      throw invalid('autoscaling', 'Scale', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas ?? null, detail: 'must be greater than or equal to 0' }]);
    }
    const next = asVersion(liveStored, t);
    setPath(next as Record<string, unknown>, t.scale!.specReplicasPath, replicas);
    const result = this.commitUpdate(t, liveStored, next, opts, { subresource: 'scale' });
    return { ...result, object: this.toScale(t, result.object) };
  }

  patchScale(t: ResourceType, ns: string | undefined, name: string, contentType: string, rawBody: string, opts: WriteOptions): WriteResult {
    const current = this.getScale(t, ns, name);
    let patchBody: unknown;
    try {
      patchBody = contentType === PATCH_TYPES.apply ? parseYaml(rawBody) : JSON.parse(rawBody);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    let patched: unknown;
    if (contentType === PATCH_TYPES.json) patched = applyJsonPatch(current, decodeJsonPatch(patchBody));
    else if (contentType === PATCH_TYPES.merge || contentType === PATCH_TYPES.apply) patched = jsonMergePatch(current, patchBody);
    else if (contentType === PATCH_TYPES.strategic) patched = strategicMergePatch(current, patchBody, undefined);
    else throw unsupportedMediaType([PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply, PATCH_TYPES.strategic]);
    return this.updateScale(t, ns, name, patched, opts);
  }

  // ---------------------------------------------------------------- delete

  defaultPropagation(t: ResourceType): 'Orphan' | 'Background' {
    return (t.group === 'batch' && t.resource === 'jobs') || (t.group === '' && t.resource === 'replicationcontrollers') ? 'Orphan' : 'Background';
  }

  delete(t: ResourceType, ns: string | undefined, name: string, options: DeleteOptionsBody, dryRun: boolean): { body: KubeObject; code: number } {
    const namespace = this.namespaceOf(t, ns);
    const liveStored = this.store.get(this.key(t), namespace, name);
    if (!liveStored) throw notFound(groupResource(t), name);
    const live = asVersion(liveStored, t);
    const lm = live.metadata ?? {};
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== lm.uid) {
      throw conflict(groupResource(t), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${lm.uid ?? ''}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== lm.resourceVersion) {
      throw conflict(groupResource(t), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${lm.resourceVersion ?? ''}`);
    }
    let propagation = options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : options.orphanDependents === false ? 'Background' : this.defaultPropagation(t));
    if (!['Orphan', 'Background', 'Foreground'].includes(propagation)) {
      throw invalid('meta.k8s.io', 'DeleteOptions', '', [{ type: 'FieldValueNotSupported', field: 'propagationPolicy', value: propagation, supported: ['Foreground', 'Background', 'Orphan', 'nil'] }]);
    }
    const isNamespace = t.group === '' && t.resource === 'namespaces';
    const isCrd = t.group === 'apiextensions.k8s.io' && t.resource === 'customresourcedefinitions';
    const finalizers = [...(lm.finalizers ?? [])];
    if (isCrd && !finalizers.includes(CRD_FINALIZER)) finalizers.push(CRD_FINALIZER);
    if (propagation === 'Foreground' && !finalizers.includes(FOREGROUND_FINALIZER)) finalizers.push(FOREGROUND_FINALIZER);
    const namespaceFinalizers = isNamespace && isPlainObject(live['spec']) && Array.isArray(live['spec']['finalizers']) ? live['spec']['finalizers'] : [];
    const graceful = finalizers.length > 0 || namespaceFinalizers.length > 0;
    if (isNamespace && lm.deletionTimestamp && namespaceFinalizers.length > 0) {
      throw conflict(
        groupResource(t),
        name,
        'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      );
    }

    if (graceful) {
      const next = clone(live);
      const m = meta(next);
      if (!m.deletionTimestamp) {
        m.deletionTimestamp = rfc3339();
        m.deletionGracePeriodSeconds = 0;
      }
      m.finalizers = finalizers;
      if (m.finalizers.length === 0) delete m.finalizers;
      if (isNamespace) next['status'] = { ...(isPlainObject(next['status']) ? next['status'] : {}), phase: 'Terminating' };
      if (isCrd) {
        const status = isPlainObject(next['status']) ? next['status'] : {};
        const conditions = (Array.isArray(status['conditions']) ? status['conditions'] : []).filter((c) => !(isPlainObject(c) && c['type'] === 'Terminating'));
        conditions.push({
          type: 'Terminating',
          status: 'True',
          lastTransitionTime: rfc3339(),
          reason: 'InstanceDeletionPending',
          message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
        });
        next['status'] = { ...status, conditions };
      }
      if (dryRun || deepEqual(next, live)) return { body: next, code: 200 };
      const stored = this.store.update(this.key(t), asVersion(next, this.storageType(t)));
      const served = asVersion(stored, t);
      if (propagation === 'Orphan') this.hooks.onDeleted?.(t, served, 'Orphan');
      return { body: served, code: 200 };
    }
    if (dryRun) return { body: t.returnDeletedObject ? live : this.deleteStatus(t, live), code: 200 };
    const deleted = this.store.delete(this.key(t), namespace, name);
    const served = asVersion(deleted ?? liveStored, t);
    this.hooks.onDeleted?.(t, served, propagation);
    return { body: t.returnDeletedObject ? served : this.deleteStatus(t, served), code: 200 };
  }

  private deleteStatus(t: ResourceType, o: KubeObject): KubeObject {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: o.metadata?.name, ...(t.group ? { group: t.group } : {}), kind: t.resource, uid: o.metadata?.uid },
    };
  }

  deleteCollection(t: ResourceType, ns: string | undefined, q: ListQuery, options: DeleteOptionsBody, dryRun: boolean): KubeObject {
    const { items, resourceVersion } = this.list(t, ns, { labelSelector: q.labelSelector ?? null, fieldSelector: q.fieldSelector ?? null });
    const deleted: KubeObject[] = [];
    for (const item of items) {
      try {
        const r = this.delete(t, item.metadata?.namespace, item.metadata?.name ?? '', options, dryRun);
        deleted.push(r.body.kind === 'Status' ? item : r.body);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    return {
      kind: t.listKind,
      apiVersion: apiVersionOf(t),
      metadata: { resourceVersion },
      items: deleted.map((o) => (t.builtin ? stripTypeMeta(o) : o)),
    };
  }
}

/** Built-in list items are served without apiVersion/kind, as the real server does. */
export function stripTypeMeta(o: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}
