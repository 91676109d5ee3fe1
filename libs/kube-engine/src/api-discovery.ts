import { KubeApiError, type KubeApiClient } from './kube-api-client.js';
import { splitApiVersion } from './manifest.js';

/** How a kind is served. */
export interface ServedResource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly kind: string;
}

/**
 * Finds the REST resource of a kind from the API server's discovery documents
 * (`/api/v1`, `/apis/<group>/<version>`), cached per group-version and refreshed on a miss, so a
 * kind made available by a CRD during an apply is found once the CRD is established.
 */
export class ApiDiscovery {
  private readonly cache = new Map<string, Map<string, ServedResource>>();

  constructor(private readonly client: KubeApiClient) {}

  /** The resource serving `kind` in `apiVersion`, or undefined when the server does not serve it. */
  async resource(apiVersion: string, kind: string, refresh = false): Promise<ServedResource | undefined> {
    let kinds = this.cache.get(apiVersion);
    if (!kinds || (refresh && !kinds.has(kind)) || (!kinds.has(kind) && !refresh)) {
      kinds = await this.load(apiVersion);
    }
    return kinds.get(kind);
  }

  /** Forgets a group-version (after a CRD changed). */
  forget(apiVersion: string): void {
    this.cache.delete(apiVersion);
  }

  /** REST path of an object, or of the collection when `name` is absent. */
  static path(resource: ServedResource, namespace: string | undefined, name?: string): string {
    const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
    const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${resource.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
  }

  private async load(apiVersion: string): Promise<Map<string, ServedResource>> {
    const { group, version } = splitApiVersion(apiVersion);
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const kinds = new Map<string, ServedResource>();
    try {
      const list = await this.client.request<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>('GET', path);
      for (const resource of list.resources ?? []) {
        if (resource.name.includes('/')) continue; // subresources such as deployments/status
        kinds.set(resource.kind, { group, version, plural: resource.name, namespaced: resource.namespaced, kind: resource.kind });
      }
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 404)) throw error;
    }
    this.cache.set(apiVersion, kinds);
    return kinds;
  }
}
