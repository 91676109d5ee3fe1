import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ApiClient } from './api-client.js';
import { resolveConnection, type GlobalOptions } from './config.js';
import { usageError } from './exit-codes.js';

/** The server connection of a command, from its own and the global options. */
export function clientOf(command: Command): ApiClient {
  return new ApiClient(resolveConnection(command.optsWithGlobals<GlobalOptions>()));
}

/** The top of a command's tree (the program). */
export function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

/**
 * The value of an option a command declares that is also a program option (`--timeout`,
 * `--version`). Commander hands program options to the program wherever they stand on the command
 * line, so the command's own copy stays empty: its value is the program's, when it was given on
 * the command line (not when it came from the environment).
 */
export function sharedOption(command: Command, name: string): string | undefined {
  const own: unknown = command.opts()[name];
  if (typeof own === 'string') return own;
  const root = rootOf(command);
  const value: unknown = root.opts()[name];
  return root.getOptionValueSource(name) === 'cli' && typeof value === 'string' ? value : undefined;
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `k=v` pairs (repeatable --label) as a map. */
export function parseLabels(values: readonly string[] | undefined, option = '--label'): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    if (at <= 0) throw usageError(`${option} "${value}" is not KEY=VALUE`, `Write it as ${option} mesh=istio.`);
    labels[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return labels;
}

/** `Name: value` pairs (repeatable --header). */
export function parseHeaders(values: readonly string[] | undefined): { name: string; value: string }[] {
  return (values ?? []).map((value) => {
    const at = value.indexOf(':');
    if (at <= 0) throw usageError(`--header "${value}" is not "Name: value"`, "Write it as --header 'Authorization: Bearer abc'.");
    return { name: value.slice(0, at).trim(), value: value.slice(at + 1).trim() };
  });
}

/** A whole number option (> 0 unless `min` says otherwise). */
export function integerOption(option: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw usageError(`${option} "${value}" must be a whole number of ${min} or more`);
  return n;
}

/** A positive number option. */
export function numberOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw usageError(`${option} "${value}" must be a number greater than 0`);
  return n;
}

/** Reads an input file (`-` is standard input) as a usage error when it cannot be read. */
export function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${file === '-' ? 'standard input' : file}: ${(error as Error).message}`, 'Check the path and permissions.');
  }
}
