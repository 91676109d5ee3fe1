import { stringify as toYaml } from 'yaml';
import { ApiClient } from '../api-client.js';
import { formatDuration } from '../duration.js';
import { CliError, ExitCode, type CliErrorDetails } from '../exit-codes.js';
import { FINAL_EVENT_TYPES, OPERATION_EVENT_FIELDS, OPERATION_FIELDS, type ErrorInfo, type Operation, type OperationEvent } from '../mesh-model.js';
import type { OutputFormat } from '../output.js';

const EVENTS = `subscription Events($id: ID!) { operationEvents(operationId: $id) { ${OPERATION_EVENT_FIELDS} } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelOperation(id: $id) { ${OPERATION_FIELDS} } }`;
const OPERATION = `query Operation($id: ID!) { operation(id: $id) { ${OPERATION_FIELDS} } }`;

/** How long the end of a cancelled operation is waited for before giving up on it. */
const CANCEL_GRACE_MS = 15_000;

/** One event as a line of text: time, type, what happened (and why it failed). */
export function eventLine(event: OperationEvent): string {
  const at = new Date(event.at);
  const time = Number.isNaN(at.getTime()) ? event.at : at.toTimeString().slice(0, 8);
  const failure = event.error && event.type === 'failed' ? ` [${event.error.code}]` : '';
  return `${time}  ${event.type.padEnd(10)} ${event.summary}${failure}`;
}

/** Prints one event: a line of text, a JSON line, or a YAML document of a stream. */
function printEvent(format: OutputFormat, event: OperationEvent): void {
  if (format === 'json') process.stdout.write(`${JSON.stringify(event)}\n`);
  else if (format === 'yaml') process.stdout.write(`---\n${toYaml(event)}`);
  else process.stdout.write(`${eventLine(event)}\n`);
}

const detailsOf = (error: ErrorInfo | null | undefined): CliErrorDetails => ({
  ...(error?.code ? { code: error.code } : {}),
  ...(error?.probableCause ? { cause: error.probableCause } : {}),
  ...(error?.remediation ? { remedy: error.remediation } : {}),
});

/** What to tell the user about an operation that ended: nothing when it succeeded, else the error to exit with. */
export function operationOutcomeError(operation: Operation, interruptedByUser: boolean, failure?: ErrorInfo | null): CliError | undefined {
  const error = operation.error ?? failure ?? null;
  if (interruptedByUser) {
    const how = operation.status === 'CANCELLED' ? 'was cancelled on the server' : `ended ${operation.status.toLowerCase()} before the cancellation took effect`;
    return new CliError(ExitCode.INTERRUPTED, `interrupted: operation ${operation.id} (${operation.summary}) ${how}`, {
      cause: 'Ctrl-C or SIGTERM.',
      remedy: 'The events above show what it did before it stopped; run the command again to finish (mesh actions converge), or undo it (e.g. "mesheryctl mesh uninstall").',
    });
  }
  switch (operation.status) {
    case 'SUCCEEDED':
      return undefined;
    case 'CANCELLED':
      return new CliError(ExitCode.OPERATION_CANCELLED, `operation ${operation.id} (${operation.summary}) was cancelled on the server`, {
        cause: 'Someone cancelled it (cancelOperation) while it ran.',
        remedy: 'The events above show what it did; run the command again to finish it.',
      });
    case 'RUNNING':
      return new CliError(ExitCode.OPERATION_FAILED, `operation ${operation.id} (${operation.summary}) reported its end but is still running on the server`, {
        remedy: 'Look at it again in a moment (operation query); this is likely a server bug.',
      });
    default:
      return new CliError(
        ExitCode.OPERATION_FAILED,
        `operation ${operation.id} ${operation.status === 'INTERRUPTED' ? 'was interrupted' : 'failed'}: ${error?.message ?? operation.summary}`,
        detailsOf(error),
      );
  }
}

/** How {@link followOperation} waits. */
export interface FollowOperationOptions {
  readonly format: OutputFormat;
  /** The operation is cancelled on the server, and the command fails with exit 8, when it has not ended by then. */
  readonly timeoutSeconds: number;
  /** A command that shows the result once it ended, for messages (e.g. `mesheryctl mesh status istio --cluster c`). */
  readonly checkWith: string;
}

/**
 * Prints an operation's events as they happen (those already stored first) until it ends, and
 * throws the error its end calls for: exit 6 when it failed (with the server's code, probable cause
 * and remediation), 7 when someone else cancelled it, 8 when it outlived `timeoutSeconds` (it is
 * cancelled on the server then). Ctrl-C or SIGTERM cancels it on the server, waits for its end,
 * and exits 130; a second Ctrl-C exits at once.
 */
export async function followOperation(client: ApiClient, operation: Operation, options: FollowOperationOptions): Promise<Operation> {
  const { id } = operation;
  const remedy = `It continues on the server: check it with ${options.checkWith}, or cancel it through the API (cancelOperation(id: "${id}")).`;
  let finalEvent: OperationEvent | undefined;
  const subscription = client.subscribe<{ operationEvents: OperationEvent }>(
    EVENTS,
    { id },
    {
      describe: `operation ${id}`,
      remedy,
      next: (data) => {
        const event = data.operationEvents;
        printEvent(options.format, event);
        if (FINAL_EVENT_TYPES.includes(event.type)) {
          finalEvent = event;
          return true;
        }
        return false;
      },
    },
  );

  let interrupted = false;
  let cancelFailure: string | undefined;
  let wake!: () => void;
  let grace: NodeJS.Timeout | undefined;
  // Settles when the user interrupted and the cancelled operation did not end in time.
  const givenUp = new Promise<'given-up'>((resolve) => (wake = () => resolve('given-up')));
  /** Asks the server to cancel (bounded); says how that went. */
  const cancelOnServer = async (): Promise<{ ok: boolean; message: string }> => {
    const bounded = new ApiClient({ ...client.connection, timeoutMs: Math.min(client.connection.timeoutMs, 5_000) });
    try {
      await bounded.graphql<{ cancelOperation: Operation }>(CANCEL, { id });
      return { ok: true, message: `operation ${id} was cancelled on the server.` };
    } catch (error) {
      if (error instanceof CliError && error.details.code === 'PRECONDITION_FAILED') return { ok: true, message: `operation ${id} had already ended.` };
      return { ok: false, message: `cancelling operation ${id} on the server failed: ${(error as Error).message}` };
    } finally {
      await bounded.close();
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      process.stderr.write(`\n${signal} again: exiting without waiting for the server.\n`);
      process.exit(ExitCode.INTERRUPTED);
    }
    interrupted = true;
    process.stderr.write(`\n${signal}: cancelling operation ${id} on the server (press Ctrl-C again to exit at once)...\n`);
    void cancelOnServer().then(({ ok, message }) => {
      if (!ok) cancelFailure = message;
      // Its end (its last event) is what is waited for now, within a grace period.
      grace = setTimeout(wake, ok ? CANCEL_GRACE_MS : 0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let deadline: NodeJS.Timeout | undefined;
  const overdue = new Promise<'overdue'>((resolve) => {
    deadline = setTimeout(() => resolve('overdue'), options.timeoutSeconds * 1000);
  });

  try {
    const outcome = await Promise.race([subscription.done.then(() => 'ended' as const), overdue, givenUp]);
    if (outcome === 'overdue' && !interrupted) {
      const { message } = await cancelOnServer();
      throw new CliError(ExitCode.STALLED, `operation ${id} (${operation.summary}) did not end within ${formatDuration(options.timeoutSeconds)} (--timeout)`, {
        cause: 'It is still waiting (see its last events above): a workload that does not become ready, or a slow cluster.',
        remedy: `Raise --timeout, or look at the cluster; run the command again to finish (mesh actions converge). Check with ${options.checkWith}.`,
        lines: [message],
      });
    }
    if (outcome !== 'ended') {
      throw new CliError(
        ExitCode.INTERRUPTED,
        cancelFailure ? `interrupted; ${cancelFailure}` : `interrupted: operation ${id} did not end within ${CANCEL_GRACE_MS / 1000} s of its cancellation`,
        { ...(cancelFailure ? {} : { cause: 'The server or the plugin is slow to stop it.' }), remedy },
      );
    }
    const ended = (await client.graphql<{ operation: Operation }>(OPERATION, { id })).operation;
    const error = operationOutcomeError(ended, interrupted, finalEvent?.error);
    if (error) throw error;
    return ended;
  } catch (error) {
    if (interrupted && error instanceof CliError && error.exitCode !== ExitCode.INTERRUPTED) {
      throw new CliError(ExitCode.INTERRUPTED, `interrupted; following operation ${id} failed: ${error.message}`, error.details);
    }
    throw error;
  } finally {
    clearTimeout(deadline);
    clearTimeout(grace);
    subscription.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
