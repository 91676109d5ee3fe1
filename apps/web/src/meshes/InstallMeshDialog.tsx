import { useMutation } from '@apollo/client/react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { INSTALL_MESH } from '../api/documents.ts';
import { errorDetails, problemsFor } from '../api/errors.ts';
import type { Mesh } from '../api/types.ts';
import { parseInstallOptions } from '../lib/meshes.ts';
import { Button, Dialog, ErrorView, SelectField, TextAreaField } from '../ui/components.tsx';

const defaultVersionOf = (mesh: Mesh) => mesh.defaultVersion ?? mesh.versions.find((v) => v.default)?.version ?? mesh.versions[0]?.version ?? '';

/**
 * Installs a mesh: a version (the plugin's default preselected) and optional mesh-specific options
 * as JSON or YAML, checked before anything is sent. Hands the started operation to `onStarted`.
 */
export function InstallMeshDialog({
  mesh,
  contextId,
  clusterName,
  again = false,
  onClose,
  onStarted,
}: {
  mesh: Mesh;
  contextId: string;
  clusterName: string;
  /** Installing over an unhealthy installation of Meshery's own, which converges it. */
  again?: boolean;
  onClose: () => void;
  onStarted: (operationId: string) => void;
}) {
  const formId = useId();
  const [version, setVersion] = useState(() => defaultVersionOf(mesh));
  const [optionsText, setOptionsText] = useState('');
  const [optionsError, setOptionsError] = useState<string | null>(null);
  const optionsRef = useRef<HTMLTextAreaElement>(null);
  const [install, installing] = useMutation(INSTALL_MESH);
  const apiError = installing.error ? errorDetails(installing.error) : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseInstallOptions(optionsText);
    if (!parsed.ok) {
      setOptionsError(parsed.error);
      optionsRef.current?.focus();
      return;
    }
    setOptionsError(null);
    try {
      const { data } = await install({
        variables: { input: { contextId, mesh: mesh.mesh, ...(version ? { version } : {}), ...(parsed.options ? { options: parsed.options } : {}) } },
      });
      if (data) onStarted(data.installMesh.id);
    } catch {
      // shown from installing.error
    }
  };

  const title = `Install ${mesh.displayName}${again ? ' again' : ''}`;
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      description={
        again
          ? `Applies the installation again on ${clusterName}: what is missing or changed is restored, what is in place is kept.`
          : `On cluster ${clusterName}. Every object the installation creates is recorded, so uninstalling removes exactly those.`
      }
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="primary" busy={installing.loading}>
            {`Install ${mesh.displayName}${version ? ` ${version}` : ''}`}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={(e) => void submit(e)} className="stack-sm" noValidate>
        <SelectField
          label="Version"
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          disabled={mesh.versions.length === 0}
          hint={mesh.versions.length === 0 ? 'The plugin lists no versions; it installs its default.' : 'The plugin’s default is preselected.'}
          errors={problemsFor(apiError, 'version')}
          data-autofocus
        >
          {mesh.versions.length === 0 ? <option value="">default</option> : null}
          {mesh.versions.map((v) => (
            <option key={v.version} value={v.version}>
              {v.version}
              {v.default ? ' (default)' : ''}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          ref={optionsRef}
          label="Advanced options (optional)"
          value={optionsText}
          onChange={(e) => {
            setOptionsText(e.target.value);
            if (optionsError) setOptionsError(null);
          }}
          onBlur={() => {
            const parsed = parseInstallOptions(optionsText);
            setOptionsError(parsed.ok ? null : parsed.error);
          }}
          rows={5}
          spellCheck={false}
          placeholder={'JSON or YAML, e.g.\nprofile: demo'}
          hint={`Mesh-specific settings as JSON or YAML; see the ${mesh.displayName} plugin’s README. Leave empty for the defaults.`}
          errors={[...(optionsError ? [optionsError] : []), ...problemsFor(apiError, 'options')]}
        />
        {apiError ? <ErrorView title="The installation could not start" details={apiError} /> : null}
      </form>
    </Dialog>
  );
}
