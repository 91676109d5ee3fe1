import { describe, expect, it } from 'vitest';
import { OpenLoopSchedule } from '../src/open-loop-schedule.js';

describe('OpenLoopSchedule', () => {
  it('spaces sends evenly from the origin, warm-up first', () => {
    const schedule = new OpenLoopSchedule(1000, 2000, 1.2, 10);
    expect(schedule.measureFrom).toBe(2400);
    expect(schedule.end).toBe(22_400);
    expect(schedule.measuredSends).toBe(20_000);
    expect(schedule.intendedMs(0)).toBe(1000);
    expect(schedule.intendedMs(1)).toBeCloseTo(1000.5, 9);
    expect(schedule.intendedMs(2400)).toBeCloseTo(2200, 9);
  });

  it('counts the sends due at a time, capped at the end of the schedule', () => {
    const schedule = new OpenLoopSchedule(0, 10, 0, 1);
    expect(schedule.dueCount(-5)).toBe(0);
    expect(schedule.dueCount(0)).toBe(1);
    expect(schedule.dueCount(99.9)).toBe(1);
    expect(schedule.dueCount(100)).toBe(2);
    expect(schedule.dueCount(950)).toBe(10);
    expect(schedule.dueCount(5000)).toBe(10);
  });

  it('keeps fractional rates and phases exact (no rounding to whole requests per second)', () => {
    const schedule = new OpenLoopSchedule(0, 0.5, 0, 5);
    expect(schedule.end).toBe(3); // at 0, 2 and 4 s
    expect(schedule.intendedMs(2)).toBe(4000);
    const odd = new OpenLoopSchedule(0, 333.3, 0.3, 1.7);
    expect(odd.measureFrom).toBe(Math.ceil(0.3 * 333.3));
    expect(odd.end).toBe(Math.ceil(2 * 333.3));
  });
});
