import { parse } from 'yaml';

/** A context found in an uploaded kubeconfig, before anything is sent to the server. */
export interface UploadedContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  current: boolean;
}

/**
 * Lists the contexts of a kubeconfig (YAML or JSON) so the user can pick one. Throws an Error
 * with a readable message when the text is not a kubeconfig.
 */
export function kubeconfigContexts(text: string): UploadedContext[] {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new Error(`This file is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null) throw new Error('This file is not a kubeconfig (no YAML mapping).');
  const config = doc as {
    contexts?: { name?: unknown; context?: { cluster?: unknown; user?: unknown; namespace?: unknown } }[];
    clusters?: { name?: unknown; cluster?: { server?: unknown } }[];
    'current-context'?: unknown;
  };
  if (!Array.isArray(config.contexts) || config.contexts.length === 0) {
    throw new Error('This kubeconfig has no contexts: it needs a "contexts" list naming a cluster and a user.');
  }
  const servers = new Map<string, string>();
  for (const c of Array.isArray(config.clusters) ? config.clusters : []) {
    if (typeof c?.name === 'string' && typeof c.cluster?.server === 'string') servers.set(c.name, c.cluster.server);
  }
  return config.contexts
    .filter((c) => typeof c?.name === 'string')
    .map((c) => {
      const cluster = typeof c.context?.cluster === 'string' ? c.context.cluster : '';
      const server = servers.get(cluster);
      return {
        name: c.name as string,
        cluster,
        user: typeof c.context?.user === 'string' ? c.context.user : '',
        ...(typeof c.context?.namespace === 'string' ? { namespace: c.context.namespace } : {}),
        ...(server ? { server } : {}),
        current: c.name === config['current-context'],
      };
    });
}
