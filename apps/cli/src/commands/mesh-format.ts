import type { Mesh, MeshStatus } from '../mesh-model.js';
import { table } from '../output.js';

const PASS = '✔';
const FAIL = '✖';

/** The meshes the server can manage: versions (the default marked), sample apps, plugin. */
export function meshRows(meshes: readonly Mesh[]): string {
  return table(
    ['mesh', 'name', 'versions', 'sample apps', 'plugin'],
    meshes.map((m) => [
      m.mesh,
      m.displayName,
      m.versions.map((v) => (v.default ? `${v.version} (default)` : v.version)).join(', ') || '-',
      m.sampleApps.map((a) => a.name).join(', ') || '-',
      m.pluginId,
    ]),
  );
}

function managedBy(status: MeshStatus): string | undefined {
  if (!status.installed || status.managedByMeshery === null || status.managedByMeshery === undefined) return undefined;
  return status.managedByMeshery ? 'Meshery' : 'someone else';
}

/** One line about a status: installed or not, version, namespace, who installed it, healthy or not. */
export function statusHeadline(status: MeshStatus, cluster: string): string {
  if (status.error) return `${status.mesh} on cluster ${cluster}: the checks could not run`;
  if (!status.installed) return `${status.mesh} is not installed on cluster ${cluster}`;
  const where = [status.version ? `version ${status.version}` : undefined, status.namespace ? `in ${status.namespace}` : undefined].filter(Boolean).join(' ');
  const who = managedBy(status);
  return `${status.mesh} on cluster ${cluster}: installed${where ? ` (${where})` : ''}${who ? `, managed by ${who}` : ''}, ${status.healthy ? 'healthy' : 'NOT healthy'}`;
}

/**
 * Where injection is on and which sample apps Meshery deployed: "Injection on in: a, b" (or none),
 * then the sample apps (app, namespace, ready or not ready), or "Sample apps: none".
 */
export function meshUsageView(status: MeshStatus): string {
  const parts = [`Injection on in: ${status.injectionNamespaces.length > 0 ? status.injectionNamespaces.join(', ') : 'none'}`];
  if (status.sampleApps.length === 0) {
    parts.push('Sample apps: none');
  } else {
    parts.push('Sample apps:', table(['app', 'namespace', 'state'], status.sampleApps.map((a) => [a.app, a.namespace, a.ready ? 'ready' : 'not ready'])));
    if (status.sampleApps.some((a) => !a.ready)) {
      parts.push('  not ready: its deployment is under way or was cut short (deploy it again to finish it, or remove it)');
    }
  }
  return parts.join('\n');
}

/**
 * A status as text: the headline, then each check (✔/✖, component, message, and the remediation
 * of failed ones), then where injection is on and the sample apps Meshery deployed (left out when
 * the checks could not run, as nothing could be read then).
 */
export function statusView(status: MeshStatus, cluster: string): string {
  const parts = [statusHeadline(status, cluster)];
  if (status.error) {
    parts.push(`  error:       ${status.error.code}: ${status.error.message}`);
    if (status.error.probableCause) parts.push(`  cause:       ${status.error.probableCause}`);
    if (status.error.remediation) parts.push(`  remediation: ${status.error.remediation}`);
  }
  if (status.checks.length > 0) {
    const failed = status.checks.some((c) => !c.healthy);
    parts.push(
      table(
        failed ? ['', 'component', 'message', 'remediation'] : ['', 'component', 'message'],
        status.checks.map((c) => {
          const row = [c.healthy ? PASS : FAIL, c.component, c.message];
          return failed ? [...row, c.healthy ? '' : (c.remediation ?? '-')] : row;
        }),
      ),
    );
  }
  if (!status.error) parts.push(meshUsageView(status));
  return parts.join('\n');
}

/** Every known mesh on a cluster: installed or not, version, namespace, who manages it. */
export function detectRows(statuses: readonly MeshStatus[]): string {
  return table(
    ['mesh', 'installed', 'version', 'namespace', 'managed by', 'healthy', 'note'],
    statuses.map((s) => [
      s.mesh,
      s.error ? '?' : s.installed ? 'yes' : 'no',
      s.version,
      s.namespace,
      managedBy(s),
      s.installed ? (s.healthy ? 'yes' : 'no') : undefined,
      s.error ? `checks could not run: ${s.error.message}` : undefined,
    ]),
  );
}
