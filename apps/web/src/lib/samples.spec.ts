import { describe, expect, it } from 'vitest';
import type { ProgressSample } from '../api/types.ts';
import { mergeSamples } from './samples.ts';

const sample = (phase: string, elapsedSeconds: number, currentRps = 100): ProgressSample => ({
  phase,
  elapsedSeconds,
  requests: elapsedSeconds * 100,
  errors: 0,
  currentRps,
  latencyP50Ms: 1,
  latencyP99Ms: 2,
});

describe('mergeSamples', () => {
  it('keeps each sample once, in time order, the later copy winning', () => {
    const stored = [sample('warmup', 1), sample('measure', 2)];
    const live = [sample('measure', 2, 120), sample('measure', 3)];
    const merged = mergeSamples(stored, live);
    expect(merged.map((s) => `${s.phase}@${s.elapsedSeconds}`)).toEqual(['warmup@1', 'measure@2', 'measure@3']);
    expect(merged[1]!.currentRps).toBe(120);
  });

  it('sorts samples that arrive out of order', () => {
    expect(mergeSamples([sample('measure', 3)], [sample('measure', 1)]).map((s) => s.elapsedSeconds)).toEqual([1, 3]);
  });
});
