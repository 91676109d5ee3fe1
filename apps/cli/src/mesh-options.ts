import { parse as parseYaml } from 'yaml';
import { usageError } from './exit-codes.js';
import { parseDocument } from './smp-config.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const NAME = /^[A-Za-z0-9_-]+$/;
/** A key inside a map option, taken whole: an IstioOperator path such as `values.pilot.env[0].name`. */
const INNER_KEY = /^[A-Za-z0-9_.[\]/-]+$/;

/**
 * The value of `--option key=value`: `true`, `false`, `null` and numbers are typed; a value that
 * starts with `[`, `{` or `"` is read as JSON or YAML flow (`[a, b]`, `{x: 1}`, `"1.20"` for a
 * string that looks like a number); anything else is the string as written.
 */
export function parseOptionValue(text: string, option: string): unknown {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed === 'null') return null;
  if (NUMBER.test(trimmed)) return Number(trimmed);
  if (/^[[{"]/.test(trimmed)) {
    try {
      return parseYaml(trimmed, { maxAliasCount: 10 });
    } catch (error) {
      throw usageError(
        `${option}: the value ${trimmed} is neither JSON nor YAML flow: ${(error as Error).message.split('\n')[0]}`,
        'Quote a plain string in single quotes for the shell, e.g. --option \'name="[x]"\', or fix the list or map.',
      );
    }
  }
  return trimmed;
}

/**
 * The options of `mesh install`: the mapping of `--options-file` (JSON or YAML, already read),
 * then each `--option` on top. `name=value` sets the option `name`; `name.key=value` sets `key`
 * (whole, dots included) inside the map option `name`, e.g. `set.meshConfig.accessLogFile=/dev/stdout`
 * gives `{ set: { "meshConfig.accessLogFile": "/dev/stdout" } }`, the shape of Istio's `set`.
 * Malformed input is a usage error, raised before anything is sent.
 */
export function meshInstallOptions(pairs: readonly string[] | undefined, file?: { text: string; name: string }): Record<string, unknown> {
  let options: Record<string, unknown> = {};
  if (file) {
    const parsed = parseDocument(file.text, file.name) ?? {};
    if (!isObject(parsed)) {
      throw usageError(`--options-file ${file.name} must hold a mapping of option names to values, not ${Array.isArray(parsed) ? 'a list' : JSON.stringify(parsed)}`, 'e.g.\n  replicas: 2\n  proxy: { logLevel: debug }');
    }
    options = structuredClone(parsed);
  }
  for (const pair of pairs ?? []) {
    const option = `--option "${pair}"`;
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at).trim() : '';
    const dot = key.indexOf('.');
    const name = dot < 0 ? key : key.slice(0, dot);
    const inner = dot < 0 ? undefined : key.slice(dot + 1);
    if (!NAME.test(name) || (inner !== undefined && !INNER_KEY.test(inner))) {
      throw usageError(
        `${option} is not NAME=VALUE`,
        'Write it as --option replicas=2, or --option set.meshConfig.accessLogFile=/dev/stdout for a key inside a map option (names are letters, digits, "-" and "_").',
      );
    }
    const value = parseOptionValue(pair.slice(at + 1), option);
    if (inner === undefined) {
      options[name] = value;
      continue;
    }
    const map = options[name] ?? {};
    if (!isObject(map)) throw usageError(`${option} sets a key inside "${name}", which is already ${JSON.stringify(map)}`, 'Give the option either as a whole or key by key.');
    options[name] = { ...map, [inner]: value };
  }
  return options;
}
