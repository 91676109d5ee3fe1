import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./fixtures/stalling-target.mjs', import.meta.url));

/** One stall as the target recorded it (epoch milliseconds, its own clock). */
export interface RecordedStall {
  readonly startMs: number;
  readonly endMs: number;
  /** The target's last answer before the stall began (null if none). */
  readonly lastAnswerBeforeMs: number | null;
  /** Milliseconds after `endMs` of each answer in the 400 ms after the stall, in order. */
  readonly answersAfter: readonly number[];
}

/** A target in its own process (see fixtures/stalling-target.mjs). */
export interface StallingTarget {
  readonly url: string;
  readonly pid: number;
  /** What the target recorded so far. */
  stalls(): Promise<RecordedStall[]>;
  /** When the target answered each request so far (epoch milliseconds, its own clock). */
  answerTimes(): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * Starts fixtures/stalling-target.mjs in a child process: a real HTTP server on 127.0.0.1 that
 * busy-waits `stallMs` once every `periodMs` (`stallMs: 0` for a steady target).
 */
export async function startStallingTarget(options: {
  stallMs: number;
  periodMs?: number;
  /** When the first stall begins, in milliseconds after the server starts (`periodMs` by default). */
  firstStallMs?: number;
}): Promise<StallingTarget> {
  const periodMs = options.periodMs ?? 1000;
  const child: ChildProcess = spawn(process.execPath, [fixture], {
    env: {
      ...process.env,
      STALL_MS: String(options.stallMs),
      PERIOD_MS: String(periodMs),
      FIRST_STALL_MS: String(options.firstStallMs ?? periodMs),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let buffered = '';
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const nextLine = (timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error('the stalling target did not answer')), timeoutMs);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  const port = /listening (\d+)/.exec(await nextLine(10_000))?.[1];
  if (port === undefined) throw new Error('the stalling target did not start');
  return {
    url: `http://127.0.0.1:${port}/`,
    pid: child.pid!,
    async stalls() {
      child.stdin!.write('stats\n');
      return (JSON.parse(await nextLine(10_000)) as { stalls: RecordedStall[] }).stalls;
    },
    async answerTimes() {
      child.stdin!.write('answers\n');
      return JSON.parse(await nextLine(10_000)) as number[];
    },
    async close() {
      child.stdin!.end();
      child.kill();
      await exited;
    },
  };
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

function procCpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function machineBusyTicks(): number {
  // cpu user nice system idle iowait irq softirq steal (the kernel charges the softirq work of
  // loopback traffic partly to the processes that cause it, partly to the softirq column)
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}

/**
 * Measures, from /proc, how much CPU the rest of the machine took while a run went on: busy
 * time of all CPUs (steal included) minus that of `pids` (this test's processes), in CPUs.
 * Returns undefined where /proc is not available.
 */
export function startCpuMeter(pids: readonly number[]): (() => { otherCpus: number }) | undefined {
  try {
    const startedAt = performance.now();
    const busy = machineBusyTicks();
    const own = pids.reduce((sum, pid) => sum + procCpuTicks(pid), 0);
    return () => {
      const seconds = (performance.now() - startedAt) / 1000;
      const others = machineBusyTicks() - busy - (pids.reduce((sum, pid) => sum + procCpuTicks(pid), 0) - own);
      return { otherCpus: others / TICKS_PER_SECOND / seconds };
    };
  } catch {
    return undefined;
  }
}

/** Percentiles as HdrHistogram computes them: the smallest value with at least p % at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('no values');
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The queueing part of the ideal open-loop measurement of a run against the stalling target:
 * for every send of the measured phase, how long it waits because of the stalls, computed from
 * the schedule and from what the target itself recorded during the same run. The ideal latency
 * of a send is this delay plus the latency of a send that does not queue (see the test).
 *
 * The model:
 * - Sends are intended evenly, `1 / rate` apart, whatever the target does.
 * - The target answers a request at once (no queueing delay) except around its stalls. A stall
 *   blocks every request that reaches the target after its last answer before the stall (the
 *   stall itself, and the moment before it when the target was already busy starting it);
 *   blocked requests queue, in order, until the stall ends. While they queue, the following
 *   sends queue behind them (in the kernel, or in the generator when every connection has a
 *   blocked request), so the queue is one FIFO.
 * - After the stall the queue drains in order. How fast is the one service-time figure the
 *   model needs, and it is taken from the target's own record of the same run: the j-th queued
 *   request is answered at the target's j-th answer after the stall (`answersAfter[j - 1]`).
 *   Why not from a separate calibration run: the p50 of this setup is the latency of the send
 *   intended when a stall ends, i.e. the time the target and the generator together take to work
 *   off one stall's backlog (`0.5 s * rate` = 1,000 requests). On this shared 2-core machine
 *   that time varied from about 15 to 60 ms between stalls and runs, and a closed-loop throughput
 *   run just before each stall run predicted it only to within -45 % / +75 % (measured while
 *   writing this test). The target's record is independent of the generator: its own clock, its
 *   own count of answers, nothing from the generator's histogram.
 * - So in each stall, queued request j (1-based) was intended `j / rate` after the block began
 *   and answered `blocked + answersAfter[j - 1]` after it (`blocked` = stall end minus last
 *   answer before it): it waited `blocked + answersAfter[j - 1] - j / rate`. The queue has
 *   drained at the first j whose request is answered no later than it would have been without
 *   the stall. Every other send of the measured phase waits 0.
 * - The measured phase is the span of its sends' intended times, from `startMs` (the generator
 *   reports it to the millisecond). Its percentiles depend on exactly which sends it holds: each
 *   stall's drain time moves the p50 by a large share of itself, so the ideal covers the same
 *   sends, including those of a stall cut by either end of the phase.
 *
 * Reconciling with issue 7 (p50/p90/p99 ≈ 37/409/491 ms for 500 ms stalls each second at 2,000
 * requests/s): with a constant drain rate `mu`, the latency falls linearly from the stall length
 * to nothing over the busy period, which gives p50 ≈ 500 ms * rate / mu, p90 ≈ 400 + 100 *
 * rate / mu and p99 ≈ 490 + 10 * rate / mu. 37/409/491 is mu ≈ 27,000 requests/s (1,000 queued
 * requests worked off in 37 ms); p90 and p99 are the stall itself and hardly depend on mu.
 *
 * @param stalls every stall the target recorded during the run
 * @param window the measured phase: its start, epoch milliseconds (`startedAt` of the result),
 *   and its number of sends (`openLoop.scheduledSends`)
 * @returns the queueing delay of every send of the measured phase, in milliseconds, in schedule order
 */
export function idealQueueingDelays(
  stalls: readonly RecordedStall[],
  rate: number,
  window: { readonly startMs: number; readonly sends: number },
): number[] {
  const { sends } = window;
  const msPerSend = 1000 / rate;
  const delays = new Array<number>(sends).fill(0);
  for (const stall of stalls) {
    if (stall.lastAnswerBeforeMs === null) continue;
    const blockedFrom = stall.lastAnswerBeforeMs;
    const blocked = stall.endMs - blockedFrom;
    for (let j = 1; j <= stall.answersAfter.length; j++) {
      const queuedMs = blocked + stall.answersAfter[j - 1]! - j * msPerSend;
      if (queuedMs <= 0) break;
      const index = Math.round((blockedFrom + j * msPerSend - window.startMs) / msPerSend);
      if (index >= 0 && index < sends) delays[index] = queuedMs;
    }
  }
  return delays;
}
