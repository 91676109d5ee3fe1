import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { CANCEL_OPERATION, OPERATION, OPERATION_EVENTS } from '../api/documents.ts';
import { errorDetails, type ErrorDetails } from '../api/errors.ts';
import type { ErrorInfo, Operation, OperationEvent, OperationStatus } from '../api/types.ts';
import { formatDateTime, formatSeconds } from '../lib/format.ts';
import { eventAppearance, mergeEvents, objectRefText, operationKindLabel, operationOutcome } from '../lib/meshes.ts';
import { Alert, Button, ErrorView, OperationStatusBadge } from '../ui/components.tsx';
import { LiveIndicator } from '../ui/LiveIndicator.tsx';
import { QueryState } from '../ui/QueryState.tsx';

const asDetails = (error: ErrorInfo): ErrorDetails => ({
  message: error.message,
  code: error.code,
  probableCause: error.probableCause ?? undefined,
  remediation: error.remediation ?? undefined,
  problems: [],
  unreachable: false,
});

const timeOf = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
};

function EventRow({ event }: { event: OperationEvent }) {
  const look = eventAppearance(event.type, event.error?.code);
  return (
    <li className={`event event-${look.tone}`} data-type={event.type}>
      <span className="event-icon" aria-hidden="true">
        {look.icon}
      </span>
      <time className="event-time" dateTime={event.at}>
        {timeOf(event.at)}
      </time>
      <span className="event-type">{look.label}</span>
      <span className="event-text">
        <span className="event-summary">{event.summary}</span>
        {event.object ? <code className="event-object">{objectRefText(event.object)}</code> : null}
        {event.error && event.type !== 'failed' ? <span className="event-error">{event.error.message}</span> : null}
      </span>
    </li>
  );
}

function Outcome({ status, error, lastSummary }: { status: OperationStatus; error: ErrorInfo | null | undefined; lastSummary?: string }) {
  if (status === 'SUCCEEDED') {
    return (
      <Alert tone="success" title="Succeeded">
        {lastSummary ? <p>{lastSummary}</p> : null}
      </Alert>
    );
  }
  if (status === 'FAILED') {
    return <ErrorView title="The operation failed" details={asDetails(error ?? { code: 'INTERNAL', message: 'No reason was recorded.' })} />;
  }
  const cancelled = status === 'CANCELLED';
  return (
    <Alert tone="warning" title={cancelled ? 'Cancelled' : 'Interrupted'}>
      {error ? <p>{error.message}</p> : null}
      {error?.probableCause && !cancelled ? <p>Probable cause: {error.probableCause}</p> : null}
      <p>
        The events show what was done before it stopped. {error?.remediation ?? 'Running the action again converges: what is already in place is kept.'}
      </p>
    </Alert>
  );
}

/**
 * One operation, live: its events as they happen (the stored ones first), its final state with the
 * error's code, probable cause and remedy, and a Cancel button while it runs. Used in the
 * operation drawer and on /operations/:id.
 */
export function OperationView({
  id,
  onEnded,
  showSummary = true,
}: {
  id: string;
  onEnded?: (operation: Pick<Operation, 'id' | 'status'>) => void;
  /** Off where the summary is the title already (the drawer). */
  showSummary?: boolean;
}) {
  const query = useQuery(OPERATION, { variables: { id }, fetchPolicy: 'network-only' });
  const [events, setEvents] = useState<OperationEvent[]>([]);
  const refetch = query.refetch;
  const subscription = useSubscription(OPERATION_EVENTS, {
    variables: { operationId: id },
    fetchPolicy: 'no-cache',
    // The stream starts with the stored events: never join another subscriber's stream midway.
    context: { queryDeduplication: false },
    onData: ({ data }) => {
      const event = data.data?.operationEvents;
      if (!event) return;
      setEvents((current) => mergeEvents(current, [event]));
      if (event.type === 'done' || event.type === 'failed') void refetch();
    },
  });
  const [cancel, cancelling] = useMutation(CANCEL_OPERATION);

  const operation = query.data?.operation;
  const { status, error } = operationOutcome(operation, events);
  const running = status === 'RUNNING';

  // Tell the page once the operation has ended (it refreshes what the operation changed).
  const reported = useRef<string | null>(null);
  const onEndedRef = useRef(onEnded);
  onEndedRef.current = onEnded;
  useEffect(() => {
    if (!status || status === 'RUNNING' || reported.current === status) return;
    reported.current = status;
    onEndedRef.current?.({ id, status });
  }, [id, status]);

  // Follow the newest event, unless the reader scrolled up to read older ones.
  const logRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && stick.current) log.scrollTop = log.scrollHeight;
  }, [events.length]);

  const lastSummary = events.findLast((e) => e.type === 'done')?.summary;
  const ended = operation?.endedAt ?? (status && !running ? events.at(-1)?.at : undefined);
  const durationSeconds = operation && ended ? (new Date(ended).getTime() - new Date(operation.createdAt).getTime()) / 1000 : undefined;

  return (
    <div className="operation" data-testid="operation" data-status={status ?? 'LOADING'}>
      <QueryState loading={query.loading} error={query.error} hasData={!!operation} refetch={query.refetch} label="Loading the operation…" />
      {operation ? (
        <div className="operation-header">
          <div>
            {showSummary ? <p className="operation-summary">{operation.summary}</p> : null}
            <p className="muted small">
              {operationKindLabel(operation.kind)} · started {formatDateTime(operation.createdAt)}
              {durationSeconds !== undefined && durationSeconds >= 0 ? ` · took ${formatSeconds(durationSeconds)}` : ''}
            </p>
          </div>
          <div className="row">
            {status ? <OperationStatusBadge status={status} /> : null}
            <LiveIndicator active={running} />
            {running ? (
              <Button
                variant="danger"
                size="sm"
                busy={cancelling.loading}
                disabled={cancelling.called && !cancelling.error}
                onClick={() => void cancel({ variables: { id } }).catch(() => undefined)}
              >
                {cancelling.called && !cancelling.error ? 'Cancelling…' : 'Cancel'}
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
      {cancelling.error ? <ErrorView title="Could not cancel" details={errorDetails(cancelling.error)} /> : null}
      {status && !running ? <Outcome status={status} error={error} lastSummary={lastSummary} /> : null}
      {subscription.error ? (
        <ErrorView title="Live events stopped" details={errorDetails(subscription.error)} onRetry={() => subscription.restart()} />
      ) : null}
      <h3 className="operation-log-title" id={`log-${id}`}>
        Events <span className="muted small">({events.length})</span>
      </h3>
      <ol
        ref={logRef}
        className="event-log"
        role="log"
        aria-labelledby={`log-${id}`}
        aria-live="polite"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {events.map((event) => (
          <EventRow key={event.seq} event={event} />
        ))}
        {running || (!status && events.length === 0) ? (
          <li className="event event-pending">
            <span className="spinner spinner-inline" aria-hidden="true" />
            <span className="muted">{events.length === 0 ? 'Waiting for the first event…' : 'Waiting for the next event…'}</span>
          </li>
        ) : null}
      </ol>
    </div>
  );
}
