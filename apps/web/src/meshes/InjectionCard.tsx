import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { SET_INJECTION } from '../api/documents.ts';
import { errorDetails, problemsFor } from '../api/errors.ts';
import type { Mesh, MeshStatus } from '../api/types.ts';
import { namespaceProblem } from '../lib/meshes.ts';
import { Button, Card, ErrorView, Switch, TextField } from '../ui/components.tsx';

/** Starts setNamespaceInjection for a namespace and opens its operation; the error stays in `state`. */
function useSetInjection(mesh: Mesh, contextId: string, onOperation: (id: string) => void) {
  const [setInjection, state] = useMutation(SET_INJECTION);
  const run = async (namespace: string, enabled: boolean) => {
    try {
      const { data } = await setInjection({ variables: { contextId, namespace, mesh: mesh.mesh, enabled } });
      if (data) onOperation(data.setNamespaceInjection.id);
    } catch {
      // shown from state.error
    }
  };
  return [run, state] as const;
}

/** A namespace where injection is on, with Disable (the same flow as the form's). */
function InjectionNamespaceRow({ mesh, namespace, contextId, onOperation }: { mesh: Mesh; namespace: string; contextId: string; onOperation: (id: string) => void }) {
  const [setInjection, setting] = useSetInjection(mesh, contextId, onOperation);
  return (
    <li>
      <div className="namespace-row">
        <span className="mono">{namespace}</span>
        <Button size="sm" busy={setting.loading} onClick={() => void setInjection(namespace, false)} aria-label={`Disable injection for ${namespace}`}>
          Disable
        </Button>
      </div>
      {setting.error ? <ErrorView details={errorDetails(setting.error)} /> : null}
    </li>
  );
}

/** Where injection is on, read from the mesh's live status. */
function InjectionNamespaces({
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
  if (status.injectionNamespaces.length === 0) return <p className="muted small">No namespace on {clusterName}: new pods get no {mesh.displayName} sidecar.</p>;
  return (
    <ul className="namespace-list" aria-label="Namespaces with injection on">
      {status.injectionNamespaces.map((namespace) => (
        <InjectionNamespaceRow key={namespace} mesh={mesh} namespace={namespace} contextId={contextId} onOperation={onOperation} />
      ))}
    </ul>
  );
}

/** Where the mesh's sidecar injection is on (each with Disable), and a form to turn it on or off for a namespace (the plugin labels it). */
export function InjectionCard({
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
  const [namespace, setNamespace] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [touched, setTouched] = useState(false);
  const [setInjection, setting] = useSetInjection(mesh, contextId, onOperation);
  const problem = namespaceProblem(namespace);
  const apiError = setting.error ? errorDetails(setting.error) : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    await setInjection(namespace, enabled);
  };

  return (
    <Card
      title="Sidecar injection"
      description={`Pods created in the namespace afterwards get ${mesh.displayName}’s sidecar (or stop getting it); restart existing workloads to change theirs.`}
    >
      <h3 className="card-subheading">Injection on in</h3>
      <InjectionNamespaces mesh={mesh} status={status} contextId={contextId} clusterName={clusterName} onOperation={onOperation} />
      <h3 className="card-subheading">Turn on or off</h3>
      <form onSubmit={(e) => void submit(e)} aria-label={`Sidecar injection for ${mesh.displayName}`} noValidate>
        <div className="form-grid">
          <TextField
            label="Namespace"
            value={namespace}
            onChange={(e) => setNamespace(e.target.value.trim())}
            onBlur={() => namespace !== '' && setTouched(true)}
            spellCheck={false}
            autoCapitalize="off"
            placeholder="e.g. bookinfo"
            hint="An existing namespace."
            errors={[...(touched && problem ? [problem] : []), ...problemsFor(apiError, 'namespace')]}
          />
          <Switch checked={enabled} onChange={setEnabled} label="Injection" onText="Enabled" offText="Disabled" />
        </div>
        {apiError ? <ErrorView details={apiError} /> : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={setting.loading}>
            {enabled ? 'Enable injection' : 'Disable injection'}
          </Button>
        </div>
      </form>
    </Card>
  );
}
