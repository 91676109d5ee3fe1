import type { LoadTestProgress, LoadTestResult, LoadTestSpec } from '@meshery/plugin-api';
import { startPluginTestHost, type PluginTestHost } from '@meshery/plugin-testing';
import hdr from 'hdr-histogram-js';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  idealQueueingDelays,
  percentile,
  startCpuMeter,
  startStallingTarget,
  type RecordedStall,
} from './stalling-target.js';

const pluginDir = fileURLToPath(new URL('..', import.meta.url));

const RATE = 2000;
const CONNECTIONS = 10;
const STALL_MS = 500;
const PERIOD_MS = 1000;
/** At least one stall falls in the warm-up: the first drain after a process starts is slow (JIT). */
const WARMUP_SECONDS = 2;
const DURATION_SECONDS = 10;
const RUNS = 3;
const TOLERANCE = 0.1;
/**
 * A run that misses the ideal while the rest of the machine kept more than this many CPUs busy
 * (other users of this shared 2-core machine; this test needs about one and a half) says nothing
 * about the generator: it is reported and repeated, at most EXTRA_ATTEMPTS times in all. A run
 * that misses on a quiet machine fails the test.
 */
const BUSY_MACHINE_CPUS = 0.25;
const EXTRA_ATTEMPTS = 3;

function spec(url: string, overrides: Partial<LoadTestSpec>): LoadTestSpec {
  return {
    url,
    method: 'GET',
    headers: {},
    connections: CONNECTIONS,
    rate: RATE,
    durationSeconds: DURATION_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    requestTimeoutSeconds: 5,
    ...overrides,
  };
}

/** The stalls that blocked some send of the measured phase (for the figures shown). */
function stallsIn(stalls: readonly RecordedStall[], result: LoadTestResult): RecordedStall[] {
  const from = Date.parse(result.startedAt);
  const to = Date.parse(result.endedAt);
  return stalls.filter((s) => s.endMs >= from && s.startMs < to);
}

interface RunFigures {
  readonly measured: { p50: number; p90: number; p99: number };
  readonly ideal: { p50: number; p90: number; p99: number };
  readonly baseLatencyMs: number;
  readonly firstStallMs: number;
  readonly stalls: number;
  readonly meanBlockedMs: number;
  readonly serviceTimeP50Ms: number;
  readonly lateSends: number;
  readonly achievedRate: number;
  /** CPUs the rest of the machine kept busy during the run (undefined without /proc). */
  readonly otherCpus: number | undefined;
  /** The longest the generator's own thread was held up in the measured phase. */
  readonly generatorMaxDelayMs: number | undefined;
}

const RATIO_CHECKS = ['p50', 'p90', 'p99'] as const;

function withinTolerance(run: RunFigures): boolean {
  return RATIO_CHECKS.every((p) => Math.abs(run.measured[p] / run.ideal[p] - 1) < TOLERANCE);
}

/**
 * Whether a run that missed the ideal says nothing about the generator's schedule and correction:
 * the rest of the shared machine kept it busy, or the generator's own thread was held up (GC, no
 * CPU) long enough to explain the miss — it then records responses late by that much, which the
 * result reports (`generatorDelayMs`). Such runs are reported and repeated.
 */
function disturbed(run: RunFigures): string | undefined {
  if (run.otherCpus !== undefined && run.otherCpus > BUSY_MACHINE_CPUS) return `the machine was busy with other work (${run.otherCpus.toFixed(2)} CPUs)`;
  if (run.generatorMaxDelayMs !== undefined && run.generatorMaxDelayMs >= TOLERANCE * run.ideal.p50) {
    return `the generator's thread was held up for ${run.generatorMaxDelayMs} ms`;
  }
  return undefined;
}

describe('open loop against a target that stalls 500 ms every second (issue 7)', () => {
  let host: PluginTestHost;

  beforeAll(async () => {
    host = await startPluginTestHost({ pluginDir });
  });

  afterAll(async () => {
    await host?.stop();
  });

  async function run(loadSpec: LoadTestSpec): Promise<LoadTestResult> {
    const op = host.operation<LoadTestProgress>();
    return host.loadGenerator('autocannon').run(loadSpec, op.ctx);
  }

  it(
    `reports p50, p90 and p99 within ${TOLERANCE * 100} % of the ideal in each of ${RUNS} runs at ${RATE} requests/s`,
    async () => {
      const figures: RunFigures[] = [];
      const excused: RunFigures[] = [];
      for (let attempt = 0; figures.length < RUNS && attempt < RUNS + EXTRA_ATTEMPTS; attempt++) {
        // The stalls fall at a different point of the schedule in each run.
        const firstStallMs = 300 + Math.round(Math.random() * PERIOD_MS);
        const target = await startStallingTarget({ stallMs: STALL_MS, periodMs: PERIOD_MS, firstStallMs });
        try {
          const meter = startCpuMeter([process.pid, process.ppid, target.pid]);
          const result = await run(spec(target.url, {}));
          const otherCpus = meter?.().otherCpus;
          const recorded = await target.stalls();
          const open = result.openLoop!;
          const delays = idealQueueingDelays(recorded, RATE, { startMs: Date.parse(result.startedAt), sends: open.scheduledSends });

          // The latency of a send that does not queue (the network both ways, the target's
          // parsing, the generator's timer granularity): about a millisecond, but it follows the
          // machine's load from moment to moment (a steady-target run just before measured from
          // 0.7 to 77 ms), so it is taken from the same run: the median latency the generator
          // measured for the sends the model says did not queue (the lowest part of its
          // histogram). It only shifts the ideal by its own size; the sub-millisecond tests
          // against a steady target check it on its own.
          const unqueuedShare = delays.filter((d) => d === 0).length / delays.length;
          const measuredHistogram = hdr.decodeFromCompressedBase64(result.histogram.data);
          const baseLatencyMs = measuredHistogram.getValueAtPercentile((unqueuedShare / 2) * 100) / 1000;
          const ideal = delays.map((d) => d + baseLatencyMs).sort((a, b) => a - b);

          // The schedule was kept and every measured send was answered.
          expect(result.errors).toBe(0);
          expect(result.measuredDurationSeconds).toBeCloseTo(DURATION_SECONDS, 2);
          expect(open.scheduledSends).toBe(RATE * DURATION_SECONDS);
          expect(result.requests).toBe(RATE * DURATION_SECONDS);
          expect(unqueuedShare).toBeGreaterThan(0.1);
          const stalls = stallsIn(recorded, result);
          expect(stalls.length).toBeGreaterThanOrEqual(DURATION_SECONDS);
          const figuresOfRun: RunFigures = {
            measured: { p50: result.latencyMs!.p50, p90: result.latencyMs!.p90, p99: result.latencyMs!.p99 },
            ideal: { p50: percentile(ideal, 50), p90: percentile(ideal, 90), p99: percentile(ideal, 99) },
            baseLatencyMs,
            firstStallMs,
            stalls: stalls.length,
            meanBlockedMs: stalls.reduce((sum, s) => sum + (s.endMs - s.lastAnswerBeforeMs!), 0) / stalls.length,
            serviceTimeP50Ms: open.serviceTimeMs!.p50,
            lateSends: open.lateSends,
            achievedRate: open.achievedRate,
            otherCpus,
            generatorMaxDelayMs: open.generatorDelayMs?.maxMs,
          };
          if (!withinTolerance(figuresOfRun) && disturbed(figuresOfRun)) {
            excused.push(figuresOfRun);
          } else {
            figures.push(figuresOfRun);
          }
        } finally {
          await target.close();
        }
      }

      const f = (x: number) => x.toFixed(1);
      const describe = (run: RunFigures) =>
        `measured p50/p90/p99 ${f(run.measured.p50)}/${f(run.measured.p90)}/${f(run.measured.p99)} ms, ` +
        `ideal ${f(run.ideal.p50)}/${f(run.ideal.p90)}/${f(run.ideal.p99)} ms ` +
        `(base ${run.baseLatencyMs} ms, first stall at ${run.firstStallMs} ms, ${run.stalls} stalls blocking ${f(run.meanBlockedMs)} ms); ` +
        `service time p50 ${run.serviceTimeP50Ms} ms, ${run.lateSends} late sends, achieved ${run.achievedRate} req/s; ` +
        `other work on the machine ${run.otherCpus === undefined ? 'unknown' : `${run.otherCpus.toFixed(2)} CPUs`}, ` +
        `generator held up at most ${run.generatorMaxDelayMs ?? 'unknown'} ms`;
      for (const [i, run] of figures.entries()) console.info(`run ${i + 1}: ${describe(run)}`);
      for (const run of excused) console.info(`repeated (${disturbed(run)}): ${describe(run)}`);
      expect(
        figures.length,
        `only ${figures.length} of ${RUNS} runs could be made on a quiet enough machine; ${excused.length} were disturbed by other work`,
      ).toBe(RUNS);
      for (const [i, run] of figures.entries()) {
        for (const p of RATIO_CHECKS) {
          const ratio = run.measured[p] / run.ideal[p];
          expect(ratio, `run ${i + 1} ${p}: measured ${run.measured[p]} ms, ideal ${run.ideal[p]} ms`).toBeGreaterThan(1 - TOLERANCE);
          expect(ratio, `run ${i + 1} ${p}: measured ${run.measured[p]} ms, ideal ${run.ideal[p]} ms`).toBeLessThan(1 + TOLERANCE);
        }
        // Without the correction the stall all but disappears: only the requests already in
        // flight when it began waited for it.
        expect(run.serviceTimeP50Ms).toBeLessThan(5);
        // About half the sends had to wait (stall and drain). The last stall can hold the last
        // sends past the end of the phase, which lowers the achieved rate by up to 5 %.
        expect(run.lateSends).toBeGreaterThan(RATE * DURATION_SECONDS * 0.4);
        expect(run.achievedRate).toBeGreaterThan(RATE * 0.94);
      }
    },
    (RUNS + EXTRA_ATTEMPTS) * 20_000,
  );
});
