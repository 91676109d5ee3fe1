import {
  PluginError,
  type Clock,
  type LoadTestProgress,
  type LoadTestResult,
  type LoadTestSpec,
  type OpenLoopStats,
  type OperationContext,
} from '@meshery/plugin-api';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { AutocannonChangedError, Connection, type ConnectionDriver } from './autocannon-connection.js';
import type { LoadModelPlan } from './load-model.js';
import { OpenLoopSchedule } from './open-loop-schedule.js';
import { PhaseStats } from './phase-stats.js';
import type { RequestOptions } from './request-options.js';

/** How often progress is reported. */
const PROGRESS_INTERVAL_MS = 1000;
/** A phase-closing sample is skipped when the last one is more recent than this. */
const MIN_CLOSING_SAMPLE_GAP_NS = 100_000_000n;
/**
 * Open loop: a send leaving more than this after its intended time counts as late. Node.js
 * timers fire on whole milliseconds, so sends routinely leave up to about 1 ms late (that time
 * is in the corrected latency, as with wrk2); past 2 ms the generator had no free connection or
 * its event loop was busy.
 */
export const LATE_THRESHOLD_MS = 2;
/** How often the generator's own lateness is sampled in open loop. */
const LOOP_DELAY_RESOLUTION_MS = 10;
/** Open loop: a warning is logged when more than this share of the sends was late. */
const LATE_WARNING_SHARE = 0.01;

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
 * One load test on `connections` keep-alive connections (autocannon clients this class drives,
 * see {@link Connection}), warm-up and measured phase back to back on the same connections.
 *
 * - Closed loop: a connection sends its next request as soon as it is free; a response counts
 *   in the phase during which it arrived; latency runs from the actual send.
 * - Open loop: one {@link OpenLoopSchedule}. When a send is due it goes to a free connection
 *   (oldest free first); when none is free it waits for the first one to free up, and still
 *   counts from its intended time. A request belongs to the phase of its intended time. At the
 *   end of the measured phase the schedule stops and the run waits for the measured requests
 *   still outstanding (at most `requestTimeoutSeconds`), so the requests a stall delays past
 *   the end are measured too.
 *
 * This class decides when phases start and end, and closes the connections itself, so a cancel
 * stops the load at once.
 */
export class LoadTestRun implements ConnectionDriver {
  private readonly warmup: PhaseStats | undefined;
  private readonly measure: PhaseStats;
  /** The phase progress reports (and closed-loop responses count in); undefined once ended. */
  private current: PhaseStats | undefined;
  private readonly connections: Connection[] = [];
  /** Open loop: the schedule, created when the test starts; undefined in closed loop. */
  private schedule: OpenLoopSchedule | undefined;
  /** Open loop: free connections, oldest first (a ring of `connections` slots). */
  private readonly freeRing: (Connection | undefined)[];
  private freeHead = 0;
  private freeCount = 0;
  private pumpTimer: NodeJS.Timeout | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private progressTimer: NodeJS.Timeout | undefined;
  private testStartedNs = 0n;
  private lastSampleNs = 0n;
  private lastSampleResponses = 0;
  /** Open loop: the measured phase's schedule has ended; waiting for its outstanding requests. */
  private draining = false;
  /** No request is sent any more. */
  private stopped = false;
  private finished = false;
  private resolve!: (result: LoadTestResult) => void;
  private reject!: (error: PluginError) => void;
  private readonly onAbort = (): void => this.finish(true);
  /** Open loop: how late the generator's own thread ran during the measured phase. */
  private loopDelay: IntervalHistogram | undefined;

  constructor(private readonly input: LoadTestRunInput) {
    const { spec, plan } = input;
    const openLoop = plan.rate !== undefined;
    const lateUs = LATE_THRESHOLD_MS * 1000;
    this.warmup = spec.warmupSeconds > 0 ? new PhaseStats('warmup', openLoop, lateUs) : undefined;
    this.measure = new PhaseStats('measure', openLoop, lateUs);
    this.freeRing = openLoop ? new Array<Connection | undefined>(plan.connections) : [];
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

      if (this.warmup) this.timers.push(setTimeout(() => this.beginMeasure(), spec.warmupSeconds * 1000));
      this.timers.push(setTimeout(() => this.endMeasure(), (spec.warmupSeconds + spec.durationSeconds) * 1000));
      this.progressTimer = setInterval(() => this.emitProgress(false), PROGRESS_INTERVAL_MS);
      if (plan.rate !== undefined) {
        this.schedule = new OpenLoopSchedule(performance.now(), plan.rate, spec.warmupSeconds, spec.durationSeconds);
        if (!this.warmup) this.startLoopDelay();
      }

      try {
        for (let i = 0; i < plan.connections && !this.stopped; i++) {
          this.connections.push(new Connection({ request }, this));
        }
      } catch (error) {
        this.finished = true;
        this.stopped = true;
        this.current = undefined;
        this.teardown();
        const message = error instanceof Error ? error.message : String(error);
        reject(
          error instanceof AutocannonChangedError
            ? new PluginError('INTERNAL', message, {
                probableCause: 'The installed autocannon differs from the exact version this plugin was written for.',
                remediation: 'Reinstall the plugin with its pinned dependencies.',
              })
            : new PluginError('INVALID_REQUEST', `autocannon cannot run this test: ${message}`, {
                probableCause: 'autocannon rejected the request or load options.',
                remediation: 'Check the URL, method, headers and body of the test.',
              }),
        );
        return;
      }
      ctx.signal.addEventListener('abort', this.onAbort, { once: true });
      if (ctx.signal.aborted) this.finish(true);
    });
  }

  // ---- ConnectionDriver: the per-request paths ------------------------------------------

  onFree(connection: Connection): void {
    if (this.stopped) return;
    const schedule = this.schedule;
    const now = performance.now();
    if (schedule === undefined) {
      // Closed loop: the next request leaves at once.
      const phase = this.current!;
      phase.bytesWritten += connection.requestBytes;
      connection.send(now, now);
      return;
    }
    if (connection.idle) return;
    if (schedule.next < schedule.dueCount(now)) {
      this.sendScheduled(connection, now);
    } else {
      connection.idle = true;
      this.freeRing[(this.freeHead + this.freeCount) % this.freeRing.length] = connection;
      this.freeCount++;
    }
    if (this.pumpTimer === undefined) this.armPump(now);
  }

  onResponse(connection: Connection, statusCode: number, bytes: number, nowMs: number): void {
    if (this.schedule === undefined) {
      this.current?.recordResponse(statusCode, bytes, nowMs - connection.sentMs);
      return;
    }
    const phase = connection.owner as PhaseStats;
    phase.recordScheduledResponse(statusCode, bytes, nowMs - connection.intendedMs, nowMs - connection.sentMs);
    if (this.draining && phase === this.measure && phase.completed >= this.schedule.measuredSends) this.finish(false);
  }

  onError(connection: Connection, type: string, isTimeout: boolean, neverSent: boolean): void {
    const phase = this.schedule === undefined ? this.current : (connection.owner as PhaseStats);
    if (phase === undefined || this.finished) return;
    phase.recordError(type, isTimeout);
    if (neverSent) phase.bytesWritten -= connection.requestBytes;
    if (this.draining && phase === this.measure && phase.completed >= this.schedule!.measuredSends) this.finish(false);
  }

  // ---- Open loop: the schedule --------------------------------------------------------------

  /** Sends the next scheduled request on `connection`, at `nowMs`. */
  private sendScheduled(connection: Connection, nowMs: number): void {
    const schedule = this.schedule!;
    const index = schedule.next++;
    const intended = schedule.intendedMs(index);
    const phase = index < schedule.measureFrom ? this.warmup! : this.measure;
    connection.owner = phase;
    phase.recordSend(nowMs - intended, nowMs, connection.requestBytes);
    connection.send(intended, nowMs);
  }

  /** Wakes up for the next send (or at once when sends are overdue and a connection is free). */
  private armPump(nowMs: number): void {
    const schedule = this.schedule!;
    if (this.stopped || schedule.next >= schedule.end) return;
    const wait = schedule.intendedMs(schedule.next) - nowMs;
    this.pumpTimer = setTimeout(this.pump, wait > 1 ? Math.floor(wait) : 1);
  }

  /**
   * Dispatches every due send to free connections, oldest free first. Sends still due when no
   * connection is free wait for {@link onFree}, which takes the oldest of them.
   */
  private readonly pump = (): void => {
    this.pumpTimer = undefined;
    if (this.stopped) return;
    const schedule = this.schedule!;
    const now = performance.now();
    const due = schedule.dueCount(now);
    const ring = this.freeRing;
    while (schedule.next < due && this.freeCount > 0) {
      const connection = ring[this.freeHead]!;
      ring[this.freeHead] = undefined;
      this.freeHead = (this.freeHead + 1) % ring.length;
      this.freeCount--;
      connection.idle = false;
      this.sendScheduled(connection, now);
    }
    if (schedule.next >= due) this.armPump(now);
    // Otherwise every connection is busy: the next one to free up takes the oldest due send and
    // re-arms this timer.
  };

  // ---- Phases -------------------------------------------------------------------------------

  private beginMeasure(): void {
    if (this.finished || this.current !== this.warmup || this.warmup === undefined) return;
    this.emitProgress(true);
    const { nowNs, nowMs } = this.phaseBoundary(this.input.spec.warmupSeconds);
    this.warmup.end(nowNs, nowMs);
    this.measure.start(nowNs, nowMs);
    this.current = this.measure;
    if (this.schedule !== undefined) this.startLoopDelay();
    this.lastSampleNs = nowNs;
    this.lastSampleResponses = 0;
    // Measure samples fall a whole number of seconds after the measured phase starts.
    if (this.progressTimer) clearInterval(this.progressTimer);
    this.progressTimer = setInterval(() => this.emitProgress(false), PROGRESS_INTERVAL_MS);
  }

  /**
   * The measured phase's time is up. Closed loop: the test ends. Open loop: the schedule has
   * no more sends; the test ends when every measured request has been answered or has failed,
   * or `requestTimeoutSeconds` from now at the latest.
   */
  private endMeasure(): void {
    if (this.finished) return;
    if (this.schedule === undefined) {
      this.finish(false);
      return;
    }
    if (this.current !== this.measure) this.beginMeasure();
    const { spec } = this.input;
    const { nowNs, nowMs } = this.phaseBoundary(spec.warmupSeconds + spec.durationSeconds);
    this.measure.end(nowNs, nowMs);
    if (this.measure.completed >= this.schedule.measuredSends) {
      this.finish(false);
      return;
    }
    this.draining = true;
    this.timers.push(setTimeout(() => this.finish(false), spec.requestTimeoutSeconds * 1000));
  }

  /**
   * The clock readings of a phase boundary `seconds` after the start of the test. Closed loop:
   * now (the timer that called this decides). Open loop: the boundary in the schedule itself,
   * so that the measured phase is exactly the span of its sends' intended times, however late
   * the timer fired.
   */
  private phaseBoundary(seconds: number): { nowNs: bigint; nowMs: number } {
    const { clock } = this.input;
    const nowNs = clock.monotonicNs();
    const nowMs = clock.now();
    if (this.schedule === undefined) return { nowNs, nowMs };
    const lateMs = Math.max(0, performance.now() - (this.schedule.originMs + seconds * 1000));
    return { nowNs: nowNs - BigInt(Math.round(lateMs * 1e6)), nowMs: nowMs - lateMs };
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
    this.stopped = true;
    const { clock, ctx } = this.input;
    const nowNs = clock.monotonicNs();
    const nowMs = clock.now();
    const nowPerf = performance.now();
    if (this.current === this.warmup && this.warmup !== undefined) {
      // Cancelled during the warm-up: nothing was measured.
      this.warmup.end(nowNs, nowMs);
      this.measure.start(nowNs, nowMs);
    }
    this.measure.end(nowNs, nowMs);
    this.current = undefined;
    const schedule = this.schedule;
    // Requests written to sockets that never connected did not leave the machine.
    for (const connection of this.connections) {
      if (connection.sendPending && (schedule === undefined || connection.owner === this.measure)) {
        this.measure.bytesWritten -= connection.requestBytes;
      }
    }
    let scheduledSends = 0;
    if (schedule !== undefined) {
      scheduledSends = cancelled
        ? Math.max(0, schedule.dueCount(nowPerf) - schedule.measureFrom)
        : schedule.measuredSends;
      if (!cancelled) {
        // The drain timed out: what is still outstanding went unanswered for at least
        // requestTimeoutSeconds after its intended time, sent or not.
        for (let i = this.measure.completed; i < scheduledSends; i++) this.measure.recordError('timeout', true);
      }
    }
    this.teardown();
    let result: LoadTestResult;
    try {
      result = this.result(cancelled, scheduledSends);
    } catch (error) {
      this.reject(PluginError.from(error));
      return;
    }
    ctx.logger.info(cancelled ? 'load test cancelled' : 'load test finished', {
      requests: result.requests,
      errors: result.errors,
      throughputRps: result.throughputRps,
      measuredDurationSeconds: result.measuredDurationSeconds,
      ...(result.openLoop
        ? { achievedRate: result.openLoop.achievedRate, lateSends: result.openLoop.lateSends }
        : {}),
    });
    const open = result.openLoop;
    if (open && open.scheduledSends > 0 && open.lateSends > open.scheduledSends * LATE_WARNING_SHARE) {
      ctx.logger.warn('open-loop sends left late: no connection was free, or the generator was too busy', {
        lateSends: open.lateSends,
        scheduledSends: open.scheduledSends,
        maxLatenessMs: open.lateness.maxMs,
        remediation:
          'Late sends are still timed from their intended time. If the target was not stalling, use more connections or a lower rate.',
      });
    }
    this.resolve(result);
  }

  /** Stops timers and every connection; the load stops here. */
  private teardown(): void {
    // Until every measured response is in (the drain included), so the result covers them all.
    this.loopDelay?.disable();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
    if (this.progressTimer) clearInterval(this.progressTimer);
    this.progressTimer = undefined;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    this.input.ctx.signal.removeEventListener('abort', this.onAbort);
    for (const connection of this.connections) {
      try {
        connection.close();
      } catch (error) {
        this.input.ctx.logger.debug('closing a connection failed', { error: String(error) });
      }
    }
  }

  private result(cancelled: boolean, scheduledSends: number): LoadTestResult {
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
      ...(plan.rate !== undefined ? { openLoop: this.openLoopStats(plan.rate, scheduledSends, seconds) } : {}),
    };
  }

  /** Samples the event loop's lateness every LOOP_DELAY_RESOLUTION_MS (cheap: 100 wake-ups a second). */
  private startLoopDelay(): void {
    this.loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
    this.loopDelay.enable();
  }

  private generatorDelayMs(): OpenLoopStats['generatorDelayMs'] {
    const h = this.loopDelay;
    if (!h) return undefined;
    h.disable();
    if (h.count === 0) return undefined;
    // Each sample is the whole interval between two wake-ups: the resolution plus the delay.
    const delayMs = (ns: number) => round(Math.max(0, ns / 1e6 - LOOP_DELAY_RESOLUTION_MS), 3);
    return { p99Ms: delayMs(h.percentile(99)), maxMs: delayMs(h.max) };
  }

  private openLoopStats(targetRate: number, scheduledSends: number, measuredSeconds: number): OpenLoopStats {
    const m = this.measure;
    // Sends that left after the phase's end (overdue when it ended) stretch the time they took.
    const windowStartPerf = this.schedule!.originMs + this.input.spec.warmupSeconds * 1000;
    const sendingSeconds = Math.max(measuredSeconds, m.sends > 0 ? (m.lastSendMs - windowStartPerf) / 1000 : 0);
    const delay = this.generatorDelayMs();
    return {
      targetRate,
      achievedRate: sendingSeconds > 0 ? round(m.sends / sendingSeconds, 3) : 0,
      scheduledSends,
      lateSends: m.lateSends,
      lateThresholdMs: LATE_THRESHOLD_MS,
      lateness: m.latenessMs(),
      serviceTimeMs: m.serviceTimeSummaryMs(),
      serviceTimeHistogram: m.serializedServiceTimeHistogram(),
      ...(delay ? { generatorDelayMs: delay } : {}),
    };
  }
}
