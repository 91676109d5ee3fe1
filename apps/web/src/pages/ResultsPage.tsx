import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { DELETE_RESULT, RESULTS } from '../api/documents.ts';
import { errorDetails } from '../api/errors.ts';
import type { ResultFilter, ResultSortField, SortDirection } from '../api/types.ts';
import { formatDateTime, formatMs, formatNumber, formatRps, formatSeconds, formatShortDateTime } from '../lib/format.ts';
import { parseLabels } from '../lib/forms.ts';
import {
  Badge,
  Button,
  Card,
  ConfirmButton,
  EmptyState,
  ErrorView,
  LabelChips,
  PageHeader,
  RunStatusBadge,
  SelectField,
  SortHeader,
  TextField,
} from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { PerformanceNav } from './PerformanceNav.tsx';

const PAGE_SIZES = [10, 20, 50];
const STATUSES = ['completed', 'running', 'cancelled', 'failed', 'interrupted'];
const SORTS: { field: ResultSortField; label: string; numeric?: boolean }[] = [
  { field: 'NAME', label: 'Name' },
  { field: 'STARTED_AT', label: 'Started' },
  { field: 'REQUESTS', label: 'Requests', numeric: true },
  { field: 'THROUGHPUT', label: 'Throughput', numeric: true },
  { field: 'LATENCY_P50', label: 'p50', numeric: true },
  { field: 'LATENCY_P99', label: 'p99', numeric: true },
];
const MAX_COMPARED = 10;

/** `datetime-local` value (local time) to ISO-8601 UTC. */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export default function ResultsPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const profileId = params.get('profile') ?? '';
  const labelText = params.get('labels') ?? '';
  const after = params.get('after') ?? '';
  const before = params.get('before') ?? '';
  const status = params.get('status') ?? '';
  const sortField = (params.get('sort') as ResultSortField | null) ?? 'STARTED_AT';
  const direction = (params.get('dir') as SortDirection | null) ?? 'DESC';
  const pageSize = Number(params.get('size') ?? 20) || 20;
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const [labelDraft, setLabelDraft] = useState(labelText);
  const [selected, setSelected] = useState<string[]>([]);
  const [actionError, setActionError] = useState<unknown>(null);

  const update = (changes: Record<string, string | null>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    if (resetPage) next.delete('page');
    setParams(next, { replace: true });
  };

  let labelError: string | null = null;
  let labels: { key: string; value: string }[] = [];
  try {
    labels = parseLabels(labelText);
  } catch (error) {
    labelError = (error as Error).message;
  }
  const filter: ResultFilter = {
    ...(profileId ? { profileId } : {}),
    ...(labels.length > 0 ? { labels } : {}),
    ...(localToIso(after) ? { startedAfter: localToIso(after) } : {}),
    ...(localToIso(before) ? { startedBefore: localToIso(before) } : {}),
    ...(status ? { statuses: [status] } : {}),
  };
  const { data, previousData, loading, error, refetch } = useQuery(RESULTS, {
    variables: { filter, sort: { field: sortField, direction }, limit: pageSize, offset: page * pageSize },
  });
  const shown = data ?? previousData;
  const [remove] = useMutation(DELETE_RESULT, { refetchQueries: [RESULTS] });

  const sortBy = (field: ResultSortField) => {
    const nextDir: SortDirection = field === sortField ? (direction === 'DESC' ? 'ASC' : 'DESC') : field === 'NAME' ? 'ASC' : 'DESC';
    update({ sort: field === 'STARTED_AT' ? null : field, dir: nextDir === 'DESC' ? null : nextDir });
  };
  const toggle = (id: string) =>
    setSelected((current) => (current.includes(id) ? current.filter((x) => x !== id) : current.length >= MAX_COMPARED ? current : [...current, id]));

  const total = shown?.performanceResults.total ?? 0;
  const items = shown?.performanceResults.items ?? [];
  const from = total === 0 ? 0 : page * pageSize + 1;
  const to = Math.min(total, page * pageSize + items.length);
  const lastPage = Math.max(0, Math.ceil(total / pageSize) - 1);
  const filtered = Boolean(profileId || labelText || after || before || status);

  return (
    <>
      <PageHeader
        title="Performance"
        description="Every run and imported result. Select two or more to compare them; the first selected is the baseline."
      />
      <PerformanceNav />
      <Card title="Results">
        <form
          className="filters"
          aria-label="Filter results"
          onSubmit={(e) => {
            e.preventDefault();
            update({ labels: labelDraft.trim() || null });
          }}
        >
          <SelectField id="filter-profile" label="Profile" value={profileId} onChange={(e) => update({ profile: e.target.value || null })}>
            <option value="">All profiles</option>
            {(shown?.performanceProfiles ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <TextField
            id="filter-labels"
            label="Labels"
            placeholder="mesh=istio, env=prod"
            value={labelDraft}
            onChange={(e) => setLabelDraft(e.target.value)}
            onBlur={() => update({ labels: labelDraft.trim() || null })}
            errors={labelError ? [labelError] : []}
            hint="Results with all of these; Enter applies"
          />
          <TextField id="filter-after" label="Started after" type="datetime-local" value={after} onChange={(e) => update({ after: e.target.value || null })} />
          <TextField id="filter-before" label="Started before" type="datetime-local" value={before} onChange={(e) => update({ before: e.target.value || null })} />
          <SelectField id="filter-status" label="Status" value={status} onChange={(e) => update({ status: e.target.value || null })}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
        </form>

        <div className="toolbar" style={{ marginTop: 0, marginBottom: '0.75rem' }}>
          <span className="row">
            <Button
              size="sm"
              disabled={!filtered}
              onClick={() => {
                setLabelDraft('');
                update({ profile: null, labels: null, after: null, before: null, status: null });
              }}
            >
              Clear filters
            </Button>
            <span className="muted" aria-live="polite">
            {selected.length === 0
              ? 'Select results to compare them.'
              : `${selected.length} selected${selected.length === 1 ? ' — select one more to compare' : ''}.`}
            </span>
          </span>
          <span className="row">
            {selected.length > 0 ? (
              <Button size="sm" variant="ghost" onClick={() => setSelected([])}>
                Clear selection
              </Button>
            ) : null}
            <Button
              variant="primary"
              disabled={selected.length < 2}
              onClick={() => void navigate(`/performance/compare?ids=${selected.map(encodeURIComponent).join(',')}`)}
            >
              Compare selected ({selected.length})
            </Button>
          </span>
        </div>

        <QueryState loading={loading} error={error} hasData={!!shown} refetch={refetch} label="Loading results…" />
        {actionError ? <ErrorView details={errorDetails(actionError)} /> : null}
        {shown ? (
          items.length === 0 ? (
            <EmptyState title={filtered ? 'No result matches these filters' : 'No results yet'}>
              {filtered ? 'Clear or loosen the filters.' : 'Run a profile to get the first result.'}
            </EmptyState>
          ) : (
            <div className="table-wrap" aria-busy={loading || undefined}>
              <table className="table" aria-label="Performance results" data-testid="results-table">
                <thead>
                  <tr>
                    <th scope="col">
                      <span className="visually-hidden">Select to compare</span>
                    </th>
                    {SORTS.slice(0, 2).map((s) => (
                      <SortHeader key={s.field} label={s.label} active={sortField === s.field} direction={direction} onSort={() => sortBy(s.field)} />
                    ))}
                    <th scope="col">Status</th>
                    {SORTS.slice(2).map((s) => (
                      <SortHeader
                        key={s.field}
                        label={s.label}
                        numeric
                        active={sortField === s.field}
                        direction={direction}
                        onSort={() => sortBy(s.field)}
                      />
                    ))}
                    <th scope="col">Labels</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => {
                    const isSelected = selected.includes(r.id);
                    const order = selected.indexOf(r.id);
                    return (
                      <tr key={r.id} className={isSelected ? 'selected' : undefined}>
                        <td>
                          <input
                            type="checkbox"
                            checked={isSelected}
                            onChange={() => toggle(r.id)}
                            disabled={r.status === 'RUNNING' || (!isSelected && selected.length >= MAX_COMPARED)}
                            aria-label={`Select ${r.name} (${formatDateTime(r.startedAt)}) to compare`}
                          />
                        </td>
                        <td style={{ minWidth: '9rem' }}>
                          <Link to={r.status === 'RUNNING' ? `/performance/runs/${r.id}` : `/performance/results/${r.id}`}>{r.name}</Link>
                          {order === 0 && selected.length > 1 ? (
                            <>
                              {' '}
                              <Badge tone="info">baseline</Badge>
                            </>
                          ) : null}
                          {r.source === 'import' ? (
                            <>
                              {' '}
                              <Badge>imported</Badge>
                            </>
                          ) : null}
                        </td>
                        <td className="small nowrap" title={r.startedAt}>
                          {formatShortDateTime(r.startedAt)}
                        </td>
                        <td className="nowrap">
                          <RunStatusBadge status={r.status} />
                          <div className="muted small">{r.loadModel ?? 'model unknown'}</div>
                        </td>
                        <td className="num">
                          {formatNumber(r.requests)}
                          <div className="muted small">in {formatSeconds(r.measuredDurationSeconds)}</div>
                        </td>
                        <td className="num">{formatRps(r.throughputRps)}</td>
                        <td className="num">{formatMs(r.latency?.p50Ms)}</td>
                        <td className="num">{formatMs(r.latency?.p99Ms)}</td>
                        <td style={{ maxWidth: '12rem' }}>
                          <LabelChips labels={r.labels} />
                        </td>
                        <td>
                          {r.status === 'RUNNING' ? null : (
                            <ConfirmButton
                              confirmLabel={`Delete result ${r.name}`}
                              onConfirm={() => {
                                setSelected((s) => s.filter((x) => x !== r.id));
                                void remove({ variables: { id: r.id } }).catch(setActionError);
                              }}
                            >
                              Delete
                            </ConfirmButton>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        ) : null}

        <nav className="toolbar" aria-label="Pages of results">
          <span className="muted">
            {total === 0 ? 'No results' : `Showing ${from}–${to} of ${total}`}
          </span>
          <span className="row">
            <label className="inline-select">
              Per page
              <select value={String(pageSize)} onChange={(e) => update({ size: e.target.value === '20' ? null : e.target.value })}>
                {PAGE_SIZES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <Button size="sm" disabled={page === 0} onClick={() => update({ page: page - 1 === 0 ? null : String(page - 1) }, false)}>
              ← Previous
            </Button>
            <span className="small">
              Page {page + 1} of {lastPage + 1}
            </span>
            <Button size="sm" disabled={page >= lastPage} onClick={() => update({ page: String(page + 1) }, false)}>
              Next →
            </Button>
          </span>
        </nav>
      </Card>
    </>
  );
}
