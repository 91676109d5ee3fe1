import type { HttpHeader, Label } from '../api/types.ts';

/** Parses "Name: value" lines (blank lines ignored). Throws with the line at fault. */
export function parseHeaders(text: string): HttpHeader[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, n }) => {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`Line ${n}: write a header as "Name: value"`);
      return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
    });
}

export function formatHeaders(headers: readonly HttpHeader[]): string {
  return headers.map((h) => `${h.name}: ${h.value}`).join('\n');
}

/** Parses "key=value" items separated by commas or new lines. Throws with the item at fault. */
export function parseLabels(text: string): Label[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const eq = item.indexOf('=');
      if (eq <= 0) throw new Error(`"${item}": write a label as key=value`);
      return { key: item.slice(0, eq).trim(), value: item.slice(eq + 1).trim() };
    });
}

export function formatLabels(labels: readonly Label[]): string {
  return labels.map((l) => `${l.key}=${l.value}`).join(', ');
}

/** A number from a form field: undefined when empty, NaN when not a number. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return Number(trimmed);
}
