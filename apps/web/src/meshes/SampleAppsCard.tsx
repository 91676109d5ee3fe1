import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { DEPLOY_SAMPLE_APP, REMOVE_SAMPLE_APP } from '../api/documents.ts';
import { errorDetails, problemsFor } from '../api/errors.ts';
import type { Mesh, SampleApp } from '../api/types.ts';
import { namespaceProblem } from '../lib/meshes.ts';
import { Button, Card, ConfirmButton, ErrorView, TextField } from '../ui/components.tsx';

function SampleAppRow({ mesh, app, contextId, onOperation }: { mesh: Mesh; app: SampleApp; contextId: string; onOperation: (id: string) => void }) {
  const [namespace, setNamespace] = useState(app.name);
  const [touched, setTouched] = useState(false);
  const [deploy, deploying] = useMutation(DEPLOY_SAMPLE_APP);
  const [remove, removing] = useMutation(REMOVE_SAMPLE_APP);
  const headingId = useId();
  const problem = namespaceProblem(namespace);
  const failed = deploying.error ?? removing.error;
  const apiError = failed ? errorDetails(failed) : undefined;
  const input = { contextId, mesh: mesh.mesh, app: app.name, namespace };

  const run = async (action: 'deploy' | 'remove') => {
    setTouched(true);
    if (problem) return;
    try {
      if (action === 'deploy') {
        const { data } = await deploy({ variables: { input } });
        if (data) onOperation(data.deploySampleApp.id);
      } else {
        const { data } = await remove({ variables: { input } });
        if (data) onOperation(data.removeSampleApp.id);
      }
    } catch {
      // shown below
    }
  };

  return (
    <li className="sample-app">
      <div>
        <h3 className="sample-app-title" id={headingId}>
          {app.displayName} <span className="muted small mono">{app.name}</span>
        </h3>
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
          <ConfirmButton
            confirmLabel={`Remove ${app.displayName} from ${namespace || '…'}`}
            busy={removing.loading}
            disabled={!!problem}
            onConfirm={() => void run('remove')}
          >
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

/** The mesh plugin's sample apps: deploy one into a namespace, or remove it. */
export function SampleAppsCard({ mesh, contextId, onOperation }: { mesh: Mesh; contextId: string; onOperation: (id: string) => void }) {
  return (
    <Card title="Sample apps" description={`Applications to try ${mesh.displayName} with. Removing one deletes what its deployment created (its namespace too, if it made it).`}>
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
