import { useMutation, useQuery } from '@apollo/client/react';
import { OPERATION_WITH_EVENTS, OPERATIONS, UNINSTALL_MESH } from '../api/documents.ts';
import { errorDetails } from '../api/errors.ts';
import type { Mesh, MeshStatus } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { appliedObjects, isInstallOf, objectRefText } from '../lib/meshes.ts';
import { Button, Dialog, ErrorView, Loading } from '../ui/components.tsx';

/** What the last successful installation applied, read from its operation's events. */
function AppliedObjects({ mesh, contextId }: { mesh: Mesh; contextId: string }) {
  const operations = useQuery(OPERATIONS, { variables: { contextId, limit: 200 }, fetchPolicy: 'network-only' });
  const install = operations.data?.operations.items.find((o) => o.status === 'SUCCEEDED' && isInstallOf(o, mesh.displayName));
  const details = useQuery(OPERATION_WITH_EVENTS, { variables: { id: install?.id ?? '' }, skip: !install, fetchPolicy: 'network-only' });
  if (operations.loading || details.loading) return <Loading label="Looking up what the installation applied…" />;
  const objects = appliedObjects(details.data?.operation.events ?? []);
  if (!install || objects.length === 0) {
    return <p className="muted small">The installation’s log was not found here; the server still removes exactly the objects its inventory recorded.</p>;
  }
  return (
    <div>
      <p className="small">
        The {objects.length} object{objects.length === 1 ? '' : 's'} the installation of {formatDateTime(install.createdAt)} applied:
      </p>
      <ul className="object-list" aria-label="Objects that will be removed">
        {objects.map((o) => (
          <li key={`${o.kind}/${o.namespace ?? ''}/${o.name}`}>
            <code>{objectRefText(o)}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Asks before uninstalling, naming the mesh, the cluster and what goes; the safe choice (Keep)
 * has the focus.
 */
export function UninstallMeshDialog({
  mesh,
  status,
  contextId,
  clusterName,
  onClose,
  onStarted,
}: {
  mesh: Mesh;
  status: MeshStatus;
  contextId: string;
  clusterName: string;
  onClose: () => void;
  onStarted: (operationId: string) => void;
}) {
  const [uninstall, uninstalling] = useMutation(UNINSTALL_MESH);
  const name = `${mesh.displayName}${status.version ? ` ${status.version}` : ''}`;
  const confirm = async () => {
    try {
      const { data } = await uninstall({ variables: { contextId, mesh: mesh.mesh } });
      if (data) onStarted(data.uninstallMesh.id);
    } catch {
      // shown from uninstalling.error
    }
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Uninstall ${name} from ${clusterName}?`}
      footer={
        <>
          <Button onClick={onClose} data-autofocus>
            Keep it
          </Button>
          <Button variant="danger" busy={uninstalling.loading} onClick={() => void confirm()}>
            {`Uninstall ${mesh.displayName}`}
          </Button>
        </>
      }
    >
      <p>
        This removes everything Meshery’s installation of {mesh.displayName} created on <strong>{clusterName}</strong>
        {status.namespace ? (
          <>
            {' '}
            — its control plane in namespace <code>{status.namespace}</code>, with its CRDs, cluster-wide RBAC and webhooks —
          </>
        ) : null}{' '}
        and nothing else. Sample apps you deployed and namespace labels stay.
      </p>
      <AppliedObjects mesh={mesh} contextId={contextId} />
      {uninstalling.error ? <ErrorView title="The uninstallation could not start" details={errorDetails(uninstalling.error)} /> : null}
    </Dialog>
  );
}
