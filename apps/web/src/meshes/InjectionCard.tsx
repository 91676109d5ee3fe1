import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { SET_INJECTION } from '../api/documents.ts';
import { errorDetails, problemsFor } from '../api/errors.ts';
import type { Mesh } from '../api/types.ts';
import { namespaceProblem } from '../lib/meshes.ts';
import { Button, Card, ErrorView, Switch, TextField } from '../ui/components.tsx';

/** Turns the mesh's sidecar injection on or off for a namespace (the plugin labels it). */
export function InjectionCard({ mesh, contextId, onOperation }: { mesh: Mesh; contextId: string; onOperation: (id: string) => void }) {
  const [namespace, setNamespace] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [touched, setTouched] = useState(false);
  const [setInjection, setting] = useMutation(SET_INJECTION);
  const problem = namespaceProblem(namespace);
  const apiError = setting.error ? errorDetails(setting.error) : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    try {
      const { data } = await setInjection({ variables: { contextId, namespace, mesh: mesh.mesh, enabled } });
      if (data) onOperation(data.setNamespaceInjection.id);
    } catch {
      // shown below
    }
  };

  return (
    <Card
      title="Sidecar injection"
      description={`Pods created in the namespace afterwards get ${mesh.displayName}’s sidecar (or stop getting it); restart existing workloads to change theirs.`}
    >
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
