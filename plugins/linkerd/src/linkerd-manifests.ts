import { PluginError } from '@meshery/plugin-api';
import { parseAllDocuments } from 'yaml';

/** One object of a rendered manifest, with its own YAML text. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** For CRDs: `spec.group`. */
  readonly group?: string;
  readonly text: string;
}

/**
 * Reads what `linkerd install` printed, object by object, to inspect it and to leave out objects
 * (never to change one): each document is re-emitted by `yaml` with the same content.
 */
export function renderedObjects(manifest: string, what: string): RenderedObject[] {
  const objects: RenderedObject[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    if (doc.errors.length > 0) {
      throw new PluginError('INTERNAL', `The ${what} printed by the linkerd CLI is not valid YAML: ${doc.errors[0]!.message}`, {
        probableCause: 'The CLI printed something other than a manifest (a warning on standard output, or a damaged binary).',
        remediation: 'Run the CLI by hand with the same arguments and look at its output.',
      });
    }
    const value = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string }; spec?: { group?: string } } | null;
    if (!value || typeof value !== 'object' || !value.kind) continue;
    objects.push({
      apiVersion: String(value.apiVersion),
      kind: value.kind,
      name: String(value.metadata?.name),
      ...(value.metadata?.namespace ? { namespace: value.metadata.namespace } : {}),
      ...(value.kind === 'CustomResourceDefinition' && value.spec?.group ? { group: value.spec.group } : {}),
      text: doc.toString(),
    });
  }
  return objects;
}

/** The objects joined back into one multi-document manifest. */
export function joinManifest(objects: readonly RenderedObject[]): string {
  return objects.map((o) => (o.text.endsWith('\n') ? o.text : `${o.text}\n`)).join('---\n');
}

/** Whether a CRD group is Linkerd's own (`linkerd.io` or a subgroup such as `policy.linkerd.io`). */
export const isLinkerdGroup = (group: string | undefined) => group === 'linkerd.io' || Boolean(group?.endsWith('.linkerd.io'));
