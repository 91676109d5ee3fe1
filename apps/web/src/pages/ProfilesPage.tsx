import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { DELETE_PROFILE, PROFILES, RUN_TEST } from '../api/documents.ts';
import { errorDetails } from '../api/errors.ts';
import type { PerformanceProfile } from '../api/types.ts';
import { formatAgo, formatNumber, formatSeconds } from '../lib/format.ts';
import { Badge, Button, ButtonLink, Card, ConfirmButton, EmptyState, ErrorView, LabelChips, PageHeader } from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { PerformanceNav } from './PerformanceNav.tsx';

function ProfileRow({ profile, onError }: { profile: PerformanceProfile; onError: (error: unknown) => void }) {
  const navigate = useNavigate();
  const [run, running] = useMutation(RUN_TEST);
  const [remove, removing] = useMutation(DELETE_PROFILE, { refetchQueries: [PROFILES] });
  const start = async () => {
    onError(null);
    try {
      const { data } = await run({ variables: { input: { profileId: profile.id } } });
      if (data) void navigate(`/performance/runs/${data.runPerformanceTest.id}`);
    } catch (error) {
      onError(error);
    }
  };
  return (
    <tr>
      <th scope="row">
        <Link to={`/performance/results?profile=${encodeURIComponent(profile.id)}`} title="Results of this profile">
          {profile.name}
        </Link>
      </th>
      <td className="mono small" style={{ maxWidth: 280, overflowWrap: 'anywhere' }}>
        {profile.method} {profile.url}
      </td>
      <td className="small">
        {formatNumber(profile.connections)} conn · {formatSeconds(profile.durationSeconds)}
        {profile.warmupSeconds > 0 ? ` + ${formatSeconds(profile.warmupSeconds)} warm-up` : ''}
        <div>
          {profile.rate ? <Badge tone="info">open loop {formatNumber(profile.rate)} req/s</Badge> : <Badge>closed loop</Badge>}
        </div>
      </td>
      <td>
        <LabelChips labels={profile.labels} />
      </td>
      <td className="small" title={profile.updatedAt}>
        {formatAgo(profile.updatedAt)}
      </td>
      <td>
        <span className="row">
          <Button size="sm" variant="primary" busy={running.loading} onClick={() => void start()} aria-label={`Run ${profile.name}`}>
            Run
          </Button>
          <ButtonLink size="sm" variant="ghost" to={`/performance/profiles/${profile.id}/edit`} aria-label={`Edit ${profile.name}`}>
            Edit
          </ButtonLink>
          <ConfirmButton
            confirmLabel={`Delete ${profile.name}`}
            busy={removing.loading}
            onConfirm={() => void remove({ variables: { id: profile.id } }).catch(onError)}
          >
            Delete
          </ConfirmButton>
        </span>
      </td>
    </tr>
  );
}

export default function ProfilesPage() {
  const { data, loading, error, refetch } = useQuery(PROFILES);
  const [actionError, setActionError] = useState<unknown>(null);
  return (
    <>
      <PageHeader
        title="Performance"
        description="Saved load tests (profiles): run one to watch it live; every run keeps its result in the SMP format."
        actions={
          <ButtonLink to="/performance/profiles/new" variant="primary">
            New profile
          </ButtonLink>
        }
      />
      <PerformanceNav />
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading profiles…" />
      {actionError ? <ErrorView details={errorDetails(actionError)} /> : null}
      {data ? (
        <Card title="Profiles">
          {data.performanceProfiles.length === 0 ? (
            <EmptyState
              title="No profile yet"
              action={
                <ButtonLink to="/performance/profiles/new" variant="primary">
                  Create a profile
                </ButtonLink>
              }
            >
              A profile names a URL and how to load it: connections, duration, and a target rate for an open-loop test.
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Target</th>
                    <th scope="col">Load</th>
                    <th scope="col">Labels</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.performanceProfiles.map((p) => (
                    <ProfileRow key={p.id} profile={p} onError={setActionError} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      ) : null}
    </>
  );
}
