import { useCallback, useEffect, useId } from 'react';
import { useSearchParams } from 'react-router';
import type { ClusterConnection } from '../api/types.ts';

type ClusterChoice = Pick<ClusterConnection, 'id' | 'name' | 'server'>;

/**
 * The cluster a page works on, kept in the URL (`?cluster=<id>`) so links and reloads keep it.
 * Without one, the first connection is chosen (and written to the URL); an id that is not
 * connected (any more) is reported as `unknown` rather than silently replaced.
 */
export function useClusterParam(clusters: readonly ClusterChoice[] | undefined): {
  clusterId: string | undefined;
  cluster: ClusterChoice | undefined;
  unknown: string | undefined;
  setCluster: (id: string) => void;
} {
  const [params, setParams] = useSearchParams();
  const requested = params.get('cluster') ?? undefined;
  const cluster = clusters?.find((c) => c.id === requested);
  const fallback = requested === undefined ? clusters?.[0] : undefined;
  const setCluster = useCallback(
    (id: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set('cluster', id);
          next.delete('operation');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  useEffect(() => {
    if (!fallback) return;
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set('cluster', fallback.id);
        return next;
      },
      { replace: true },
    );
  }, [fallback, setParams]);
  const chosen = cluster ?? fallback;
  return {
    clusterId: chosen?.id,
    cluster: chosen,
    unknown: clusters && requested !== undefined && !cluster ? requested : undefined,
    setCluster,
  };
}

/** A labelled select of the connected clusters, for page headers. */
export function ClusterPicker({
  clusters,
  value,
  onChange,
}: {
  clusters: readonly ClusterChoice[];
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  const id = useId();
  if (clusters.length === 0) return null;
  return (
    <span className="inline-select cluster-picker">
      <label htmlFor={id}>Cluster</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        {value === undefined ? <option value="">Pick a cluster</option> : null}
        {clusters.map((c) => (
          <option key={c.id} value={c.id} title={c.server}>
            {c.name}
          </option>
        ))}
      </select>
    </span>
  );
}
