import { parse } from 'yaml';
import type { KubeObjectRef, MeshStatus, Operation, OperationEvent, OperationStatus } from '../api/types.ts';

/** A Kubernetes namespace name (an RFC 1123 DNS label), as the server checks it. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Why a namespace name would be refused, or null when it is fine. */
export function namespaceProblem(name: string): string | null {
  if (name === '') return 'Enter a namespace.';
  if (name.length > 63) return `At most 63 characters (this one has ${name.length}).`;
  if (DNS_LABEL.test(name)) return null;
  if (/[A-Z]/.test(name)) return 'Use lower-case letters: namespace names are DNS labels (a-z, 0-9 and "-").';
  if (/^-|-$/.test(name)) return 'Start and end with a letter or digit.';
  return 'Only lower-case letters, digits and "-" (a DNS label), e.g. bookinfo or team-a.';
}

/** Biggest options document accepted, to keep a typo (a pasted manifest) from reaching the server. */
const MAX_OPTIONS_LENGTH = 64 * 1024;

export type ParsedOptions = { ok: true; options: Record<string, unknown> | undefined } | { ok: false; error: string };

/**
 * Reads the advanced install options: a JSON or YAML mapping, empty for none. Says what is wrong
 * (with the line for YAML) instead of sending something the server would refuse.
 */
export function parseInstallOptions(text: string): ParsedOptions {
  if (text.trim() === '') return { ok: true, options: undefined };
  if (text.length > MAX_OPTIONS_LENGTH) return { ok: false, error: `The options are too long (${text.length} characters; at most ${MAX_OPTIONS_LENGTH}).` };
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 10, prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    return { ok: false, error: `Not valid JSON or YAML: ${message}` };
  }
  if (value === null || value === undefined) return { ok: true, options: undefined };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: `Write the options as a mapping of names to values, e.g. {"profile": "demo"} or profile: demo (this is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}).` };
  }
  return { ok: true, options: value as Record<string, unknown> };
}

/** "Deployment istio-system/istiod", "Namespace bookinfo". */
export function objectRefText(ref: Pick<KubeObjectRef, 'kind' | 'name' | 'namespace'>): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export type EventTone = 'success' | 'danger' | 'warning' | 'info' | 'neutral' | 'running';

/**
 * How the log shows an event: a symbol (hidden from screen readers), its name and a tone. The
 * final event of a cancelled operation is a `failed` event with the code CANCELLED.
 */
export function eventAppearance(type: string, errorCode?: string | null): { icon: string; label: string; tone: EventTone } {
  if (type === 'failed' && errorCode === 'CANCELLED') return { icon: '■', label: 'cancelled', tone: 'warning' };
  switch (type) {
    case 'created':
      return { icon: '+', label: 'created', tone: 'success' };
    case 'configured':
      return { icon: '✎', label: 'configured', tone: 'info' };
    case 'unchanged':
      return { icon: '=', label: 'unchanged', tone: 'neutral' };
    case 'deleted':
      return { icon: '−', label: 'deleted', tone: 'warning' };
    case 'absent':
      return { icon: '∅', label: 'absent', tone: 'neutral' };
    case 'waiting':
      return { icon: '…', label: 'waiting', tone: 'running' };
    case 'ready':
      return { icon: '✔', label: 'ready', tone: 'success' };
    case 'retrying':
      return { icon: '↻', label: 'retrying', tone: 'warning' };
    case 'step':
      return { icon: '›', label: 'step', tone: 'info' };
    case 'artifact':
      return { icon: '↓', label: 'download', tone: 'info' };
    case 'done':
      return { icon: '✔', label: 'done', tone: 'success' };
    case 'failed':
      return { icon: '✖', label: 'failed', tone: 'danger' };
    default:
      return { icon: 'i', label: type || 'info', tone: 'neutral' };
  }
}

const KIND_LABELS: Record<string, string> = {
  'install-mesh': 'Mesh install',
  'uninstall-mesh': 'Mesh uninstall',
  'deploy-sample-app': 'Sample app deployment',
  'remove-sample-app': 'Sample app removal',
  'set-injection': 'Sidecar injection',
  'apply-manifest': 'Manifest apply',
  'delete-manifest': 'Manifest deletion',
  'delete-inventory': 'Inventory deletion',
};

export function operationKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** Events merged by their sequence number: a re-sent subscription replays what was already seen. */
export function mergeEvents(current: readonly OperationEvent[], incoming: readonly OperationEvent[]): OperationEvent[] {
  const bySeq = new Map<number, OperationEvent>();
  for (const event of current) bySeq.set(event.seq, event);
  for (const event of incoming) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Where an operation stands: the stored status once it has ended, else what its last event says
 * (the final event arrives before the stored status is fetched again).
 */
export function operationOutcome(operation: Pick<Operation, 'status' | 'error'> | undefined, events: readonly OperationEvent[]): {
  status: OperationStatus | undefined;
  error: OperationEvent['error'];
} {
  const last = events.findLast((e) => e.type === 'done' || e.type === 'failed');
  if (operation && operation.status !== 'RUNNING') return { status: operation.status, error: operation.error ?? last?.error ?? null };
  if (last?.type === 'done') return { status: 'SUCCEEDED', error: null };
  if (last?.type === 'failed') return { status: last.error?.code === 'CANCELLED' ? 'CANCELLED' : 'FAILED', error: last.error ?? null };
  return { status: operation?.status, error: null };
}

/** Escapes a string for a regular expression. */
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether an operation is the installation of this mesh ("Install Istio", "Install Istio 1.24.0"). */
export function isInstallOf(operation: Pick<Operation, 'kind' | 'summary'>, displayName: string): boolean {
  return operation.kind === 'install-mesh' && new RegExp(`^Install ${escapeRegExp(displayName)}( \\S+)?$`).test(operation.summary);
}

/** The objects an apply put in the cluster, in the order it applied them, each once. */
export function appliedObjects(events: readonly OperationEvent[]): KubeObjectRef[] {
  const seen = new Map<string, KubeObjectRef>();
  for (const event of events) {
    if (!event.object || !['created', 'configured', 'unchanged'].includes(event.type)) continue;
    const key = `${event.object.kind}|${event.object.namespace ?? ''}|${event.object.name}`;
    if (!seen.has(key)) seen.set(key, event.object);
  }
  return [...seen.values()];
}

export type MeshHealth = 'not-installed' | 'healthy' | 'unhealthy' | 'unknown';

/** One word about a mesh on a cluster, for badges. */
export function meshHealth(status: Pick<MeshStatus, 'installed' | 'healthy' | 'error'>): MeshHealth {
  if (status.error) return 'unknown';
  if (!status.installed) return 'not-installed';
  return status.healthy ? 'healthy' : 'unhealthy';
}
