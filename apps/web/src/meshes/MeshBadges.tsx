import type { MeshStatus } from '../api/types.ts';
import { meshHealth } from '../lib/meshes.ts';
import { Badge } from '../ui/components.tsx';

/** installed and healthy / unhealthy, not installed, or unknown (the checks could not run). */
export function MeshHealthBadge({ status }: { status: Pick<MeshStatus, 'installed' | 'healthy' | 'error'> }) {
  switch (meshHealth(status)) {
    case 'healthy':
      return <Badge tone="success">healthy</Badge>;
    case 'unhealthy':
      return (
        <Badge tone="danger" title="At least one health check fails; see the status page.">
          unhealthy
        </Badge>
      );
    case 'unknown':
      return (
        <Badge tone="warning" title={status.error?.message}>
          status unknown
        </Badge>
      );
    default:
      return <Badge>not installed</Badge>;
  }
}

/** Who installed the mesh, which decides whether Meshery may remove it. */
export function InstalledByBadge({ managedByMeshery }: { managedByMeshery: boolean | null | undefined }) {
  if (managedByMeshery === true) return <Badge tone="info">installed by Meshery</Badge>;
  if (managedByMeshery === false) {
    return (
      <Badge tone="warning" title="Meshery does not remove an installation it did not make.">
        installed by someone else
      </Badge>
    );
  }
  return null;
}
