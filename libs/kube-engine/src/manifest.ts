import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as read from a manifest. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** A reference to one object. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Largest manifest accepted. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** YAML aliases allowed in one manifest (an alias bomb expands exponentially). */
export const MAX_YAML_ALIASES = 100;

/** A manifest that cannot be applied, with the document at fault. */
export class ManifestError extends Error {
  constructor(
    message: string,
    readonly document?: number,
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function refOf(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name ?? '',
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}

/**
 * Parses multi-document YAML (or JSON) into objects, refusing oversized input, alias bombs,
 * documents without apiVersion, kind or metadata.name, and `List` kinds are unwrapped.
 */
export function parseManifest(text: string): KubeObject[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_MANIFEST_BYTES) {
    throw new ManifestError(`the manifest is ${(bytes / 1024 / 1024).toFixed(1)} MiB, over the ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB limit; split it into several`);
  }
  const objects: KubeObject[] = [];
  const documents = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    const number = index + 1;
    if (document.errors.length > 0) {
      throw new ManifestError(`document ${number} is not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`, number);
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      throw new ManifestError(`document ${number} cannot be read: ${(error as Error).message.split('\n')[0]} (YAML aliases are limited to ${MAX_YAML_ALIASES})`, number);
    }
    if (value === null || value === undefined) return;
    const add = (candidate: unknown, where: string): void => {
      if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
        throw new ManifestError(`${where} is not an object`, number);
      }
      const object = candidate as Partial<KubeObject>;
      if (typeof object.apiVersion !== 'string' || object.apiVersion === '') {
        throw new ManifestError(`${where} has no apiVersion; every object needs apiVersion and kind, e.g. apiVersion: v1, kind: ConfigMap`, number);
      }
      if (typeof object.kind !== 'string' || object.kind === '') {
        throw new ManifestError(`${where} (${object.apiVersion}) has no kind`, number);
      }
      if (/List$/.test(object.kind) && Array.isArray((object as { items?: unknown }).items)) {
        (object as { items: unknown[] }).items.forEach((item, i) => add(item, `${where}, item ${i + 1}`));
        return;
      }
      const metadata = object.metadata;
      if (typeof metadata !== 'object' || metadata === null || typeof metadata.name !== 'string' || metadata.name === '') {
        throw new ManifestError(`${where} (${object.kind}) has no metadata.name; applied objects need a name`, number);
      }
      objects.push(object as KubeObject);
    };
    add(value, `document ${number}`);
  });
  if (objects.length === 0) throw new ManifestError('the manifest holds no objects');
  return objects;
}

/** `group` and `version` of an apiVersion (`v1` → core group ''). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
