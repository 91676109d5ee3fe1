/**
 * The open-loop schedule: one global sequence of sends, evenly spaced at `1 / rate`, from the
 * start of the test (warm-up included) to the end of the measured phase. Send `i` is intended
 * to leave at `originMs + i * 1000 / rate`; the intended times never depend on when earlier
 * sends actually left or were answered, so a slow target cannot slow the schedule down (no
 * coordinated omission). The schedule is kept as two counters, whatever the rate: sends due but
 * not yet sent are the indices from {@link next} to {@link dueCount}.
 *
 * @example
 * ```ts
 * const schedule = new OpenLoopSchedule(performance.now(), 2000, 1, 10);
 * schedule.intendedMs(0); // originMs
 * schedule.measureFrom; // 2000: the first send of the measured phase
 * ```
 */
export class OpenLoopSchedule {
  /** Index of the first send of the measured phase (the number of warm-up sends). */
  readonly measureFrom: number;
  /** One past the last send: the schedule ends with the measured phase. */
  readonly end: number;
  /** Index of the next send to leave. */
  next = 0;
  private readonly msPerSend: number;

  constructor(
    /** `performance.now()` at the start of the test. */
    readonly originMs: number,
    /** Sends per second. */
    readonly rate: number,
    warmupSeconds: number,
    durationSeconds: number,
  ) {
    this.msPerSend = 1000 / rate;
    this.measureFrom = sendsBefore(warmupSeconds, rate);
    this.end = sendsBefore(warmupSeconds + durationSeconds, rate);
  }

  /** Sends of the measured phase. */
  get measuredSends(): number {
    return this.end - this.measureFrom;
  }

  /** When send `index` is intended to leave (`performance.now()` ms). */
  intendedMs(index: number): number {
    return this.originMs + index * this.msPerSend;
  }

  /** How many sends are due at `nowMs` (intended time at or before it), at most {@link end}. */
  dueCount(nowMs: number): number {
    const due = Math.floor((nowMs - this.originMs) / this.msPerSend) + 1;
    return due < this.end ? (due > 0 ? due : 0) : this.end;
  }
}

/** The number of sends whose intended time is before `seconds` from the origin. */
function sendsBefore(seconds: number, rate: number): number {
  // i / rate < seconds  <=>  i < seconds * rate; the epsilon absorbs float noise (1.2 * 200).
  return Math.max(0, Math.ceil(seconds * rate - 1e-9));
}
