/**
 * A minimal OpenAPI v3 surface: /openapi/v3 lists one document per served group/version, and each
 * document describes the PATCH operation of every resource with its `x-kubernetes-group-version-kind`,
 * its query parameters (notably `fieldValidation`, which is how kubectl decides that the server
 * validates fields itself) and the patch media types. It carries no schemas, so kubectl falls back
 * to its compiled-in types for client-side strategic merge patches and does no client-side
 * schema validation.
 *
 * /openapi/v2 is the same surface as a Swagger 2.0 document, served as JSON or — what kubectl 1.28
 * asks for before `apply`/`create` to decide whether to send `fieldValidation` — as the gnostic
 * `openapi.v2.Document` protobuf (application/com.github.proto-openapi.spec.v2@v1.0+protobuf).
 * Strategic merge patch is deliberately not listed among the PATCH `consumes`, so kubectl builds
 * client-side apply patches from its compiled-in types (as it does against a real server when the
 * OpenAPI has no model for a kind) instead of printing warnings about missing models.
 */
import { createHash } from 'node:crypto';
import type { Registry } from './registry.js';
import { apiVersionOf, type ResourceType } from './resource-type.js';

export function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function gvDocument(types: ResourceType[], serverVersion: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const query = (name: string, type = 'string'): Record<string, unknown> => ({ name, in: 'query', schema: { type, uniqueItems: true } });
  for (const t of types) {
    const gvk = { group: t.group, version: t.version, kind: t.kind };
    const base = `/${gvPath(t.group, t.version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}`;
    const opId = (verb: string): string => `${verb}${(t.group || 'core').replace(/\..*/, '').replace(/^./, (c) => c.toUpperCase())}${t.version.replace(/^./, (c) => c.toUpperCase())}${t.namespaced ? 'Namespaced' : ''}${t.kind}`;
    const bodyContent = (types: string[]): Record<string, unknown> => Object.fromEntries(types.map((ct) => [ct, { schema: { type: 'object' } }]));
    const params = [
      { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
      ...(t.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : []),
    ];
    paths[`${base}/{name}`] = {
      get: { operationId: opId('read'), responses: { '200': { description: 'OK' } }, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk },
      put: {
        operationId: opId('replace'),
        parameters: [query('dryRun'), query('fieldManager'), query('fieldValidation')],
        requestBody: { content: bodyContent(['*/*']), required: true },
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind': gvk,
      },
      patch: {
        operationId: opId('patch'),
        parameters: [query('dryRun'), query('fieldManager'), query('fieldValidation'), query('force', 'boolean')],
        requestBody: { content: bodyContent(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']), required: true },
        responses: { '200': { description: 'OK' }, '201': { description: 'Created' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
      },
      delete: { operationId: opId('delete'), responses: { '200': { description: 'OK' } }, 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk },
      parameters: params,
    };
    paths[base] = {
      get: { operationId: opId('list'), responses: { '200': { description: 'OK' } }, 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk },
      post: {
        operationId: opId('create'),
        parameters: [query('dryRun'), query('fieldManager'), query('fieldValidation')],
        requestBody: { content: bodyContent(['*/*']), required: true },
        responses: { '201': { description: 'Created' } },
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': gvk,
      },
      ...(t.namespaced ? { parameters: [params[1]] } : {}),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion },
    paths,
    components: { schemas: {} },
  };
}

export class OpenApi {
  constructor(
    private readonly registry: Registry,
    private readonly serverVersion: string,
  ) {}

  private groupVersions(): { group: string; version: string; types: ResourceType[] }[] {
    const m = new Map<string, { group: string; version: string; types: ResourceType[] }>();
    for (const t of this.registry.all()) {
      const k = apiVersionOf(t);
      const entry = m.get(k) ?? { group: t.group, version: t.version, types: [] };
      entry.types.push(t);
      m.set(k, entry);
    }
    return [...m.values()];
  }

  root(): Record<string, unknown> {
    const paths: Record<string, unknown> = {};
    for (const gv of this.groupVersions()) {
      const doc = JSON.stringify(gvDocument(gv.types, this.serverVersion));
      const hash = createHash('sha512').update(doc).digest('hex').slice(0, 128).toUpperCase();
      const p = gvPath(gv.group, gv.version);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
    }
    return { paths };
  }

  /** The document for `api/v1` or `apis/<group>/<version>`, or undefined. */
  document(path: string): Record<string, unknown> | undefined {
    const gv = this.groupVersions().find((x) => gvPath(x.group, x.version) === path);
    return gv ? gvDocument(gv.types, this.serverVersion) : undefined;
  }
}

// ---------------------------------------------------------------- OpenAPI v2 (Swagger 2.0)

const V2_CONSUMES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

interface V2Operation {
  path: string;
  operationId: string;
  gvk: { group: string; version: string; kind: string };
}

function v2Operations(registry: Registry): V2Operation[] {
  return registry.all().map((t) => {
    const base = `/${gvPath(t.group, t.version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}/{name}`;
    const group = (t.group || 'core').replace(/\..*/, '');
    const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
    return { path: base, operationId: `patch${cap(group)}${cap(t.version)}${t.namespaced ? 'Namespaced' : ''}${t.kind}`, gvk: { group: t.group, version: t.version, kind: t.kind } };
  });
}

/** The Swagger 2.0 document as JSON. */
export function openApiV2Json(registry: Registry, serverVersion: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const op of v2Operations(registry)) {
    paths[op.path] = {
      patch: {
        consumes: V2_CONSUMES,
        produces: ['application/json', 'application/yaml'],
        operationId: op.operationId,
        parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({ uniqueItems: true, type: name === 'force' ? 'boolean' : 'string', name, in: 'query' })),
        responses: { '200': { description: 'OK' }, '201': { description: 'Created' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': op.gvk,
      },
    };
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: serverVersion }, paths };
}

/** Minimal protobuf writer: just the wire types the gnostic document needs (varint and length-delimited). */
class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private varint(n: number): void {
    const bytes: number[] = [];
    let v = n >>> 0;
    while (v > 0x7f) {
      bytes.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    bytes.push(v);
    this.parts.push(Buffer.from(bytes));
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  bool(field: number, value: boolean): this {
    this.varint((field << 3) | 0);
    this.varint(value ? 1 : 0);
    return this;
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  private bytes(field: number, value: Buffer): this {
    this.varint((field << 3) | 2);
    this.varint(value.length);
    this.parts.push(value);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/**
 * The document as an openapi.v2.Document protobuf (field numbers from gnostic's OpenAPIv2.proto:
 * Document.swagger=1 info=2 paths=8; Paths.path=2; NamedPathItem.name=1 value=2; PathItem.patch=8;
 * Operation.produces=6 consumes=7 operation_id=5 parameters=8 responses=9 vendor_extension=13;
 * ParametersItem.parameter=1; Parameter.non_body_parameter=2; NonBodyParameter.query_parameter_sub_schema=3;
 * QueryParameterSubSchema.in=2 name=4 type=6 unique_items=20; Responses.response_code=1;
 * NamedResponseValue.name=1 value=2; ResponseValue.response=1; Response.description=1;
 * NamedAny.name=1 value=2; Any.yaml=2; Info.title=1 version=2).
 */
export function openApiV2Protobuf(registry: Registry, serverVersion: string): Buffer {
  const w = new ProtoWriter();
  w.string(1, '2.0');
  w.message(2, (info) => info.string(1, 'Kubernetes').string(2, serverVersion));
  w.message(8, (paths) => {
    for (const op of v2Operations(registry)) {
      paths.message(2, (named) => {
        named.string(1, op.path);
        named.message(2, (item) =>
          item.message(8, (o) => {
            o.string(5, op.operationId);
            for (const p of ['application/json', 'application/yaml']) o.string(6, p);
            for (const c of V2_CONSUMES) o.string(7, c);
            for (const name of ['dryRun', 'fieldManager', 'fieldValidation', 'force']) {
              o.message(8, (pi) =>
                pi.message(1, (param) =>
                  param.message(2, (nb) => nb.message(3, (qp) => qp.string(2, 'query').string(4, name).string(6, name === 'force' ? 'boolean' : 'string').bool(20, true))),
                ),
              );
            }
            o.message(9, (responses) => {
              for (const [code, description] of [
                ['200', 'OK'],
                ['201', 'Created'],
              ] as const) {
                responses.message(1, (nrv) => nrv.string(1, code).message(2, (rv) => rv.message(1, (r) => r.string(1, description))));
              }
            });
            o.message(13, (ext) => ext.string(1, 'x-kubernetes-action').message(2, (any) => any.string(2, 'patch\n')));
            o.message(13, (ext) =>
              ext
                .string(1, 'x-kubernetes-group-version-kind')
                .message(2, (any) => any.string(2, `group: ${JSON.stringify(op.gvk.group)}\nkind: ${op.gvk.kind}\nversion: ${op.gvk.version}\n`)),
            );
          }),
        );
      });
    }
  });
  return w.finish();
}
