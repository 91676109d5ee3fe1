import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ADD_CLUSTER, CLUSTER_INFO, CLUSTERS, REMOVE_CLUSTER } from '../api/documents.ts';
import { errorDetails, type ErrorDetails } from '../api/errors.ts';
import type { ClusterConnection, ClusterInfo } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { kubeconfigContexts, type UploadedContext } from '../lib/kubeconfig.ts';
import {
  Alert,
  Badge,
  Button,
  Card,
  ConfirmButton,
  Dialog,
  EmptyState,
  ErrorView,
  Field,
  PageHeader,
  SelectField,
  TextAreaField,
  TextField,
} from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';

function ClusterTestResult({ info }: { info: ClusterInfo }) {
  if (info.reachable) {
    return (
      <Alert tone="success" title={`Reachable: Kubernetes ${info.serverVersion ?? '(version unknown)'}`}>
        <p>
          {info.nodeCount ?? '?'} node{info.nodeCount === 1 ? '' : 's'}
          {info.platform ? ` · ${info.platform}` : ''}
        </p>
      </Alert>
    );
  }
  const error = info.error;
  return (
    <ErrorView
      title="The cluster cannot be reached"
      details={{
        message: error?.message ?? 'No answer from the API server.',
        code: error?.code,
        probableCause: error?.probableCause ?? undefined,
        remediation: error?.remediation ?? undefined,
        problems: [],
        unreachable: false,
      }}
    />
  );
}

/**
 * Asks before removing a connection Meshery still manages objects on: the objects stay in the
 * cluster and Meshery forgets them. The safe choice (Keep) has the focus.
 */
function ForceRemoveDialog({ cluster, refusal, onClose }: { cluster: ClusterConnection; refusal: ErrorDetails; onClose: () => void }) {
  const [remove, removing] = useMutation(REMOVE_CLUSTER, { refetchQueries: [CLUSTERS] });
  const confirm = () => void remove({ variables: { id: cluster.id, force: true } }).then(onClose, () => undefined);
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Remove ${cluster.name} anyway?`}
      footer={
        <>
          <Button onClick={onClose} data-autofocus>
            Keep the connection
          </Button>
          <Button variant="danger" busy={removing.loading} onClick={confirm}>
            Remove anyway
          </Button>
        </>
      }
    >
      <p>{refusal.message.replace(/\.?$/, '.')}</p>
      <p>
        Removing the connection anyway makes Meshery forget them: <strong>the objects stay in the cluster</strong> — meshes, sample apps
        and applied manifests keep running — and Meshery can no longer uninstall or remove them. Delete them with kubectl if they are not
        needed.
      </p>
      <p className="muted small">To have Meshery remove them instead, keep the connection, uninstall its meshes and remove its sample apps, then remove it.</p>
      {removing.error ? <ErrorView title="The connection was not removed" details={errorDetails(removing.error)} /> : null}
    </Dialog>
  );
}

function ClusterRow({ cluster }: { cluster: ClusterConnection }) {
  const client = useApolloClient();
  const [testing, setTesting] = useState(false);
  const [info, setInfo] = useState<ClusterInfo | null>(null);
  const [testError, setTestError] = useState<ErrorDetails | null>(null);
  const [remove, removing] = useMutation(REMOVE_CLUSTER, { refetchQueries: [CLUSTERS] });
  const [forcing, setForcing] = useState(false);
  const removeError = removing.error ? errorDetails(removing.error) : null;
  // Refused because Meshery still manages objects there: removing anyway leaves them in the cluster.
  const stillManaged = removeError?.code === 'PRECONDITION_FAILED';

  const test = async () => {
    setTesting(true);
    setInfo(null);
    setTestError(null);
    try {
      const { data } = await client.query({ query: CLUSTER_INFO, variables: { contextId: cluster.id }, fetchPolicy: 'network-only' });
      setInfo(data?.clusterInfo ?? null);
    } catch (error) {
      setTestError(errorDetails(error));
    } finally {
      setTesting(false);
    }
  };

  return (
    <>
      <tr>
        <th scope="row">
          {cluster.name}
          {cluster.defaultNamespace ? <div className="muted small">namespace {cluster.defaultNamespace}</div> : null}
        </th>
        <td className="mono small">{cluster.contextName}</td>
        <td className="mono small">{cluster.server}</td>
        <td className="small">{cluster.source === 'upload' ? <Badge>uploaded</Badge> : <span className="mono">{cluster.source}</span>}</td>
        <td className="small">{formatDateTime(cluster.createdAt)}</td>
        <td>
          <span className="row">
            <Button size="sm" onClick={() => void test()} busy={testing} aria-label={`Test connection to ${cluster.name}`}>
              Test
            </Button>
            <ConfirmButton
              confirmLabel={`Remove ${cluster.name}`}
              busy={removing.loading}
              onConfirm={() => void remove({ variables: { id: cluster.id } }).catch(() => undefined)}
            >
              Remove
            </ConfirmButton>
          </span>
        </td>
      </tr>
      {info || testError || removing.error ? (
        <tr>
          <td colSpan={6} aria-live="polite">
            {info ? <ClusterTestResult info={info} /> : null}
            {testError ? <ErrorView details={testError} /> : null}
            {removeError ? (
              <ErrorView
                details={removeError}
                actions={
                  stillManaged ? (
                    <Button size="sm" variant="danger" onClick={() => setForcing(true)} aria-haspopup="dialog">
                      Remove anyway
                    </Button>
                  ) : null
                }
              />
            ) : null}
            {forcing && removeError ? <ForceRemoveDialog cluster={cluster} refusal={removeError} onClose={() => setForcing(false)} /> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

function AddClusterForm() {
  const [kubeconfig, setKubeconfig] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [contexts, setContexts] = useState<UploadedContext[]>([]);
  const [parseError, setParseError] = useState<string | null>(null);
  const [context, setContext] = useState('');
  const [name, setName] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  /** Changing it remounts the file input, which clears the chosen file. */
  const [fileKey, setFileKey] = useState(0);
  const [add, adding] = useMutation(ADD_CLUSTER, { refetchQueries: [CLUSTERS] });

  const load = (text: string) => {
    setKubeconfig(text);
    setAdded(null);
    if (text.trim() === '') {
      setContexts([]);
      setParseError(null);
      return;
    }
    try {
      const found = kubeconfigContexts(text);
      setContexts(found);
      setParseError(null);
      setContext((found.find((c) => c.current) ?? found[0])?.name ?? '');
    } catch (error) {
      setContexts([]);
      setParseError((error as Error).message);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { data } = await add({
        variables: { input: { kubeconfig, ...(context ? { context } : {}), ...(name.trim() ? { name: name.trim() } : {}) } },
      });
      setAdded(data?.addClusterConnection.name ?? null);
      setKubeconfig('');
      setContexts([]);
      setFileName(null);
      setFileKey((k) => k + 1);
      setContext('');
      setName('');
    } catch {
      // shown from adding.error
    }
  };

  const selected = contexts.find((c) => c.name === context);
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Add a cluster">
      <div className="form-grid">
        <Field
          id="kubeconfig-file"
          label="Kubeconfig file"
          hint={fileName ? `Read ${fileName}` : 'YAML or JSON; its credentials are stored encrypted and never shown again.'}
        >
          <input
            key={fileKey}
            id="kubeconfig-file"
            type="file"
            accept=".yaml,.yml,.json,.conf,.config,text/yaml,application/json,text/plain"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              void file.text().then(load);
            }}
          />
        </Field>
        <SelectField
          id="kubeconfig-context"
          label="Context"
          value={context}
          onChange={(e) => setContext(e.target.value)}
          disabled={contexts.length === 0}
          hint={selected ? `cluster ${selected.cluster}${selected.server ? ` at ${selected.server}` : ''}, user ${selected.user}` : 'Pick a context once a kubeconfig is loaded.'}
        >
          {contexts.length === 0 ? <option value="">—</option> : null}
          {contexts.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
              {c.current ? ' (current)' : ''}
            </option>
          ))}
        </SelectField>
        <TextField
          id="cluster-name"
          label="Name (optional)"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={context || 'defaults to the context name'}
        />
        <TextAreaField
          id="kubeconfig-text"
          fieldClassName="span-all"
          label="…or paste the kubeconfig"
          value={kubeconfig}
          onChange={(e) => {
            setFileName(null);
            load(e.target.value);
          }}
          rows={4}
          spellCheck={false}
          errors={parseError ? [parseError] : []}
        />
      </div>
      {adding.error ? <ErrorView details={errorDetails(adding.error)} /> : null}
      {added ? <Alert tone="success" title={`Connected ${added}`} /> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={adding.loading} disabled={contexts.length === 0}>
          Add cluster
        </Button>
      </div>
    </form>
  );
}

export default function ClustersPage() {
  const { data, loading, error, refetch } = useQuery(CLUSTERS);
  const [connect, connecting] = useMutation(ADD_CLUSTER, { refetchQueries: [CLUSTERS] });
  const connected = new Set((data?.clusterConnections ?? []).map((c) => `${c.source}\n${c.contextName}`));
  return (
    <>
      <PageHeader
        title="Clusters"
        description="Kubernetes clusters Meshery manages. Each connection is one kubeconfig context; its credentials are stored encrypted and never returned."
      />
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading clusters…" />
      {data ? (
        <>
          <Card title="Connected clusters">
            {data.clusterConnections.length === 0 ? (
              <EmptyState title="No cluster connected yet">Upload a kubeconfig below, or connect a context the server found.</EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Context</th>
                      <th scope="col">API server</th>
                      <th scope="col">Source</th>
                      <th scope="col">Added</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.clusterConnections.map((c) => (
                      <ClusterRow key={c.id} cluster={c} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
          <Card title="Add a cluster" description="Upload a kubeconfig and pick the context to connect.">
            <AddClusterForm />
          </Card>
          <Card
            title="Contexts the server found"
            description="From the server’s KUBECONFIG or ~/.kube/config. Connecting one stores a copy of its credentials."
          >
            {connecting.error ? <ErrorView details={errorDetails(connecting.error)} /> : null}
            {data.discoveredKubeconfigContexts.length === 0 ? (
              <EmptyState title="The server found no kubeconfig">
                Set <code>KUBECONFIG</code> for the server, or upload a kubeconfig above.
              </EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Context</th>
                      <th scope="col">Cluster</th>
                      <th scope="col">API server</th>
                      <th scope="col">User</th>
                      <th scope="col">File</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.discoveredKubeconfigContexts.map((c) => {
                      const isConnected = connected.has(`${c.source}\n${c.name}`);
                      return (
                        <tr key={`${c.source}:${c.name}`}>
                          <th scope="row">
                            {c.name} {c.current ? <Badge tone="info">current</Badge> : null}
                            {c.namespace ? <div className="muted small">namespace {c.namespace}</div> : null}
                          </th>
                          <td className="mono small">{c.cluster}</td>
                          <td className="mono small">{c.server}</td>
                          <td className="mono small">{c.user}</td>
                          <td className="mono small">{c.source}</td>
                          <td>
                            {isConnected ? (
                              <Badge tone="success">connected</Badge>
                            ) : (
                              <Button
                                size="sm"
                                busy={connecting.loading}
                                aria-label={`Connect context ${c.name}`}
                                onClick={() => void connect({ variables: { input: { context: c.name } } }).catch(() => undefined)}
                              >
                                Connect
                              </Button>
                            )}
                          </td>
                        </tr>
                      );
                    })}
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
