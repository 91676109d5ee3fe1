import {
  PluginError,
  type Clock,
  type LoadTestProgress,
  type LoadTestResult,
  type LoadTestSpec,
  type OperationContext,
} from '@meshery/plugin-api';
import autocannon from 'autocannon';
import { instrumentClient, markAnswered, type AutocannonClient, type InstrumentedClient } from './autocannon-client.js';
import type { LoadModelPlan } from './load-model.js';
import { PhaseStats } from './phase-stats.js';
import type { RequestOptions } from './request-options.js';

/** How often progress is reported. */
const PROGRESS_INTERVAL_MS = 1000;
/** A phase-closing sample is skipped when the last one is more recent than this. */
const MIN_CLOSING_SAMPLE_GAP_NS = 100_000_000n;
/** autocannon's sample interval; it also bounds how long autocannon takes to tidy up after a stop. */
const AUTOCANNON_SAMPLE_INTERVAL_MS = 100;
/** autocannon's own duration is set past ours so that this plugin always decides the end. */
const AUTOCANNON_DURATION_MARGIN_SECONDS = 5;
/** Longest wait for autocannon to report it has stopped before the result is returned anyway. */
const AUTOCANNON_TEARDOWN_TIMEOUT_MS = 1000;

/** What a run needs besides the spec. */
export interface LoadTestRunInput {
  readonly spec: LoadTestSpec;
  readonly request: RequestOptions;
  readonly plan: LoadModelPlan;
  readonly ctx: OperationContext<LoadTestProgress>;
  readonly clock: Clock;
  readonly engine: { readonly name: string; readonly version: string };
}

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/**
 * One load test: a single autocannon instance runs the warm-up and the measured phase back to
 * back on the same connections; each response is attributed to the phase during which it
 * arrived. This class decides when phases start and end (autocannon's own duration is only a
 * safety net) and stops autocannon's connections itself, so a cancel stops the load at once.
 */
export class LoadTestRun {
  private readonly warmup: PhaseStats | undefined;
  private readonly measure = new PhaseStats('measure');
  /** The phase responses and errors are counted in; undefined once the test has ended. */
  private current: PhaseStats | undefined;
  private readonly clients: { readonly client: AutocannonClient; readonly instrumented: InstrumentedClient }[] = [];
  private instance: autocannon.Instance | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private progressTimer: NodeJS.Timeout | undefined;
  private testStartedNs = 0n;
  private lastSampleNs = 0n;
  private lastSampleResponses = 0;
  private finished = false;
  /** Idle connections autocannon's timeout closed and reopened (not request timeouts). */
  private idleReconnects = 0;
  private autocannonStopped!: Promise<void>;
  private resolve!: (result: LoadTestResult) => void;
  private reject!: (error: PluginError) => void;
  private readonly onAbort = (): void => this.finish(true);

  constructor(private readonly input: LoadTestRunInput) {
    this.warmup = input.spec.warmupSeconds > 0 ? new PhaseStats('warmup') : undefined;
  }

  /** Runs the test; resolves with the result (partial and `cancelled` when aborted). */
  start(): Promise<LoadTestResult> {
    const { spec, request, plan, ctx, clock } = this.input;
    return new Promise<LoadTestResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      const nowNs = clock.monotonicNs();
      this.testStartedNs = nowNs;
      this.lastSampleNs = nowNs;
      const first = this.warmup ?? this.measure;
      first.start(nowNs, clock.now());
      this.current = first;

      // Timers are armed before autocannon starts so that, with the open-loop rate, a phase
      // boundary never falls after the per-second burst it coincides with.
      if (this.warmup) this.timers.push(setTimeout(() => this.beginMeasure(), spec.warmupSeconds * 1000));
      this.timers.push(setTimeout(() => this.finish(false), (spec.warmupSeconds + spec.durationSeconds) * 1000));
      this.progressTimer = setInterval(() => this.emitProgress(false), PROGRESS_INTERVAL_MS);

      let setupError: unknown;
      let settled!: () => void;
      this.autocannonStopped = new Promise<void>((done) => (settled = done));
      try {
        this.instance = autocannon(
          {
            url: request.url,
            method: request.method,
            headers: request.headers,
            ...(request.body !== undefined ? { body: request.body } : {}),
            connections: plan.connections,
            ...(plan.overallRate !== undefined ? { overallRate: plan.overallRate } : {}),
            duration: spec.warmupSeconds + spec.durationSeconds + AUTOCANNON_DURATION_MARGIN_SECONDS,
            // autocannon refuses a timeout under 1 s; the exact one is set on each connection.
            timeout: Math.max(1, request.timeoutMs / 1000),
            sampleInt: AUTOCANNON_SAMPLE_INTERVAL_MS,
            skipAggregateResult: true,
            setupClient: (client) => this.setupClient(client as unknown as AutocannonClient),
          },
          (error: unknown) => {
            if (this.instance === undefined && !this.finished) setupError = error ?? setupError;
            else if (error) ctx.logger.warn('autocannon stopped with an error', { error: String(error) });
            settled();
            // autocannon ended on its own (every connection done): end the test now.
            if (!this.finished && this.instance !== undefined) this.finish(false);
          },
        );
      } catch (error) {
        setupError = error;
      }
      if (setupError !== undefined) {
        this.finished = true;
        this.current = undefined;
        this.teardown();
        settled();
        const message = setupError instanceof Error ? setupError.message : String(setupError);
        reject(
          new PluginError('INVALID_REQUEST', `autocannon cannot run this test: ${message}`, {
            probableCause: 'autocannon rejected the request or load options.',
            remediation: 'Check the URL, method, headers and body of the test.',
          }),
        );
        return;
      }
      this.instance!.on('response', this.onResponse);
      ctx.signal.addEventListener('abort', this.onAbort, { once: true });
      if (ctx.signal.aborted) this.finish(true);
    });
  }

  /** The per-response path: one histogram record and a few counters. */
  private readonly onResponse = (
    client: autocannon.Client,
    statusCode: number,
    resBytes: number,
    responseTimeMs: number,
  ): void => {
    markAnswered(client as unknown as AutocannonClient);
    const phase = this.current;
    if (phase !== undefined) phase.recordResponse(statusCode, resBytes, responseTimeMs);
  };

  private setupClient(client: AutocannonClient): void {
    const instrumented = instrumentClient(
      client,
      { timeoutMs: this.input.request.timeoutMs, headRequests: this.input.request.method === 'HEAD' },
      {
        onRequestWritten: (bytes) => {
          const phase = this.current;
          if (phase !== undefined) phase.bytesWritten += bytes;
        },
        onConnectionError: (error, unsentBytes) => {
          const phase = this.current;
          if (phase === undefined) return;
          phase.recordError(error.code ?? error.name ?? 'unknown', false);
          phase.bytesWritten -= unsentBytes;
        },
        onTimeout: (hadRequestWaiting) => {
          if (hadRequestWaiting) this.current?.recordError('timeout', true);
          else this.idleReconnects++;
        },
      },
    );
    this.clients.push({ client, instrumented });
    if (!instrumented.headHandled && this.clients.length === 1) {
      this.input.ctx.logger.warn('HEAD responses cannot be told apart from responses with a body in this autocannon version; expect timeouts');
    }
  }

  private beginMeasure(): void {
    if (this.finished || this.current !== this.warmup || this.warmup === undefined) return;
    this.emitProgress(true);
    const { clock } = this.input;
    const nowNs = clock.monotonicNs();
    const nowMs = clock.now();
    this.warmup.end(nowNs, nowMs);
    this.measure.start(nowNs, nowMs);
    this.current = this.measure;
    this.lastSampleNs = nowNs;
    this.lastSampleResponses = 0;
    // Measure samples fall a whole number of seconds after the measured phase starts.
    if (this.progressTimer) clearInterval(this.progressTimer);
    this.progressTimer = setInterval(() => this.emitProgress(false), PROGRESS_INTERVAL_MS);
  }

  /**
   * A progress sample of the current phase. `closing` samples (at the end of a phase) are
   * skipped when a regular one has just been sent.
   */
  private emitProgress(closing: boolean): void {
    const phase = this.current;
    if (phase === undefined) return;
    const nowNs = this.input.clock.monotonicNs();
    const sinceLastNs = nowNs - this.lastSampleNs;
    if (closing && sinceLastNs < MIN_CLOSING_SAMPLE_GAP_NS) return;
    const seconds = Number(sinceLastNs) / 1e9;
    const sample: LoadTestProgress = {
      type: 'progress',
      phase: phase.name,
      elapsedSeconds: round(Number(nowNs - this.testStartedNs) / 1e9, 3),
      requests: phase.responses,
      errors: phase.errors,
      currentRps: seconds > 0 ? round((phase.responses - this.lastSampleResponses) / seconds, 2) : 0,
      latencyP50Ms: phase.percentileMs(50),
      latencyP99Ms: phase.percentileMs(99),
    };
    this.lastSampleNs = nowNs;
    this.lastSampleResponses = phase.responses;
    this.input.ctx.emit(sample);
  }

  /** Ends the test (once): stops the load at once, then resolves with the measured phase. */
  private finish(cancelled: boolean): void {
    if (this.finished) return;
    this.emitProgress(true);
    this.finished = true;
    const { clock, ctx } = this.input;
    const nowNs = clock.monotonicNs();
    const nowMs = clock.now();
    if (this.current === this.warmup && this.warmup !== undefined) {
      // Cancelled during the warm-up: nothing was measured.
      this.warmup.end(nowNs, nowMs);
      this.measure.start(nowNs, nowMs);
    }
    this.measure.end(nowNs, nowMs);
    this.current = undefined;
    for (const { instrumented } of this.clients) this.measure.bytesWritten -= instrumented.unsentBytes();
    this.teardown();
    let result: LoadTestResult;
    try {
      result = this.result(cancelled);
    } catch (error) {
      this.reject(PluginError.from(error));
      return;
    }
    ctx.logger.info(cancelled ? 'load test cancelled' : 'load test finished', {
      requests: result.requests,
      errors: result.errors,
      throughputRps: result.throughputRps,
      measuredDurationSeconds: result.measuredDurationSeconds,
    });
    if (this.idleReconnects > 0) {
      ctx.logger.warn('autocannon reopened idle connections when the request timeout elapsed between two seconds of the rate', {
        idleReconnects: this.idleReconnects,
        remediation: 'Use a request timeout of a few seconds with an open-loop rate; these were not counted as timeouts.',
      });
    }
    // Give autocannon a moment to clear its own timers so nothing of this test outlives it.
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((done) => (timer = setTimeout(done, AUTOCANNON_TEARDOWN_TIMEOUT_MS)));
    void Promise.race([this.autocannonStopped, waited]).then(() => {
      clearTimeout(timer);
      this.resolve(result);
    });
  }

  /** Stops timers and every connection; the load stops here. */
  private teardown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
    if (this.progressTimer) clearInterval(this.progressTimer);
    this.progressTimer = undefined;
    this.input.ctx.signal.removeEventListener('abort', this.onAbort);
    for (const { client } of this.clients) {
      try {
        client.destroy();
      } catch (error) {
        this.input.ctx.logger.debug('closing an autocannon connection failed', { error: String(error) });
      }
    }
    this.instance?.stop();
  }

  private result(cancelled: boolean): LoadTestResult {
    const m = this.measure;
    const { plan, engine } = this.input;
    const seconds = round(m.durationSeconds(this.input.clock.monotonicNs()), 6);
    return {
      startedAt: new Date(m.startedAtMs).toISOString(),
      endedAt: new Date(m.endedAtMs ?? m.startedAtMs).toISOString(),
      measuredDurationSeconds: seconds,
      loadModel: plan.loadModel,
      requests: m.responses,
      throughputRps: seconds > 0 ? m.responses / seconds : 0,
      latencyMs: m.latencySummaryMs(),
      histogram: m.serializedHistogram(),
      statusCodes: m.statusCodes(),
      errors: m.errors,
      errorsByType: { ...m.errorsByType },
      timeouts: m.timeouts,
      bytesRead: m.bytesRead,
      bytesWritten: Math.max(0, m.bytesWritten),
      engine: { name: engine.name, version: engine.version },
      cancelled,
    };
  }
}
