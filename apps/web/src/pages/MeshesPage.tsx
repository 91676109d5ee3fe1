import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { DETECTED_MESHES, MESH_STATUS_CHANGED, MESHES, OPERATIONS } from '../api/documents.ts';
import type { Mesh, MeshStatus } from '../api/types.ts';
import { ClusterPicker, useClusterParam } from '../clusters/ClusterPicker.tsx';
import { formatAgo, formatDateTime } from '../lib/format.ts';
import { operationKindLabel } from '../lib/meshes.ts';
import { InstalledByBadge, MeshHealthBadge } from '../meshes/MeshBadges.tsx';
import { MeshActions } from '../meshes/MeshActions.tsx';
import { OperationDrawer } from '../operations/OperationDrawer.tsx';
import { useOperationParam } from '../operations/operation-param.ts';
import { Alert, Button, ButtonLink, Card, EmptyState, ErrorView, OperationStatusBadge, PageHeader } from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';

function MeshCard({
  mesh,
  status,
  contextId,
  clusterName,
  onOperation,
}: {
  mesh: Mesh;
  status: MeshStatus | undefined;
  contextId: string;
  clusterName: string;
  onOperation: (id: string) => void;
}) {
  // Keeps this card's status live: each new status replaces the cached one the list shows.
  useSubscription(MESH_STATUS_CHANGED, { variables: { contextId, mesh: mesh.mesh }, context: { queryDeduplication: false } });
  return (
    <Card
      className="mesh-card"
      title={mesh.displayName}
      description={
        <>
          plugin <span className="mono">{mesh.pluginId}</span>
        </>
      }
      actions={
        status ? (
          <>
            <InstalledByBadge managedByMeshery={status.installed ? status.managedByMeshery : null} />
            <MeshHealthBadge status={status} />
          </>
        ) : null
      }
    >
      {!status ? (
        <p className="muted">Checking…</p>
      ) : status.error ? (
        <ErrorView
          title={`Could not check ${mesh.displayName} on this cluster`}
          details={{
            message: status.error.message,
            code: status.error.code,
            probableCause: status.error.probableCause ?? undefined,
            remediation: status.error.remediation ?? undefined,
            problems: [],
            unreachable: false,
          }}
        />
      ) : (
        <dl className="kv mesh-facts">
          <dt>Installed</dt>
          <dd>{status.installed ? 'yes' : 'no'}</dd>
          <dt>Version</dt>
          <dd>{status.version ?? (status.installed ? 'unknown' : '—')}</dd>
          <dt>Namespace</dt>
          <dd>{status.namespace ? <span className="mono">{status.namespace}</span> : '—'}</dd>
          <dt>Installed by</dt>
          <dd>{!status.installed ? '—' : status.managedByMeshery === true ? 'Meshery' : status.managedByMeshery === false ? 'someone else' : 'unknown'}</dd>
          <dt>Checked</dt>
          <dd>
            <time dateTime={status.checkedAt} title={formatDateTime(status.checkedAt)}>
              {formatDateTime(status.checkedAt)}
            </time>
          </dd>
          {!status.installed ? (
            <>
              <dt>Versions</dt>
              <dd>{mesh.versions.map((v) => v.version).join(', ') || '—'}</dd>
            </>
          ) : null}
        </dl>
      )}
      <MeshActions mesh={mesh} status={status} contextId={contextId} clusterName={clusterName} onOperation={onOperation} />
    </Card>
  );
}

function RecentOperations({ contextId, onOpen }: { contextId: string; onOpen: (id: string) => void }) {
  const { data, loading, error, refetch } = useQuery(OPERATIONS, { variables: { contextId, limit: 8 }, pollInterval: 5000 });
  const items = data?.operations.items ?? [];
  return (
    <Card title="Recent operations" description="Installs, removals, sample apps and injection on this cluster, newest first.">
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading operations…" />
      {data && items.length === 0 ? <p className="muted">Nothing was done on this cluster yet.</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="table" aria-label="Recent operations">
            <thead>
              <tr>
                <th scope="col">Operation</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((o) => (
                <tr key={o.id}>
                  <th scope="row">{o.summary}</th>
                  <td className="small">{operationKindLabel(o.kind)}</td>
                  <td>
                    <OperationStatusBadge status={o.status} />
                  </td>
                  <td className="small" title={formatDateTime(o.createdAt)}>
                    {formatAgo(o.createdAt)}
                  </td>
                  <td>
                    <Button size="sm" variant="ghost" onClick={() => onOpen(o.id)} aria-label={`Show the log of ${o.summary}`}>
                      Log
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}

function ClusterMeshes({
  meshes,
  contextId,
  clusterName,
  operationId,
  openOperation,
  closeOperation,
}: {
  meshes: Mesh[];
  contextId: string;
  clusterName: string;
  operationId: string | null;
  openOperation: (id: string) => void;
  closeOperation: () => void;
}) {
  const client = useApolloClient();
  const detected = useQuery(DETECTED_MESHES, { variables: { contextId } });
  // What an operation changed shows at once: the statuses and the list of operations.
  const refresh = () => void client.refetchQueries({ include: [DETECTED_MESHES, OPERATIONS] });
  const open = (id: string) => {
    openOperation(id);
    void client.refetchQueries({ include: [OPERATIONS] });
  };
  const statusOf = (mesh: string) => detected.data?.detectedMeshes.find((s) => s.mesh === mesh);
  return (
    <>
      <QueryState
        loading={detected.loading}
        error={detected.error}
        hasData={!!detected.data}
        refetch={detected.refetch}
        label={`Looking for meshes on ${clusterName}…`}
      />
      <div className="grid grid-2 mesh-grid">
        {meshes.map((mesh) => (
          <MeshCard key={mesh.mesh} mesh={mesh} status={statusOf(mesh.mesh)} contextId={contextId} clusterName={clusterName} onOperation={open} />
        ))}
      </div>
      <RecentOperations contextId={contextId} onOpen={openOperation} />
      <OperationDrawer id={operationId} onClose={closeOperation} onEnded={refresh} />
    </>
  );
}

export default function MeshesPage() {
  const { data, loading, error, refetch } = useQuery(MESHES);
  const clusters = data?.clusterConnections;
  const { clusterId, cluster, unknown, setCluster } = useClusterParam(clusters);
  const { operationId, openOperation, closeOperation } = useOperationParam();
  return (
    <>
      <PageHeader
        title="Meshes"
        description="Install, check and remove service meshes on a connected cluster. Every action is an operation whose log you can follow live."
        actions={clusters ? <ClusterPicker clusters={clusters} value={clusterId} onChange={setCluster} /> : null}
      />
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading meshes…" />
      {unknown ? (
        <Alert tone="warning" title="That cluster is not connected">
          <p>
            No cluster connection has the id <code>{unknown}</code> (it may have been removed). Pick a cluster above.
          </p>
        </Alert>
      ) : null}
      {data && data.clusterConnections.length === 0 ? (
        <Card>
          <EmptyState title="No cluster connected" action={<ButtonLink to="/clusters" variant="primary">Connect a cluster</ButtonLink>}>
            Meshes are installed on a Kubernetes cluster: connect one first.
          </EmptyState>
        </Card>
      ) : null}
      {data && data.meshes.length === 0 ? (
        <Card>
          <EmptyState title="No mesh plugin is loaded" action={<ButtonLink to="/plugins">See the plugins</ButtonLink>}>
            Mesh plugins (such as plugins/istio and plugins/linkerd) add meshes here; the plugins page says why one did not load.
          </EmptyState>
        </Card>
      ) : null}
      {data && clusterId && cluster && data.meshes.length > 0 ? (
        <ClusterMeshes
          key={clusterId}
          meshes={data.meshes}
          contextId={clusterId}
          clusterName={cluster.name}
          operationId={operationId}
          openOperation={openOperation}
          closeOperation={closeOperation}
        />
      ) : null}
    </>
  );
}
