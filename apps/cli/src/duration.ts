import { usageError } from './exit-codes.js';

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9 };

/**
 * Parses a duration such as `30s`, `1m`, `1m30s`, `1.5s`, `500ms` or a bare number of seconds.
 * Returns seconds, or undefined when the text is not a duration.
 */
export function parseDurationSeconds(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  let total = 0;
  let matched = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy)) {
    matched += match[0].length;
    total += Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  }
  return matched > 0 && matched === trimmed.length ? total : undefined;
}

/** Like {@link parseDurationSeconds}, but a usage error naming the option when malformed. */
export function durationOption(option: string, text: string, { allowZero = false } = {}): number {
  const seconds = parseDurationSeconds(text);
  if (seconds === undefined || (!allowZero && seconds <= 0)) {
    throw usageError(
      `${option} "${text}" is not a duration`,
      `Give a duration such as 30s, 1m, 1m30s or 500ms (a bare number is seconds)${allowZero ? '' : ', greater than 0'}.`,
    );
  }
  return seconds;
}

/** `90` → `1m30s`, `1.5` → `1.5s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Number((seconds - minutes * 60).toFixed(3));
  if (minutes < 60) return `${minutes}m${rest}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m${rest}s`;
}
