import { PluginError, type ArtifactRequest, type SampleAppInfo } from '@meshery/plugin-api';
import { parseAllDocuments, stringify } from 'yaml';

/** A sample application and the pinned manifest it is deployed from. */
export interface LinkerdSampleApp extends SampleAppInfo {
  /** The manifest at a pinned commit: the file Linkerd's docs apply from run.linkerd.io. */
  readonly url: string;
}

/**
 * The manifests Linkerd's getting-started and books demo apply (`https://run.linkerd.io/emojivoto.yml`
 * and `https://run.linkerd.io/booksapp.yml`), served from the linkerd/website repository, pinned
 * here to a commit of that repository instead of the moving site.
 */
export const SAMPLE_APPS: readonly LinkerdSampleApp[] = Object.freeze([
  {
    name: 'emojivoto',
    displayName: 'Emojivoto',
    description: 'Linkerd\'s getting-started app: a gRPC and HTTP microservice app for voting on emoji, with a load generator (images ghcr.io/buoyantio/emojivoto-*:v11).',
    url: 'https://raw.githubusercontent.com/linkerd/website/baca966fee1269563cbeba481d0433220320d9e0/run.linkerd.io/public/emojivoto.yml',
  },
  {
    name: 'booksapp',
    displayName: 'Books app',
    description: 'Linkerd\'s books demo: a Ruby web app with authors and books services, one of which fails half its requests, and a traffic generator (images buoyantio/booksapp:v0.0.5).',
    url: 'https://raw.githubusercontent.com/linkerd/website/6b2c06a89f210f49dc49220b725b5bb08ff7ef81/run.linkerd.io/public/booksapp.yml',
  },
]);

/** The app of that name, or `INVALID_REQUEST` listing the known ones. */
export function findSampleApp(name: string): LinkerdSampleApp {
  const app = SAMPLE_APPS.find((a) => a.name === name);
  if (!app) {
    throw new PluginError('INVALID_REQUEST', `Unknown sample application "${name}"; Linkerd's are: ${SAMPLE_APPS.map((a) => a.name).join(', ')}`, {
      field: 'app',
      remediation: `Pick one of ${SAMPLE_APPS.map((a) => a.name).join(', ')}.`,
    });
  }
  return app;
}

/**
 * The download of an app's manifest. Its publishers give no checksum: a digest pinned in the
 * configuration (`sampleAppSha256`) is used when given, otherwise trust on first use.
 */
export function sampleAppArtifact(app: LinkerdSampleApp, pinned: Readonly<Record<string, string>>, mirror: string | undefined): ArtifactRequest {
  const sha256 = pinned[app.name];
  return { url: app.url, ...(sha256 ? { sha256 } : { trustOnFirstUse: true }), ...(mirror ? { mirror } : {}) };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Checks a namespace name (RFC 1123 label) before it reaches the cluster. */
export function checkNamespaceName(namespace: string): void {
  if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) {
    throw new PluginError('INVALID_REQUEST', `"${String(namespace)}" is not a valid namespace name`, {
      field: 'namespace',
      remediation: 'Use lower-case letters, digits and "-", at most 63 characters, starting and ending with a letter or digit.',
    });
  }
}

/** The manifest of a Namespace to create for sample applications. */
export function namespaceManifest(namespace: string): string {
  return stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
}

type Doc = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string }; spec?: any };

/**
 * Moves an app's manifest into `namespace`: its own Namespace objects are dropped (the caller
 * creates the target namespace when it is missing), every object is placed in the target
 * namespace, and service addresses that name the original namespace (e.g. emojivoto's
 * `web-svc.emojivoto:80`) are rewritten to the target one.
 */
export function retargetManifest(text: string, namespace: string): { manifest: string; objects: { kind: string; name: string }[] } {
  const docs = parseAllDocuments(text);
  const objects: Doc[] = [];
  const originals = new Set<string>();
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      throw new PluginError('PRECONDITION_FAILED', `The sample application's manifest is not valid YAML: ${doc.errors[0]!.message}`, {
        probableCause: 'The downloaded (or mirrored) manifest is damaged.',
        remediation: 'Replace the mirror copy with the file from the pinned official address.',
      });
    }
    const value = doc.toJS() as Doc | null;
    if (!value || typeof value !== 'object') continue;
    if (value.kind === 'Namespace') {
      if (value.metadata?.name) originals.add(value.metadata.name);
      continue;
    }
    if (value.metadata?.namespace) originals.add(value.metadata.namespace);
    objects.push(value);
  }
  originals.delete(namespace);
  const rewrite = (s: string) =>
    [...originals].reduce((acc, from) => acc.replace(new RegExp(`\\.${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[:./]|$)`, 'g'), `.${namespace}`), s);
  for (const object of objects) {
    object.metadata = { ...object.metadata, namespace };
    const podSpec = object.spec?.template?.spec;
    for (const container of [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])]) {
      for (const env of container?.env ?? []) {
        if (typeof env?.value === 'string') env.value = rewrite(env.value);
      }
    }
  }
  return {
    manifest: objects.map((o) => stringify(o)).join('---\n'),
    objects: objects.map((o) => ({ kind: String(o.kind), name: String(o.metadata?.name) })),
  };
}
