/** Label and field selectors with the grammar of k8s.io/apimachinery/pkg/labels and pkg/fields. */
import { badRequest } from './errors.js';
import { validateLabelKey, validateLabelValue } from './validation.js';

export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: LabelOperator;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

type Token =
  | { kind: 'id'; text: string }
  | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<' }
  | { kind: 'end' };

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '=' && input[i + 1] === '=') {
      tokens.push({ kind: 'op', text: '==' });
      i += 2;
    } else if (c === '!' && input[i + 1] === '=') {
      tokens.push({ kind: 'op', text: '!=' });
      i += 2;
    } else if ('=!(),<>'.includes(c)) {
      tokens.push({ kind: 'op', text: c as '=' | '!' | '(' | ')' | ',' | '>' | '<' });
      i++;
    } else {
      let j = i;
      while (j < input.length && !/\s/.test(input[j]!) && !'=!(),<>'.includes(input[j]!)) j++;
      tokens.push({ kind: 'id', text: input.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

function parseError(detail: string): never {
  throw badRequest(`unable to parse requirement: ${detail}`);
}

/** labels.Parse. An empty string selects everything. Throws a 400 BadRequest on syntax errors. */
export function parseLabelSelector(input: string | undefined | null): LabelSelector {
  if (!input || input.trim() === '') return [];
  const tokens = lex(input);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const reqs: LabelRequirement[] = [];

  const readValue = (allowEmptyBefore: string[]): string => {
    const t = peek();
    if (t.kind === 'id') {
      pos++;
      return t.text;
    }
    if (t.kind === 'end' || (t.kind === 'op' && allowEmptyBefore.includes(t.text))) return '';
    return parseError(`found '${t.kind === 'op' ? t.text : ''}', expected: identifier`);
  };

  for (;;) {
    let t = next();
    let negated = false;
    if (t.kind === 'op' && t.text === '!') {
      negated = true;
      t = next();
    }
    if (t.kind !== 'id') {
      parseError(`found '${t.kind === 'op' ? t.text : ''}', expected: !, identifier, or 'end of string'`);
    }
    const key = t.text;
    const keyErr = validateLabelKey(key);
    if (keyErr) parseError(`key: Invalid value: ${JSON.stringify(key)}: ${keyErr}`);
    const op = peek();
    if (negated) {
      reqs.push({ key, op: '!', values: [] });
    } else if (op.kind === 'end' || (op.kind === 'op' && op.text === ',')) {
      reqs.push({ key, op: 'exists', values: [] });
    } else if (op.kind === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=')) {
      pos++;
      const value = readValue([',']);
      const valueErr = validateLabelValue(value);
      if (valueErr) parseError(`values[0][${key}]: Invalid value: ${JSON.stringify(value)}: ${valueErr}`);
      reqs.push({ key, op: op.text === '!=' ? '!=' : '=', values: [value] });
    } else if (op.kind === 'op' && (op.text === '>' || op.text === '<')) {
      pos++;
      const value = readValue([]);
      if (!/^-?\d+$/.test(value)) parseError(`for 'Gt', 'Lt' operators, the value must be an integer`);
      reqs.push({ key, op: op.text === '>' ? 'gt' : 'lt', values: [value] });
    } else if (op.kind === 'id' && (op.text === 'in' || op.text === 'notin')) {
      pos++;
      const open = next();
      if (open.kind !== 'op' || open.text !== '(') parseError(`found '${open.kind === 'id' ? open.text : ''}', expected: '('`);
      const values: string[] = [];
      for (;;) {
        const value = readValue([',', ')']);
        const valueErr = validateLabelValue(value);
        if (valueErr) parseError(`values[${values.length}][${key}]: Invalid value: ${JSON.stringify(value)}: ${valueErr}`);
        values.push(value);
        const sep = next();
        if (sep.kind === 'op' && sep.text === ')') break;
        if (sep.kind !== 'op' || sep.text !== ',') parseError(`found '${sep.kind === 'id' ? sep.text : ''}', expected: ',' or ')'`);
      }
      reqs.push({ key, op: op.text, values });
    } else {
      parseError(`found '${op.kind === 'id' ? op.text : op.kind === 'op' ? op.text : ''}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const sep = next();
    if (sep.kind === 'end') break;
    if (sep.kind !== 'op' || sep.text !== ',') parseError(`found '${sep.kind === 'id' ? sep.text : ''}', expected: ',' or 'end of string'`);
  }
  return reqs;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v!);
      case 'notin':
        return !has || !r.values.includes(v!);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v!)) return false;
        const n = Number(v);
        const bound = Number(r.values[0]);
        return r.op === 'gt' ? n > bound : n < bound;
      }
    }
  });
}

/** A metav1.LabelSelector (matchLabels / matchExpressions) as a parsed selector. */
export function fromLabelSelectorObject(sel: unknown): LabelSelector | undefined {
  if (typeof sel !== 'object' || sel === null) return undefined;
  const s = sel as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  const reqs: LabelSelector = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of s.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In'];
    if (op) reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}

/** The selector rendered as labels.Selector.String() does (used for Scale status.selector). */
export function labelSelectorString(selector: LabelSelector): string {
  return selector
    .map((r) => {
      switch (r.op) {
        case '=':
          return `${r.key}=${r.values[0]}`;
        case '!=':
          return `${r.key}!=${r.values[0]}`;
        case 'in':
          return `${r.key} in (${[...r.values].sort().join(',')})`;
        case 'notin':
          return `${r.key} notin (${[...r.values].sort().join(',')})`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
      }
    })
    .join(',');
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** fields.ParseSelector: comma-separated `field=value`, `field==value`, `field!=value`; `\,` `\=` `\\` escapes. */
export function parseFieldSelector(input: string | undefined | null): FieldRequirement[] {
  if (!input || input.trim() === '') return [];
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\\' && i + 1 < input.length) {
      cur += c + input[i + 1];
      i++;
    } else if (c === ',') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');
  return parts.map((part) => {
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(part.replace(/\\./g, (e) => (e === '\\=' ? '\u0001' : e === '\\!' ? '\u0002' : e)));
    if (!m) throw badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
    const restore = (s: string): string => unescape(s.replace(/\u0001/g, '\\=').replace(/\u0002/g, '\\!'));
    return { field: restore(m[1]!).trim(), op: m[2] === '!=' ? '!=' : '=', value: restore(m[3]!) };
  });
}

export function matchesFields(reqs: FieldRequirement[], fields: Record<string, string>): boolean {
  return reqs.every((r) => {
    const v = fields[r.field] ?? '';
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}
