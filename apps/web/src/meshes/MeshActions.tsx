import { useId, useState } from 'react';
import type { Mesh, MeshStatus } from '../api/types.ts';
import { Button, ButtonLink } from '../ui/components.tsx';
import { InstallMeshDialog } from './InstallMeshDialog.tsx';
import { UninstallMeshDialog } from './UninstallMeshDialog.tsx';

/**
 * What can be done with a mesh on a cluster, given its status: install it, install it again (an
 * unhealthy installation of Meshery's own), uninstall it (only Meshery's own), view its status.
 */
export function MeshActions({
  mesh,
  status,
  contextId,
  clusterName,
  onOperation,
  statusLink = true,
}: {
  mesh: Mesh;
  status: MeshStatus | undefined;
  contextId: string;
  clusterName: string;
  onOperation: (operationId: string) => void;
  statusLink?: boolean;
}) {
  const [dialog, setDialog] = useState<'install' | 'install-again' | 'uninstall' | null>(null);
  const explanationId = useId();
  const can = (operation: string) => mesh.operations.includes(operation);
  const started = (id: string) => {
    setDialog(null);
    onOperation(id);
  };
  const installed = status?.installed === true;
  const foreign = installed && status?.managedByMeshery === false;
  return (
    <div className="mesh-actions">
      <div className="row">
        {status && !installed && !status.error && can('install') ? (
          <Button variant="primary" onClick={() => setDialog('install')} aria-label={`Install ${mesh.displayName}`}>
            Install
          </Button>
        ) : null}
        {installed && status?.managedByMeshery === true && !status.healthy && can('install') ? (
          <Button onClick={() => setDialog('install-again')} aria-label={`Install ${mesh.displayName} again`}>
            Install again
          </Button>
        ) : null}
        {installed && can('uninstall') ? (
          <Button
            onClick={() => setDialog('uninstall')}
            disabled={foreign}
            aria-describedby={foreign ? explanationId : undefined}
            aria-label={`Uninstall ${mesh.displayName}`}
          >
            Uninstall
          </Button>
        ) : null}
        {statusLink ? (
          <ButtonLink to={`/meshes/${encodeURIComponent(mesh.mesh)}?cluster=${encodeURIComponent(contextId)}`} variant="ghost" aria-label={`View status of ${mesh.displayName}`}>
            View status
          </ButtonLink>
        ) : null}
      </div>
      {foreign ? (
        <p className="small muted mesh-actions-note" id={explanationId}>
          Uninstall is off: {mesh.displayName} was installed by someone else (with its own CLI, Helm or another Meshery), and Meshery only
          removes what it installed. Remove it with the tool that installed it.
        </p>
      ) : null}
      {dialog === 'install' || dialog === 'install-again' ? (
        <InstallMeshDialog
          mesh={mesh}
          contextId={contextId}
          clusterName={clusterName}
          again={dialog === 'install-again'}
          onClose={() => setDialog(null)}
          onStarted={started}
        />
      ) : null}
      {dialog === 'uninstall' && status ? (
        <UninstallMeshDialog mesh={mesh} status={status} contextId={contextId} clusterName={clusterName} onClose={() => setDialog(null)} onStarted={started} />
      ) : null}
    </div>
  );
}
