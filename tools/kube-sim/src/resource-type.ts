/** What the server knows about one served group/version/resource. */
import type { FieldError } from './errors.js';
import type { KubeObject } from './json.js';
import type { SchemaNode } from './schema.js';
import type { TableDef } from './table.js';
import type { NameRule } from './validation.js';

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** Context for defaulting/preparation hooks. */
export interface HookContext {
  allocateClusterIP(): string;
  /** Whether this write is a dry run (allocations must not be observable). */
  dryRun: boolean;
}

export interface ResourceType {
  group: string;
  version: string;
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  status: boolean;
  scale?: ScaleSubresource;
  schema: SchemaNode;
  builtin: boolean;
  /** Whether metadata.generation is maintained. */
  generation: boolean;
  nameRule: NameRule;
  /** DELETE answers with the object rather than a Status (pods, services, custom resources do not). */
  returnDeletedObject: boolean;
  /** Object fields usable in fieldSelector besides metadata.name / metadata.namespace. */
  fieldSelectors?: (obj: KubeObject) => Record<string, string>;
  table?: TableDef;
  /**
   * Checks decoding into the Go type would do (a string where a string is required, base64 data);
   * returns the decode error message, which becomes a 400.
   */
  decodeCheck?: (obj: KubeObject) => string | undefined;
  /** Applied on every write, like SetDefaults_* on decode. */
  defaults?: (obj: KubeObject) => void;
  prepareForCreate?: (obj: KubeObject, ctx: HookContext) => void;
  prepareForUpdate?: (obj: KubeObject, old: KubeObject, ctx: HookContext) => void;
  validate?: (obj: KubeObject) => FieldError[];
  validateUpdate?: (obj: KubeObject, old: KubeObject) => FieldError[];
  /** Name of the CRD that defines this resource. */
  crd?: string;
  /** Whether this version is the CRD's storage version. */
  storage?: boolean;
  /** Create-only review resources (SelfSubjectAccessReview): the answer to a POST, nothing stored. */
  review?: (body: KubeObject) => KubeObject;
  /** Warnings (e.g. deprecation) attached to responses. */
  deprecationWarning?: string;
}

export function apiVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export function storageKey(t: Pick<ResourceType, 'group' | 'resource'>): string {
  return `${t.group}/${t.resource}`;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
