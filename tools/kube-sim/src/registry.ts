/** The served resources (built-in and from CRDs) and the discovery documents describing them. */
import { createHash } from 'node:crypto';
import { builtinResourceTypes } from './builtins.js';
import { crdResourceTypes } from './crd.js';
import type { KubeObject } from './json.js';
import { storageKey, type ResourceType } from './resource-type.js';

/** The order groups appear in /apis on a v1.28 server (those kube-sim serves). */
const BUILTIN_GROUP_ORDER = [
  'apps',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
];

/** version.CompareKubeAwareVersionStrings: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else (lexical). */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return [Number(m[1]), m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (!pa && !pb) return a < b ? -1 : a > b ? 1 : 0;
  const [ma, sa, na] = pa!;
  const [mb, sb, nb] = pb!;
  if (sa !== sb) return sb - sa;
  if (ma !== mb) return mb - ma;
  return nb - na;
}

export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

export class Registry {
  private readonly builtins: ResourceType[] = builtinResourceTypes();
  private readonly crds = new Map<string, ResourceType[]>();
  private listeners = new Set<() => void>();

  all(): ResourceType[] {
    return [...this.builtins, ...[...this.crds.values()].flat()];
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  /** Every served version of one group/resource. */
  versionsOf(group: string, resource: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.resource === resource);
  }

  /** The version objects of a group/resource are stored in (the CRD storage version, or the built-in one). */
  storageTypeOf(group: string, resource: string): ResourceType | undefined {
    const versions = this.versionsOf(group, resource);
    return versions.find((t) => t.storage) ?? versions[0];
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    return this.all().find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  isServedStorageKey(key: string): boolean {
    return this.all().some((t) => storageKey(t) === key);
  }

  /** Registers (or re-registers) the resources a CRD defines. */
  setCrd(crd: KubeObject): void {
    const name = crd.metadata?.name ?? '';
    this.crds.set(name, crdResourceTypes(crd));
    this.changed();
  }

  removeCrd(name: string): void {
    if (this.crds.delete(name)) this.changed();
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** Group names in /apis order: built-ins first, then CRD groups alphabetically. */
  groups(): string[] {
    const present = new Set(this.all().map((t) => t.group));
    present.delete('');
    const builtin = BUILTIN_GROUP_ORDER.filter((g) => present.has(g));
    const custom = [...present].filter((g) => !BUILTIN_GROUP_ORDER.includes(g)).sort();
    return [...builtin, ...custom];
  }

  groupVersions(group: string): string[] {
    return [...new Set(this.all().filter((t) => t.group === group).map((t) => t.version))].sort(compareKubeVersions);
  }

  apiVersions(serverAddress: string): KubeObject {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }

  apiGroup(group: string): KubeObject | undefined {
    const versions = this.groupVersions(group);
    if (versions.length === 0) return undefined;
    const entries = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: entries, preferredVersion: entries[0] };
  }

  apiGroupList(): KubeObject {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.groups().map((g) => {
        const grp = this.apiGroup(g)!;
        return { name: g, versions: grp['versions'], preferredVersion: grp['preferredVersion'] };
      }),
    };
  }

  apiResourceList(group: string, version: string): KubeObject | undefined {
    const types = this.all().filter((t) => t.group === group && t.version === version);
    if (types.length === 0) return undefined;
    const resources: Record<string, unknown>[] = [];
    for (const t of [...types].sort((a, b) => (a.resource < b.resource ? -1 : 1))) {
      const storage = this.storageTypeOf(t.group, t.resource) ?? t;
      resources.push({
        name: t.resource,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: t.verbs,
        ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
        ...(t.categories.length > 0 ? { categories: t.categories } : {}),
        storageVersionHash: storageVersionHash(storage.group, storage.version, storage.kind),
      });
      if (t.scale) {
        resources.push({
          name: `${t.resource}/scale`,
          singularName: '',
          namespaced: t.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        });
      }
      if (t.status) {
        resources.push({ name: `${t.resource}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] });
      }
    }
    const gv = group ? `${group}/${version}` : version;
    // The legacy /api/v1 document carries no apiVersion; group documents do.
    return group ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources } : { kind: 'APIResourceList', groupVersion: gv, resources };
  }
}
