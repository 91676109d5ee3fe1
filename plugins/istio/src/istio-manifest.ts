import { PluginError } from '@meshery/plugin-api';
import { parseAllDocuments, stringify } from 'yaml';

/** The identity of one object of a manifest. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

type Plain = Record<string, unknown>;

function badManifest(what: string, detail: string): PluginError {
  return new PluginError('INTERNAL', `${what} is not valid YAML: ${detail}`, {
    probableCause: 'istioctl or the release archive produced unexpected output (a damaged or unofficial release?).',
    remediation: 'Check the release archive in the mirror against the official one; report it if it is official.',
  });
}

/** The documents of a multi-document YAML manifest as plain objects, empty documents left out. */
export function manifestDocuments(manifest: string, what: string): Plain[] {
  const documents = parseAllDocuments(manifest);
  const list = Array.isArray(documents) ? documents : [documents];
  const objects: Plain[] = [];
  for (const document of list) {
    if (document.errors.length > 0) throw badManifest(what, document.errors[0]!.message);
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw badManifest(what, 'a document is not an object');
    objects.push(value as Plain);
  }
  return objects;
}

/** What a manifest object is, read from its apiVersion, kind and metadata. */
export function describeObject(object: Plain): ManifestObject {
  const metadata = (object['metadata'] ?? {}) as Plain;
  return {
    apiVersion: String(object['apiVersion'] ?? ''),
    kind: String(object['kind'] ?? ''),
    name: String(metadata['name'] ?? ''),
    ...(typeof metadata['namespace'] === 'string' ? { namespace: metadata['namespace'] } : {}),
  };
}

/** A plain Namespace object, as the first document of a manifest. */
export function namespaceDocument(namespace: string): string {
  return stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
}

/**
 * The control plane's manifest with its namespace added: `istioctl manifest generate` leaves the
 * Namespace out (`istioctl install` creates it), so without it the install inventory would not
 * hold it and an uninstall would leave it behind.
 */
export function withNamespace(manifest: string, namespace: string): string {
  const objects = manifestDocuments(manifest, 'The generated manifest').map(describeObject);
  if (objects.some((o) => o.kind === 'Namespace' && o.name === namespace)) return manifest;
  return `${namespaceDocument(namespace)}---\n${manifest}`;
}

/** What the generated control-plane manifest holds, for events and checks. */
export function summarizeManifest(manifest: string): { readonly objects: readonly ManifestObject[]; readonly crds: number; readonly deployments: readonly string[] } {
  const objects = manifestDocuments(manifest, 'The generated manifest').map(describeObject);
  return {
    objects,
    crds: objects.filter((o) => o.kind === 'CustomResourceDefinition').length,
    deployments: objects.filter((o) => o.kind === 'Deployment').map((o) => o.name),
  };
}

/**
 * A sample app's manifest made to land in the namespace asked for: objects that name a namespace
 * are moved to it and Namespace objects are dropped (the plugin creates the namespace itself when
 * it is missing, in an inventory of its own).
 */
export function sampleManifestFor(manifest: string, namespace: string, what: string): string {
  const objects = manifestDocuments(manifest, what).filter((object) => object['kind'] !== 'Namespace');
  if (objects.length === 0) throw badManifest(what, 'it holds no objects');
  return objects
    .map((object) => {
      const metadata = object['metadata'] as Plain | undefined;
      if (metadata && typeof metadata['namespace'] === 'string') metadata['namespace'] = namespace;
      return stringify(object);
    })
    .join('---\n');
}

/** What a manifest's CustomResourceDefinition defines. */
export interface ManifestCrd {
  readonly name: string;
  readonly group: string;
  /** The versions it serves (`served` not false). */
  readonly servedVersions: readonly string[];
}

/** Whether an API group is Istio's (`istio.io` or a subgroup such as `networking.istio.io`). */
export function isIstioGroup(group: string): boolean {
  return group === 'istio.io' || group.endsWith('.istio.io');
}

/** The versions a CRD object (from a manifest or the API server) serves. */
export function servedVersionsOf(crd: Readonly<Record<string, unknown>>): string[] {
  const versions = ((crd['spec'] as Plain | undefined)?.['versions'] ?? []) as unknown;
  if (!Array.isArray(versions)) return [];
  return versions
    .filter((v): v is Plain => typeof v === 'object' && v !== null && (v as Plain)['served'] !== false && typeof (v as Plain)['name'] === 'string')
    .map((v) => v['name'] as string);
}

/** The CustomResourceDefinitions of a manifest. */
export function manifestCrds(manifest: string): ManifestCrd[] {
  return manifestDocuments(manifest, 'The generated manifest')
    .filter((object) => object['kind'] === 'CustomResourceDefinition')
    .map((object) => ({
      name: describeObject(object).name,
      group: String((object['spec'] as Plain | undefined)?.['group'] ?? ''),
      servedVersions: servedVersionsOf(object),
    }));
}

/** A change to one document of a manifest: leave it out, or delete fields (paths as `Document.deleteIn` takes them). */
export interface DocumentEdit {
  readonly drop?: boolean;
  readonly remove?: readonly (readonly (string | number)[])[];
}

/**
 * The manifest with documents left out and fields deleted, every other byte of each document kept
 * as it was (comments, quoting, block scalars). Returns the manifest itself when nothing changes.
 */
export function editManifest(manifest: string, what: string, edit: (object: Plain) => DocumentEdit | undefined): string {
  const parsed = parseAllDocuments(manifest);
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const out: string[] = [];
  let changed = false;
  for (const document of documents) {
    if (document.errors.length > 0) throw badManifest(what, document.errors[0]!.message);
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw badManifest(what, 'a document is not an object');
    const change = edit(value as Plain);
    if (change?.drop) {
      changed = true;
      continue;
    }
    for (const path of change?.remove ?? []) {
      document.deleteIn(path as (string | number)[]);
      changed = true;
    }
    const text = document.toString();
    out.push(text.startsWith('---') ? text : `---\n${text}`);
  }
  return changed ? out.join('') : manifest;
}
