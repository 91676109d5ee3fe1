import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { CREATE_PROFILE, LOAD_GENERATORS, PROFILE_EDIT, PROFILES, RUN_TEST, UPDATE_PROFILE } from '../api/documents.ts';
import { errorDetails, problemsFor, type ErrorDetails } from '../api/errors.ts';
import type { LoadGenerator, PerformanceProfile, ProfileInput } from '../api/types.ts';
import { formatHeaders, formatLabels, parseHeaders, parseLabels, parseNumber } from '../lib/forms.ts';
import { Button, ButtonLink, Card, ErrorView, PageHeader, SelectField, TextAreaField, TextField } from '../ui/components.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { PerformanceNav } from './PerformanceNav.tsx';

const DEFAULT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

interface FormState {
  name: string;
  url: string;
  method: string;
  connections: string;
  durationSeconds: string;
  loadModel: 'closed' | 'open';
  rate: string;
  warmupSeconds: string;
  requestTimeoutSeconds: string;
  loadGenerator: string;
  headers: string;
  contentType: string;
  body: string;
  labels: string;
}

const EMPTY: FormState = {
  name: '',
  url: 'http://127.0.0.1:8080/',
  method: 'GET',
  connections: '10',
  durationSeconds: '30',
  loadModel: 'closed',
  rate: '',
  warmupSeconds: '',
  requestTimeoutSeconds: '10',
  loadGenerator: '',
  headers: '',
  contentType: '',
  body: '',
  labels: '',
};

function fromProfile(p: PerformanceProfile): FormState {
  return {
    name: p.name,
    url: p.url,
    method: p.method,
    connections: String(p.connections),
    durationSeconds: String(p.durationSeconds),
    loadModel: p.rate ? 'open' : 'closed',
    rate: p.rate ? String(p.rate) : '',
    warmupSeconds: String(p.warmupSeconds),
    requestTimeoutSeconds: String(p.requestTimeoutSeconds),
    loadGenerator: p.loadGenerator ?? '',
    headers: formatHeaders(p.headers),
    contentType: p.contentType ?? '',
    body: p.body ?? '',
    labels: formatLabels(p.labels),
  };
}

/** Builds the API input, or the problems found before sending (shown like the API's). */
function toInput(form: FormState): { input: ProfileInput } | { problems: ErrorDetails } {
  const problems: { field: string; message: string }[] = [];
  let headers: ProfileInput['headers'] = [];
  let labels: ProfileInput['labels'] = [];
  try {
    headers = parseHeaders(form.headers);
  } catch (error) {
    problems.push({ field: 'headers', message: (error as Error).message });
  }
  try {
    labels = parseLabels(form.labels);
  } catch (error) {
    problems.push({ field: 'labels', message: (error as Error).message });
  }
  const number = (field: keyof FormState, text: string, required: boolean): number | undefined => {
    const value = parseNumber(text);
    if (value === undefined) {
      if (required) problems.push({ field, message: 'required' });
      return undefined;
    }
    if (Number.isNaN(value)) problems.push({ field, message: `"${text}" is not a number` });
    return value;
  };
  if (form.name.trim() === '') problems.push({ field: 'name', message: 'give the profile a name' });
  const connections = number('connections', form.connections, true);
  const durationSeconds = number('durationSeconds', form.durationSeconds, true);
  const requestTimeoutSeconds = number('requestTimeoutSeconds', form.requestTimeoutSeconds, true);
  const warmupSeconds = number('warmupSeconds', form.warmupSeconds, false);
  const rate = form.loadModel === 'open' ? number('rate', form.rate, true) : undefined;
  if (problems.length > 0) {
    return {
      problems: {
        message: 'Some fields need attention',
        problems,
        remediation: 'Correct the fields marked below; nothing was saved.',
        unreachable: false,
      },
    };
  }
  return {
    input: {
      name: form.name.trim(),
      url: form.url.trim(),
      method: form.method,
      headers,
      ...(form.body !== '' ? { body: form.body } : {}),
      ...(form.contentType.trim() !== '' ? { contentType: form.contentType.trim() } : {}),
      connections: connections!,
      durationSeconds: durationSeconds!,
      rate: rate ?? null,
      warmupSeconds: warmupSeconds ?? null,
      requestTimeoutSeconds: requestTimeoutSeconds!,
      ...(form.loadGenerator ? { loadGenerator: form.loadGenerator } : {}),
      labels,
    },
  };
}

function ProfileForm({
  initial,
  profileId,
  generators,
}: {
  initial: FormState;
  profileId?: string;
  generators: LoadGenerator[];
}) {
  const navigate = useNavigate();
  const [form, setForm] = useState<FormState>(initial);
  const [localProblems, setLocalProblems] = useState<ErrorDetails | null>(null);
  const [create, creating] = useMutation(CREATE_PROFILE, { refetchQueries: [PROFILES] });
  const [update, updating] = useMutation(UPDATE_PROFILE, { refetchQueries: [PROFILES] });
  const [run, starting] = useMutation(RUN_TEST);
  const [apiError, setApiError] = useState<ErrorDetails | null>(null);
  const busy = creating.loading || updating.loading || starting.loading;
  const details = localProblems ?? apiError ?? undefined;
  const set = <K extends keyof FormState>(key: K) => (value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const generator = generators.find((g) => g.name === form.loadGenerator) ?? generators[0];
  const methods = generator?.methods.length ? generator.methods : DEFAULT_METHODS;
  const openLoopSupported = !generator || generator.loadModels.includes('open-loop');

  const save = async (andRun: boolean) => {
    const built = toInput(form);
    if ('problems' in built) {
      setLocalProblems(built.problems);
      return;
    }
    setLocalProblems(null);
    setApiError(null);
    try {
      let id = profileId;
      if (profileId) {
        const { input } = built;
        await update({
          variables: {
            id: profileId,
            input: {
              ...input,
              // Empty strings remove the body and content type; rate 0 switches to closed loop.
              body: input.body ?? '',
              contentType: input.contentType ?? '',
              rate: input.rate ?? 0,
              warmupSeconds: input.warmupSeconds ?? undefined,
            },
          },
        });
      } else {
        const { data } = await create({ variables: { input: built.input } });
        id = data?.createPerformanceProfile.id;
      }
      if (andRun && id) {
        const { data } = await run({ variables: { input: { profileId: id } } });
        if (data) {
          void navigate(`/performance/runs/${data.runPerformanceTest.id}`);
          return;
        }
      }
      void navigate('/performance/profiles');
    } catch (error) {
      setApiError(errorDetails(error));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(false);
  };

  return (
    <form onSubmit={submit} aria-label={profileId ? 'Edit profile' : 'New profile'} noValidate>
      {details ? <ErrorView details={details} /> : null}
      <Card title="Target">
        <div className="form-grid">
          <TextField id="profile-name" label="Name" value={form.name} onChange={(e) => set('name')(e.target.value)} required errors={problemsFor(details, 'name')} />
          <TextField
            id="profile-url"
            label="URL"
            fieldClassName="span-2"
            type="url"
            value={form.url}
            onChange={(e) => set('url')(e.target.value)}
            required
            hint="http:// or https:// URL of the service under test"
            errors={problemsFor(details, 'url')}
          />
          <SelectField id="profile-method" label="Method" value={form.method} onChange={(e) => set('method')(e.target.value)} errors={problemsFor(details, 'method')}>
            {methods.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </SelectField>
          <TextAreaField
            id="profile-headers"
            label="Headers"
            fieldClassName="span-2"
            rows={3}
            value={form.headers}
            onChange={(e) => set('headers')(e.target.value)}
            hint="One per line: Name: value"
            spellCheck={false}
            errors={problemsFor(details, 'headers')}
          />
          <TextField
            id="profile-content-type"
            label="Content type"
            value={form.contentType}
            onChange={(e) => set('contentType')(e.target.value)}
            placeholder="application/json"
            errors={problemsFor(details, 'contentType')}
          />
          <TextAreaField
            id="profile-body"
            label="Body"
            fieldClassName="span-all"
            rows={3}
            value={form.body}
            onChange={(e) => set('body')(e.target.value)}
            spellCheck={false}
            errors={problemsFor(details, 'body')}
          />
        </div>
      </Card>
      <Card title="Load">
        <div className="form-grid">
          <TextField
            id="profile-connections"
            label="Connections"
            type="number"
            min={1}
            inputMode="numeric"
            value={form.connections}
            onChange={(e) => set('connections')(e.target.value)}
            errors={problemsFor(details, 'connections')}
          />
          <TextField
            id="profile-duration"
            label="Duration (s)"
            type="number"
            min={0.1}
            step="any"
            value={form.durationSeconds}
            onChange={(e) => set('durationSeconds')(e.target.value)}
            errors={problemsFor(details, 'durationSeconds')}
          />
          <TextField
            id="profile-warmup"
            label="Warm-up (s)"
            type="number"
            min={0}
            step="any"
            value={form.warmupSeconds}
            onChange={(e) => set('warmupSeconds')(e.target.value)}
            hint="Empty: 5 s for tests of 30 s or more, else none"
            errors={problemsFor(details, 'warmupSeconds')}
          />
          <TextField
            id="profile-timeout"
            label="Request timeout (s)"
            type="number"
            min={0.1}
            step="any"
            value={form.requestTimeoutSeconds}
            onChange={(e) => set('requestTimeoutSeconds')(e.target.value)}
            errors={problemsFor(details, 'requestTimeoutSeconds')}
          />
          <fieldset className="span-2">
            <legend>Load model</legend>
            <div className="row">
              <label className="row">
                <input type="radio" name="load-model" checked={form.loadModel === 'closed'} onChange={() => set('loadModel')('closed')} />
                Closed loop (as fast as the target answers)
              </label>
              <label className="row">
                <input
                  type="radio"
                  name="load-model"
                  checked={form.loadModel === 'open'}
                  disabled={!openLoopSupported}
                  onChange={() => set('loadModel')('open')}
                />
                Open loop (a target rate)
              </label>
            </div>
          </fieldset>
          {form.loadModel === 'open' ? (
            <TextField
              id="profile-rate"
              label="Rate (req/s)"
              type="number"
              min={0.1}
              step="any"
              value={form.rate}
              onChange={(e) => set('rate')(e.target.value)}
              hint="Latency is measured from each request’s intended send time"
              errors={problemsFor(details, 'rate')}
            />
          ) : null}
          <SelectField
            id="profile-generator"
            label="Load generator"
            value={form.loadGenerator}
            onChange={(e) => set('loadGenerator')(e.target.value)}
            errors={problemsFor(details, 'loadGenerator')}
          >
            <option value="">First available{generators[0] ? ` (${generators[0].displayName})` : ''}</option>
            {generators.map((g) => (
              <option key={g.name} value={g.name}>
                {g.displayName} ({g.name})
              </option>
            ))}
          </SelectField>
          <TextField
            id="profile-labels"
            label="Labels"
            fieldClassName="span-2"
            value={form.labels}
            onChange={(e) => set('labels')(e.target.value)}
            placeholder="mesh=none, env=dev"
            hint="key=value, separated by commas; copied to every result"
            errors={problemsFor(details, 'labels')}
          />
        </div>
      </Card>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy && !starting.loading}>
          {profileId ? 'Save changes' : 'Create profile'}
        </Button>
        <Button onClick={() => void save(true)} busy={starting.loading} disabled={busy}>
          {profileId ? 'Save and run' : 'Create and run'}
        </Button>
        <ButtonLink to="/performance/profiles" variant="ghost">
          Cancel
        </ButtonLink>
      </div>
    </form>
  );
}

function EditProfile({ id }: { id: string }) {
  const { data, loading, error, refetch } = useQuery(PROFILE_EDIT, { variables: { id }, fetchPolicy: 'network-only' });
  return (
    <>
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading the profile…" />
      {data ? <ProfileForm key={data.performanceProfile.updatedAt} initial={fromProfile(data.performanceProfile)} profileId={id} generators={data.loadGenerators} /> : null}
    </>
  );
}

function NewProfile() {
  const { data, loading, error, refetch } = useQuery(LOAD_GENERATORS);
  return (
    <>
      <QueryState loading={loading} error={error} hasData={!!data} refetch={refetch} label="Loading load generators…" />
      {data ? <ProfileForm initial={EMPTY} generators={data.loadGenerators} /> : null}
    </>
  );
}

export default function ProfileFormPage() {
  const { id } = useParams();
  return (
    <>
      <PageHeader
        title={id ? 'Edit profile' : 'New profile'}
        description="A profile is a saved load test. Results of its runs keep the settings they ran with."
      />
      <PerformanceNav />
      {id ? <EditProfile id={id} /> : <NewProfile />}
    </>
  );
}
