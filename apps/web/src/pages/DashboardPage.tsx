import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { CLUSTER_INFO, CLUSTER_MESHES, DASHBOARD } from '../api/documents.ts';
import { errorDetails } from '../api/errors.ts';
import type { ClusterConnection, PerformanceResultSummary } from '../api/types.ts';
import { formatAgo, formatMs, formatRps } from '../lib/format.ts';
import {
  Badge,
  ButtonLink,
  Card,
  EmptyState,
  PageHeader,
  PluginStatusBadge,
  RunStatusBadge,
  Stats,
} from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';

function ClusterHealth({ cluster }: { cluster: ClusterConnection }) {
  const { data, loading, error } = useQuery(CLUSTER_INFO, { variables: { contextId: cluster.id }, fetchPolicy: 'cache-first' });
  if (loading && !data) return <Badge>checking…</Badge>;
  if (error) return <Badge tone="danger" title={errorDetails(error).message}>unknown</Badge>;
  const info = data?.clusterInfo;
  if (!info) return null;
  return info.reachable ? (
    <Badge tone="success" title={`${info.nodeCount ?? '?'} nodes`}>
      reachable · {info.serverVersion}
    </Badge>
  ) : (
    <Badge tone="danger" title={info.error?.message ?? undefined}>
      unreachable
    </Badge>
  );
}

/** Which meshes a cluster runs and whether they are healthy. */
function ClusterMeshes({ cluster }: { cluster: ClusterConnection }) {
  const { data, loading, error } = useQuery(CLUSTER_MESHES, { variables: { contextId: cluster.id } });
  if (loading && !data) return <Badge>checking…</Badge>;
  if (error) return <Badge tone="danger" title={errorDetails(error).message}>unknown</Badge>;
  if (!data) return null;
  const nameOf = (mesh: string) => data.meshes.find((m) => m.mesh === mesh)?.displayName ?? mesh;
  const installed = data.detectedMeshes.filter((s) => s.installed);
  const unchecked = data.detectedMeshes.filter((s) => s.error);
  return (
    <span className="chips mesh-chips">
      {installed.map((s) => (
        <Badge key={s.mesh} tone={s.healthy ? 'success' : 'danger'} title={s.namespace ? `in namespace ${s.namespace}` : undefined}>
          {nameOf(s.mesh)}
          {s.version ? ` ${s.version}` : ''} · {s.healthy ? 'healthy' : 'unhealthy'}
        </Badge>
      ))}
      {unchecked.map((s) => (
        <Badge key={s.mesh} tone="warning" title={s.error?.message}>
          {nameOf(s.mesh)} · unknown
        </Badge>
      ))}
      {installed.length === 0 && unchecked.length === 0 ? <span className="muted small">no mesh installed</span> : null}
    </span>
  );
}

function ResultRows({ items }: { items: PerformanceResultSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col" className="num">
              Throughput
            </th>
            <th scope="col" className="num">
              p99
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={r.status === 'RUNNING' ? `/performance/runs/${r.id}` : `/performance/results/${r.id}`}>{r.name}</Link>
              </td>
              <td>
                <RunStatusBadge status={r.status} />
              </td>
              <td title={r.startedAt}>{formatAgo(r.startedAt)}</td>
              <td className="num">{formatRps(r.throughputRps)}</td>
              <td className="num">{formatMs(r.latency?.p99Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DashboardPage() {
  const { data, loading, error, refetch } = useQuery(DASHBOARD, { pollInterval: 5000, notifyOnNetworkStatusChange: false });
  const plugins = data?.plugins ?? [];
  const loaded = plugins.filter((p) => p.status === 'LOADED').length;
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Connected clusters and their meshes, recent performance results and the health of the plugins."
        actions={
          <>
            <ButtonLink to="/performance/profiles/new" variant="primary">
              New performance profile
            </ButtonLink>
            <ButtonLink to="/clusters">Add a cluster</ButtonLink>
          </>
        }
      />
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading the dashboard…" />
      {data ? (
        <div className="stack">
          <Stats
            items={[
              { label: 'Clusters', value: data.clusterConnections.length },
              { label: 'Performance profiles', value: data.performanceProfiles.length },
              { label: 'Results', value: data.latest.total, hint: data.running.total > 0 ? `${data.running.total} running` : undefined },
              {
                label: 'Plugins loaded',
                value: `${loaded} / ${plugins.length}`,
                hint: loaded < plugins.length ? `${plugins.length - loaded} need attention` : undefined,
              },
            ]}
          />
          {data.running.items.length > 0 ? (
            <Card title="Running now" description="Open a run to watch its live charts or cancel it.">
              <ResultRows items={data.running.items} />
            </Card>
          ) : null}
          <div className="grid grid-3">
            <Card title="Clusters" actions={<ButtonLink to="/clusters" size="sm" variant="ghost">Manage clusters</ButtonLink>}>
              {data.clusterConnections.length === 0 ? (
                <EmptyState title="No cluster connected" action={<ButtonLink to="/clusters">Connect a cluster</ButtonLink>}>
                  Upload a kubeconfig, or connect a context the server found.
                </EmptyState>
              ) : (
                <ul className="health-list">
                  {data.clusterConnections.map((c) => (
                    <li key={c.id}>
                      <span>
                        <strong>{c.name}</strong>
                        <br />
                        <span className="muted small mono">{c.server}</span>
                      </span>
                      <ClusterHealth cluster={c} />
                    </li>
                  ))}
                </ul>
              )}
            </Card>
            <Card title="Meshes" actions={<ButtonLink to="/meshes" size="sm" variant="ghost">Manage meshes</ButtonLink>}>
              {data.clusterConnections.length === 0 ? (
                <EmptyState title="No cluster to look at">Meshes are found on connected clusters.</EmptyState>
              ) : (
                <ul className="health-list">
                  {data.clusterConnections.map((c) => (
                    <li key={c.id}>
                      <Link to={`/meshes?cluster=${encodeURIComponent(c.id)}`} aria-label={`Meshes on ${c.name}`}>
                        <strong>{c.name}</strong>
                      </Link>
                      <ClusterMeshes cluster={c} />
                    </li>
                  ))}
                </ul>
              )}
            </Card>
            <Card title="Plugin health" actions={<ButtonLink to="/plugins" size="sm" variant="ghost">All plugins</ButtonLink>}>
              {plugins.length === 0 ? (
                <EmptyState title="No plugins found">Plugins are found in plugins/*, MESHERY_PLUGINS_DIR and installed npm packages.</EmptyState>
              ) : (
                <ul className="health-list">
                  {plugins.map((p) => (
                    <li key={p.id}>
                      <span>
                        <strong>{p.displayName ?? p.id}</strong> <span className="muted small">{p.version ?? ''}</span>
                        {p.reason ? (
                          <>
                            <br />
                            <span className="small">{p.reason}</span>
                          </>
                        ) : null}
                      </span>
                      <PluginStatusBadge status={p.status} />
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </div>
          <Card
            title="Latest performance results"
            actions={<ButtonLink to="/performance/results" size="sm" variant="ghost">All results</ButtonLink>}
          >
            {data.latest.items.length === 0 ? (
              <EmptyState
                title="No results yet"
                action={
                  <ButtonLink to="/performance/profiles/new" variant="primary">
                    Create a profile
                  </ButtonLink>
                }
              >
                Create a performance profile and run it to see results here.
              </EmptyState>
            ) : (
              <ResultRows items={data.latest.items} />
            )}
          </Card>
        </div>
      ) : null}
    </>
  );
}
