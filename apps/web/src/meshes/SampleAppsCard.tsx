import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { DEPLOY_SAMPLE_APP, REMOVE_SAMPLE_APP } from '../api/documents.ts';
import { errorDetails, problemsFor } from '../api/errors.ts';
import type { DeployedSampleApp, Mesh, MeshStatus, SampleApp } from '../api/types.ts';
import { namespaceProblem } from '../lib/meshes.ts';
import { Badge, Button, Card, ConfirmButton, ErrorView, TextField } from '../ui/components.tsx';

/** Starts removeSampleApp for an app in a namespace and opens its operation; the error stays in `state`. */
function useRemoveSampleApp(mesh: Mesh, contextId: string, onOperation: (id: string) => void) {
  const [remove, state] = useMutation(REMOVE_SAMPLE_APP);
  const run = async (app: string, namespace: string) => {
    try {
      const { data } = await remove({ variables: { input: { contextId, mesh: mesh.mesh, app, namespace } } });
      if (data) onOperation(data.removeSampleApp.id);
    } catch {
      // shown from state.error
    }
  };
  return [run, state] as const;
}

/** The confirmation a removal asks for, naming the app and the namespace. */
const removeLabel = (displayName: string, namespace: string) => `Remove ${displayName} from ${namespace || '…'}`;

function SampleAppRow({ mesh, app, contextId, onOperation }: { mesh: Mesh; app: SampleApp; contextId: string; onOperation: (id: string) => void }) {
  const [namespace, setNamespace] = useState(app.name);
  const [touched, setTouched] = useState(false);
  const [deploy, deploying] = useMutation(DEPLOY_SAMPLE_APP);
  const [remove, removing] = useRemoveSampleApp(mesh, contextId, onOperation);
  const headingId = useId();
  const problem = namespaceProblem(namespace);
  const failed = deploying.error ?? removing.error;
  const apiError = failed ? errorDetails(failed) : undefined;

  const run = async (action: 'deploy' | 'remove') => {
    setTouched(true);
    if (problem) return;
    if (action === 'remove') {
      await remove(app.name, namespace);
      return;
    }
    try {
      const { data } = await deploy({ variables: { input: { contextId, mesh: mesh.mesh, app: app.name, namespace } } });
      if (data) onOperation(data.deploySampleApp.id);
    } catch {
      // shown below
    }
  };

  return (
    <li className="sample-app">
      <div>
        <h4 className="sample-app-title" id={headingId}>
          {app.displayName} <span className="muted small mono">{app.name}</span>
        </h4>
        <p className="small muted">{app.description}</p>
      </div>
      <form
        className="sample-app-form"
        aria-labelledby={headingId}
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void run('deploy');
        }}
      >
        <TextField
          label="Namespace"
          value={namespace}
          onChange={(e) => setNamespace(e.target.value.trim())}
          onBlur={() => setTouched(true)}
          spellCheck={false}
          autoCapitalize="off"
          hint="Created when missing."
          errors={[...(touched && problem ? [problem] : []), ...problemsFor(apiError, 'namespace')]}
        />
        <div className="row sample-app-actions">
          <Button type="submit" variant="primary" busy={deploying.loading} aria-label={`Deploy ${app.displayName}`}>
            Deploy
          </Button>
          <ConfirmButton confirmLabel={removeLabel(app.displayName, namespace)} busy={removing.loading} disabled={!!problem} onConfirm={() => void run('remove')}>
            Remove
          </ConfirmButton>
        </div>
      </form>
      {apiError ? (
        <div className="sample-app-error">
          <ErrorView details={apiError} />
        </div>
      ) : null}
    </li>
  );
}

/** One app Meshery deployed: where, whether it is ready, and Remove (the same flow as the form's). */
function DeployedAppRow({ mesh, deployed, contextId, onOperation }: { mesh: Mesh; deployed: DeployedSampleApp; contextId: string; onOperation: (id: string) => void }) {
  const [remove, removing] = useRemoveSampleApp(mesh, contextId, onOperation);
  const displayName = mesh.sampleApps.find((a) => a.name === deployed.app)?.displayName ?? deployed.app;
  return (
    <>
      <tr>
        <th scope="row">
          {displayName} {displayName !== deployed.app ? <span className="muted small mono">{deployed.app}</span> : null}
        </th>
        <td className="mono">{deployed.namespace}</td>
        <td>
          {deployed.ready ? (
            <Badge tone="success">ready</Badge>
          ) : (
            <Badge tone="warning" title="Its deployment is under way or was cut short: deploy it again to finish it, or remove it.">
              not ready
            </Badge>
          )}
        </td>
        <td className="num">
          <ConfirmButton confirmLabel={removeLabel(displayName, deployed.namespace)} busy={removing.loading} onConfirm={() => void remove(deployed.app, deployed.namespace)}>
            Remove
          </ConfirmButton>
        </td>
      </tr>
      {removing.error ? (
        <tr>
          <td colSpan={4}>
            <ErrorView details={errorDetails(removing.error)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The sample apps Meshery deployed on the cluster, read from the mesh's live status. */
function DeployedApps({
  mesh,
  status,
  contextId,
  clusterName,
  onOperation,
}: {
  mesh: Mesh;
  status: MeshStatus | null;
  contextId: string;
  clusterName: string;
  onOperation: (id: string) => void;
}) {
  if (!status) return <p className="muted small">Checking…</p>;
  if (status.error) return <p className="muted small">Unknown: the checks could not run (see the status above).</p>;
  if (status.sampleApps.length === 0) return <p className="muted small">None: Meshery has not deployed a {mesh.displayName} sample app on {clusterName}.</p>;
  const notReady = status.sampleApps.some((a) => !a.ready);
  return (
    <>
      <div className="table-wrap">
        <table className="table deployed-apps" aria-label="Deployed sample apps">
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Namespace</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {status.sampleApps.map((deployed) => (
              <DeployedAppRow key={`${deployed.namespace}/${deployed.app}`} mesh={mesh} deployed={deployed} contextId={contextId} onOperation={onOperation} />
            ))}
          </tbody>
        </table>
      </div>
      {notReady ? (
        <p className="small muted table-note">Not ready: its deployment is under way or was cut short. Deploy it again into the same namespace to finish it, or remove it.</p>
      ) : null}
    </>
  );
}

/** The sample apps Meshery deployed (each with Remove), and the plugin's sample apps to deploy into a namespace or remove. */
export function SampleAppsCard({
  mesh,
  contextId,
  clusterName,
  status,
  onOperation,
}: {
  mesh: Mesh;
  contextId: string;
  clusterName: string;
  status: MeshStatus | null;
  onOperation: (id: string) => void;
}) {
  return (
    <Card title="Sample apps" description={`Applications to try ${mesh.displayName} with. Removing one deletes what its deployment created (its namespace too, if it made it).`}>
      <h3 className="card-subheading">Deployed on {clusterName}</h3>
      <DeployedApps mesh={mesh} status={status} contextId={contextId} clusterName={clusterName} onOperation={onOperation} />
      <h3 className="card-subheading">Deploy</h3>
      {mesh.sampleApps.length === 0 ? (
        <p className="muted">The {mesh.displayName} plugin offers no sample apps.</p>
      ) : (
        <ul className="sample-apps">
          {mesh.sampleApps.map((app) => (
            <SampleAppRow key={app.name} mesh={mesh} app={app} contextId={contextId} onOperation={onOperation} />
          ))}
        </ul>
      )}
    </Card>
  );
}
