import cliProgress from 'cli-progress';
import { ApiClient } from '../api-client.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { num } from '../output.js';
import { RESULT_FIELDS, SAMPLE_FIELDS, type PerformanceResult, type ProgressEvent, type ProgressSample } from '../perf-model.js';

const PROGRESS = `subscription Progress($runId: ID!) {
  performanceTestProgress(runId: $runId) { runId status done sample { ${SAMPLE_FIELDS} } result { ${RESULT_FIELDS} } }
}`;

const CANCEL = `mutation Cancel($runId: ID!) { cancelPerformanceTest(runId: $runId) { ${RESULT_FIELDS} } }`;

const RESULT = `query Result($id: ID!) { performanceResult(id: $id) { ${RESULT_FIELDS} } }`;

/** How a followed run ended. */
export interface FollowOutcome {
  readonly result: PerformanceResult;
  /** True when this process cancelled the run (Ctrl-C or SIGTERM). */
  readonly interruptedByUser: boolean;
}

/** How progress is shown while a run goes on. */
export type ProgressMode = 'bar' | 'lines' | 'none';

/** Progress display on stderr: a live bar on a terminal, a line every few seconds otherwise. */
class ProgressView {
  private bar: cliProgress.SingleBar | undefined;
  private lastLineAt = -Infinity;

  constructor(
    private readonly mode: ProgressMode,
    private readonly totalSeconds: number,
  ) {}

  private payload(sample: ProgressSample | undefined) {
    return {
      phase: sample?.phase === 'warmup' ? 'warm-up' : 'measure',
      rps: num(sample?.currentRps, 0).padStart(7),
      p50: num(sample?.latencyP50Ms ?? null, 2),
      p99: num(sample?.latencyP99Ms ?? null, 2),
      requests: num(sample?.requests, 0),
      errors: num(sample?.errors, 0),
      elapsed: (sample?.elapsedSeconds ?? 0).toFixed(1),
      total: String(this.totalSeconds),
    };
  }

  start(): void {
    if (this.mode !== 'bar') return;
    this.bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format:
          '{bar} {elapsed}/{total} s | {phase} | {rps} req/s | p50 {p50} ms | p99 {p99} ms | {requests} responses, {errors} errors',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(this.totalSeconds, 0, this.payload(undefined));
  }

  update(sample: ProgressSample): void {
    if (this.mode === 'bar') {
      this.bar?.update(Math.min(sample.elapsedSeconds, this.totalSeconds), this.payload(sample));
    } else if (this.mode === 'lines' && sample.elapsedSeconds - this.lastLineAt >= 5) {
      this.lastLineAt = sample.elapsedSeconds;
      const p = this.payload(sample);
      process.stderr.write(
        `[${p.elapsed.padStart(6)}/${p.total} s] ${p.phase.padEnd(7)} ${p.rps} req/s  p50 ${p.p50} ms  p99 ${p.p99} ms  ${p.requests} responses, ${p.errors} errors\n`,
      );
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/**
 * Follows a run to its end over graphql-ws with a live progress display. Ctrl-C (or SIGTERM)
 * cancels the run on the server and resolves with its partial result; a second Ctrl-C exits at
 * once. Fails with exit code 8 when the server stops reporting for the stall timeout, or when
 * the run does not end within its duration plus a margin.
 */
export async function followRun(
  client: ApiClient,
  runId: string,
  timing: { durationSeconds: number; warmupSeconds: number },
  mode: ProgressMode,
): Promise<FollowOutcome> {
  const totalSeconds = timing.durationSeconds + timing.warmupSeconds;
  const view = new ProgressView(mode, totalSeconds);
  const stallMs = client.connection.stallTimeoutMs;
  const remedy = `See where it stands with "mesheryctl perf result view ${runId}"; cancel it with Ctrl-C on a new "perf apply" or through the API (cancelPerformanceTest).`;
  let final: PerformanceResult | undefined;
  const subscription = client.subscribe<{ performanceTestProgress: ProgressEvent }>(PROGRESS, { runId }, {
    stallTimeoutMs: stallMs,
    describe: `run ${runId}`,
    remedy,
    next: (data) => {
      const event = data.performanceTestProgress;
      if (event.sample) view.update(event.sample);
      if (event.done) {
        final = event.result ?? undefined;
        return true;
      }
      return false;
    },
  });

  // The run must end within its length plus the server's grace and a margin.
  const deadlineMs = (totalSeconds + 30) * 1000 + stallMs;
  let deadline: NodeJS.Timeout | undefined;
  const overdue = new Promise<never>((_, reject) => {
    deadline = setTimeout(() => {
      reject(
        new CliError(ExitCode.STALLED, `run ${runId} did not finish within ${Math.round(deadlineMs / 1000)} s`, {
          cause: `The test was set to last ${totalSeconds} s; the server or its load generator is stuck.`,
          remedy,
        }),
      );
    }, deadlineMs);
  });

  let interrupted = false;
  let resolveInterrupt!: (result: PerformanceResult) => void;
  let rejectInterrupt!: (error: unknown) => void;
  const cancelled = new Promise<PerformanceResult>((resolve, reject) => {
    resolveInterrupt = resolve;
    rejectInterrupt = reject;
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      process.stderr.write(`\n${signal} again: exiting without waiting for the server.\n`);
      process.exit(ExitCode.INTERRUPTED);
    }
    interrupted = true;
    view.stop();
    process.stderr.write(`\n${signal}: cancelling run ${runId} on the server (press Ctrl-C again to exit at once)...\n`);
    client
      .graphql<{ cancelPerformanceTest: PerformanceResult }>(CANCEL, { runId })
      .then((data) => resolveInterrupt(data.cancelPerformanceTest))
      .catch(async (error: unknown) => {
        // It may have finished in between: then its stored result is what we want.
        if (error instanceof CliError && error.details.code === 'PRECONDITION_FAILED') {
          try {
            resolveInterrupt((await client.graphql<{ performanceResult: PerformanceResult }>(RESULT, { id: runId })).performanceResult);
            return;
          } catch (again) {
            rejectInterrupt(again);
            return;
          }
        }
        rejectInterrupt(error);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  view.start();
  try {
    const outcome = await Promise.race([
      subscription.done.then(() => 'done' as const),
      cancelled.then((result) => ({ result })),
      overdue,
    ]);
    if (outcome === 'done') {
      if (!final) {
        final = (await client.graphql<{ performanceResult: PerformanceResult }>(RESULT, { id: runId })).performanceResult;
      }
      return { result: final, interruptedByUser: interrupted };
    }
    return { result: outcome.result, interruptedByUser: true };
  } catch (error) {
    if (!interrupted && error instanceof CliError && error.exitCode === ExitCode.STALLED) {
      throw await withCancelAttempt(client, runId, error);
    }
    if (interrupted && error instanceof CliError && error.exitCode !== ExitCode.INTERRUPTED) {
      throw new CliError(ExitCode.INTERRUPTED, `interrupted; cancelling run ${runId} failed: ${error.message}`, error.details);
    }
    throw error;
  } finally {
    view.stop();
    clearTimeout(deadline);
    subscription.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** A stalled run is cancelled on the server (best effort, bounded) so it does not go on unobserved. */
async function withCancelAttempt(client: ApiClient, runId: string, error: CliError): Promise<CliError> {
  const bounded = new ApiClient({ ...client.connection, timeoutMs: Math.min(client.connection.timeoutMs, 5_000) });
  let outcome: string;
  try {
    const { cancelPerformanceTest: cancelled } = await bounded.graphql<{ cancelPerformanceTest: PerformanceResult }>(CANCEL, { runId });
    outcome = `run ${runId} was cancelled on the server (status ${cancelled.status}); its partial result is kept.`;
  } catch (cancelError) {
    outcome = `cancelling run ${runId} on the server failed too: ${(cancelError as Error).message}`;
  }
  return new CliError(error.exitCode, error.message, { ...error.details, lines: [...(error.details.lines ?? []), outcome] });
}
