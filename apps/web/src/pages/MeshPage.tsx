import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { MESH_STATUS, MESH_STATUS_CHANGED, MESHES } from '../api/documents.ts';
import { errorDetails, type ErrorDetails } from '../api/errors.ts';
import type { Mesh, MeshStatus } from '../api/types.ts';
import { ClusterPicker, useClusterParam } from '../clusters/ClusterPicker.tsx';
import { formatDateTime } from '../lib/format.ts';
import { InjectionCard } from '../meshes/InjectionCard.tsx';
import { InstalledByBadge, MeshHealthBadge } from '../meshes/MeshBadges.tsx';
import { MeshActions } from '../meshes/MeshActions.tsx';
import { MeshChecks } from '../meshes/MeshChecks.tsx';
import { SampleAppsCard } from '../meshes/SampleAppsCard.tsx';
import { OperationDrawer } from '../operations/OperationDrawer.tsx';
import { useOperationParam } from '../operations/operation-param.ts';
import { Alert, Button, ButtonLink, Card, EmptyState, ErrorView, Loading, PageHeader, Stats } from '../ui/components.tsx';
import { LiveIndicator } from '../ui/LiveIndicator.tsx';
import { QueryState } from '../ui/QueryState.tsx';

/** The newer of two statuses (a live one and one checked on request). */
const newer = (a: MeshStatus | null, b: MeshStatus | null) => (!a ? b : !b ? a : a.checkedAt >= b.checkedAt ? a : b);

/**
 * A mesh's status on a cluster: live from meshStatusChanged, or the result of "Check now" when
 * that is newer. The status card, the sample apps and the injection cards all show this one.
 */
function useMeshStatus(contextId: string, mesh: string) {
  const client = useApolloClient();
  const [live, setLive] = useState<MeshStatus | null>(null);
  const [checked, setChecked] = useState<MeshStatus | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<ErrorDetails | null>(null);
  const subscription = useSubscription(MESH_STATUS_CHANGED, {
    variables: { contextId, mesh },
    // Its first event is the current status: never join another subscriber's stream midway.
    context: { queryDeduplication: false },
    onData: ({ data }) => {
      if (data.data) setLive(data.data.meshStatusChanged);
    },
  });

  const checkNow = async () => {
    setChecking(true);
    setCheckError(null);
    try {
      const { data } = await client.query({ query: MESH_STATUS, variables: { contextId, mesh }, fetchPolicy: 'network-only' });
      if (data) setChecked(data.meshStatus);
    } catch (error) {
      setCheckError(errorDetails(error));
    } finally {
      setChecking(false);
    }
  };

  return { status: newer(live, checked), subscription, checking, checkError, checkNow };
}

type MeshStatusState = ReturnType<typeof useMeshStatus>;

function MeshStatusCard({
  mesh,
  contextId,
  clusterName,
  onOperation,
  state,
}: {
  mesh: Mesh;
  contextId: string;
  clusterName: string;
  onOperation: (id: string) => void;
  state: MeshStatusState;
}) {
  const { status, subscription, checking, checkError, checkNow } = state;

  return (
    <Card
      title={
        <span className="live-header">
          Status {status ? <MeshHealthBadge status={status} /> : null}
          {status?.installed ? <InstalledByBadge managedByMeshery={status.managedByMeshery} /> : null}
        </span>
      }
      description={`Checked by the ${mesh.displayName} plugin every few seconds while this page is open, and after every action.`}
      actions={
        <>
          <LiveIndicator active={!subscription.error} />
          <Button size="sm" onClick={() => void checkNow()} busy={checking}>
            Check now
          </Button>
        </>
      }
    >
      {subscription.error ? (
        <ErrorView title="Live status stopped" details={errorDetails(subscription.error)} onRetry={() => subscription.restart()} />
      ) : null}
      {checkError ? <ErrorView title="The check failed" details={checkError} /> : null}
      {!status ? (
        subscription.error ? null : <Loading label={`Checking ${mesh.displayName} on ${clusterName}…`} />
      ) : (
        <div className="stack-sm">
          <Stats
            items={[
              { label: 'Installed', value: status.installed ? 'Yes' : 'No' },
              { label: 'Version', value: status.version ?? '—' },
              { label: 'Namespace', value: status.namespace ? <span className="mono">{status.namespace}</span> : '—' },
              {
                label: 'Installed by',
                value: !status.installed ? '—' : status.managedByMeshery === true ? 'Meshery' : status.managedByMeshery === false ? 'Someone else' : 'Unknown',
              },
              {
                label: 'Checked at',
                value: (
                  <time dateTime={status.checkedAt} data-testid="checked-at">
                    {new Date(status.checkedAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}
                  </time>
                ),
                hint: formatDateTime(status.checkedAt),
              },
            ]}
          />
          {status.error ? (
            <ErrorView
              title="The checks could not run"
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
            <MeshChecks checks={status.checks} />
          )}
          <MeshActions mesh={mesh} status={status} contextId={contextId} clusterName={clusterName} onOperation={onOperation} statusLink={false} />
        </div>
      )}
    </Card>
  );
}

/** Everything about one mesh on one cluster, from one live status. */
function MeshOnCluster({ mesh, contextId, clusterName, onOperation }: { mesh: Mesh; contextId: string; clusterName: string; onOperation: (id: string) => void }) {
  const state = useMeshStatus(contextId, mesh.mesh);
  return (
    <>
      <MeshStatusCard mesh={mesh} contextId={contextId} clusterName={clusterName} onOperation={onOperation} state={state} />
      <div className="grid grid-2">
        {mesh.operations.includes('sample-apps') ? (
          <SampleAppsCard mesh={mesh} contextId={contextId} clusterName={clusterName} status={state.status} onOperation={onOperation} />
        ) : null}
        {mesh.operations.includes('injection') ? (
          <InjectionCard mesh={mesh} contextId={contextId} clusterName={clusterName} status={state.status} onOperation={onOperation} />
        ) : null}
      </div>
    </>
  );
}

export default function MeshPage() {
  const { mesh: meshId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(MESHES);
  const clusters = data?.clusterConnections;
  const { clusterId, cluster, unknown, setCluster } = useClusterParam(clusters);
  const { operationId, openOperation, closeOperation } = useOperationParam();
  const mesh = data?.meshes.find((m) => m.mesh === meshId);
  const name = mesh?.displayName ?? meshId;
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to={clusterId ? `/meshes?cluster=${encodeURIComponent(clusterId)}` : '/meshes'}>Meshes</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{name}</span>
      </nav>
      <PageHeader
        title={name}
        description={cluster ? `On cluster ${cluster.name}: health checks, sample apps and sidecar injection.` : 'Health checks, sample apps and sidecar injection.'}
        actions={clusters ? <ClusterPicker clusters={clusters} value={clusterId} onChange={setCluster} /> : null}
      />
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading…" />
      {unknown ? (
        <Alert tone="warning" title="That cluster is not connected">
          <p>
            No cluster connection has the id <code>{unknown}</code> (it may have been removed). Pick a cluster above.
          </p>
        </Alert>
      ) : null}
      {data && !mesh ? (
        <Card>
          <EmptyState title={`No loaded plugin manages “${meshId}”`} action={<ButtonLink to="/meshes">All meshes</ButtonLink>}>
            The plugins page says whether its plugin failed to load.
          </EmptyState>
        </Card>
      ) : null}
      {data && clusters?.length === 0 ? (
        <Card>
          <EmptyState title="No cluster connected" action={<ButtonLink to="/clusters" variant="primary">Connect a cluster</ButtonLink>} />
        </Card>
      ) : null}
      {mesh && clusterId && cluster ? (
        <div key={`${clusterId}|${mesh.mesh}`}>
          <MeshOnCluster mesh={mesh} contextId={clusterId} clusterName={cluster.name} onOperation={openOperation} />
          <OperationDrawer id={operationId} onClose={closeOperation} />
        </div>
      ) : null}
    </>
  );
}
