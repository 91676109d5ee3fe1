import type { MeshHealthCheck } from '../api/types.ts';
import { EmptyState } from '../ui/components.tsx';

/** The mesh's health checks, one row each: what, passed or not, what was found, what to do. */
export function MeshChecks({ checks }: { checks: MeshHealthCheck[] }) {
  if (checks.length === 0) return <EmptyState title="No checks reported">The plugin reported no health checks for this cluster.</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="table checks-table" aria-label="Health checks">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Result</th>
            <th scope="col">Message</th>
            <th scope="col">Remediation</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((check) => (
            <tr key={check.component} className={check.healthy ? undefined : 'check-failing'}>
              <th scope="row">{check.component}</th>
              <td className="nowrap">
                <span className={check.healthy ? 'check-mark check-ok' : 'check-mark check-fail'} aria-hidden="true">
                  {check.healthy ? '✔' : '✖'}
                </span>{' '}
                <span className={check.healthy ? 'check-word' : 'check-word check-word-fail'}>{check.healthy ? 'passed' : 'failed'}</span>
              </td>
              <td>{check.message}</td>
              <td className="small">{check.remediation ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
