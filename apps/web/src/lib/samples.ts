import type { ProgressSample } from '../api/types.ts';

/**
 * Merges the samples stored with a run (what happened before the page opened) with those that
 * arrive live, each once, in time order. A sample is identified by its phase and elapsed time.
 */
export function mergeSamples(a: readonly ProgressSample[], b: readonly ProgressSample[]): ProgressSample[] {
  const byKey = new Map<string, ProgressSample>();
  for (const s of [...a, ...b]) byKey.set(`${s.phase}:${s.elapsedSeconds}`, s);
  return [...byKey.values()].sort((x, y) => x.elapsedSeconds - y.elapsedSeconds);
}
