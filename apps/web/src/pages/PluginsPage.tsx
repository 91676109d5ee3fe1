import { useQuery } from '@apollo/client/react';
import { PLUGINS } from '../api/documents.ts';
import { formatNumber } from '../lib/format.ts';
import { Badge, Card, EmptyState, PageHeader, PluginStatusBadge } from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';

export default function PluginsPage() {
  const { data, loading, error, refetch } = useQuery(PLUGINS);
  return (
    <>
      <PageHeader
        title="Plugins"
        description="Every plugin the server discovered: its version, the kinds of extension it provides, and whether it runs. A plugin that failed or is incompatible says why."
      />
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading plugins…" />
      {data ? (
        <>
          <Card title="Discovered plugins">
            {data.plugins.length === 0 ? (
              <EmptyState title="No plugins found">
                The server looks in <code>plugins/*</code>, in <code>MESHERY_PLUGINS_DIR</code> and among installed npm packages with a{' '}
                <code>"meshery"</code> manifest.
              </EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Plugin</th>
                      <th scope="col">Version</th>
                      <th scope="col">Kinds</th>
                      <th scope="col">Capabilities</th>
                      <th scope="col">Runtime</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.plugins.map((p) => (
                      <tr key={p.id}>
                        <td>
                          <strong>{p.displayName ?? p.id}</strong>
                          <div className="muted small mono">{p.packageName ?? p.id}</div>
                          {p.description ? <div className="small">{p.description}</div> : null}
                        </td>
                        <td className="mono">{p.version ?? '—'}</td>
                        <td>
                          <span className="chips">
                            {p.kinds.map((k) => (
                              <Badge key={k} tone="info">
                                {k}
                              </Badge>
                            ))}
                          </span>
                        </td>
                        <td className="small">
                          {p.capabilities.length === 0
                            ? '—'
                            : p.capabilities.map((c) => (
                                <div key={c.kind}>
                                  {c.kind}: <span className="mono">{c.names.join(', ') || '—'}</span>
                                </div>
                              ))}
                        </td>
                        <td>{p.runtime ?? '—'}</td>
                        <td>
                          <PluginStatusBadge status={p.status} />
                          {p.reason ? <p className="small" style={{ margin: '0.3rem 0 0', maxWidth: '40ch' }}>{p.reason}</p> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
          <Card title="Load generators" description="What the loaded plugins offer to performance tests.">
            {data.loadGenerators.length === 0 ? (
              <EmptyState title="No load generator loaded">Performance tests need a plugin that provides one, such as perf-autocannon.</EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Plugin</th>
                      <th scope="col">Engine</th>
                      <th scope="col">Protocols</th>
                      <th scope="col">Load models</th>
                      <th scope="col" className="num">
                        Max connections
                      </th>
                      <th scope="col" className="num">
                        Max rate
                      </th>
                      <th scope="col">Warm-up</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.loadGenerators.map((g) => (
                      <tr key={g.name}>
                        <td>
                          <strong>{g.displayName}</strong> <span className="muted mono small">{g.name}</span>
                        </td>
                        <td className="mono small">{g.pluginId}</td>
                        <td className="mono small">{g.engineVersion}</td>
                        <td>{g.protocols.join(', ')}</td>
                        <td>{g.loadModels.join(', ')}</td>
                        <td className="num">{formatNumber(g.maxConnections)}</td>
                        <td className="num">{g.maxRate ? `${formatNumber(g.maxRate)} req/s` : '—'}</td>
                        <td>{g.supportsWarmup ? 'yes' : 'no'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </>
      ) : null}
    </>
  );
}
