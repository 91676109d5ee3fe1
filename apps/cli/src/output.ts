import Table from 'cli-table3';
import { stringify as toYaml } from 'yaml';
import { usageError } from './exit-codes.js';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Checks an -o value. */
export function outputFormat(value: string | undefined): OutputFormat {
  const format = (value ?? 'table').toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw usageError(`-o "${value}" is not an output format`, `Use one of: ${OUTPUT_FORMATS.join(', ')}.`);
  }
  return format as OutputFormat;
}

type Cell = string | number | boolean | null | undefined;

/** A plain table (no colours, so it stays readable in CI logs). */
/** Borders without a rule between rows. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function table(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const t = new Table({ head: [...head], chars: COMPACT, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))));
  return t.toString();
}

/** A two-column table of names and values. */
export function keyValues(rows: readonly (readonly [string, Cell])[]): string {
  const t = new Table({ chars: COMPACT, style: { head: [], border: [] } });
  for (const [key, value] of rows) t.push({ [key]: value === null || value === undefined ? '-' : String(value) });
  return t.toString();
}

/** Prints data as JSON or YAML, or runs `asTable` for the table format. */
export function print(format: OutputFormat, data: unknown, asTable: () => string): void {
  if (format === 'json') process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else if (format === 'yaml') process.stdout.write(toYaml(data));
  else process.stdout.write(`${asTable()}\n`);
}

/** A number for a table: fixed decimals, or '-' when unknown. */
export function num(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return Number.isInteger(value) && decimals <= 2 ? String(value) : value.toFixed(decimals);
}
