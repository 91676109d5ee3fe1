/**
 * Fault injection: added latency, N answers of 429 (with Retry-After), N answers of 500, N dropped
 * connections (the socket is destroyed without a response), each optionally limited to a method
 * and a path pattern. Rules are consulted in the order they were added; a rule with a `count` is
 * removed once it has fired that many times.
 */

export type FaultKind = 'latency' | 'tooManyRequests' | 'serverError' | 'drop';

export interface FaultSpec {
  kind: FaultKind;
  /** How many requests the fault applies to; latency applies forever when omitted, the others once. */
  count?: number;
  /** HTTP method to match (case-insensitive); any when omitted. */
  method?: string;
  /**
   * Path to match: a RegExp, or a string where `*` matches any run of characters (including `/`)
   * and which otherwise must equal the request path (query excluded). Any path when omitted.
   */
  path?: string | RegExp;
  /** Only match watch requests (`true`) or only non-watch requests (`false`). */
  watch?: boolean;
  /** latency: milliseconds to wait before handling the request. */
  ms?: number;
  /** tooManyRequests: the Retry-After value in seconds (default 1). */
  retryAfterSeconds?: number;
  /** serverError: the message of the InternalError Status. */
  message?: string;
}

export interface FaultRule extends FaultSpec {
  id: string;
  /** How many times the rule has fired. */
  hits: number;
}

export interface FaultDecision {
  latencyMs: number;
  action?: { kind: 'tooManyRequests'; retryAfterSeconds: number } | { kind: 'serverError'; message: string } | { kind: 'drop' };
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /** Adds a rule and returns it (with its id, for remove()). */
  add(spec: FaultSpec): FaultRule {
    const valid: FaultKind[] = ['latency', 'tooManyRequests', 'serverError', 'drop'];
    if (!valid.includes(spec.kind)) throw new Error(`unknown fault kind ${JSON.stringify(spec.kind)}; expected one of ${valid.join(', ')}`);
    if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1)) throw new Error('count must be a positive integer');
    const rule: FaultRule = {
      ...spec,
      count: spec.count ?? (spec.kind === 'latency' ? undefined : 1),
      id: String(this.nextId++),
      hits: 0,
    };
    if (rule.count === undefined) delete rule.count;
    this.rules.push(rule);
    return rule;
  }

  latency(ms: number, scope: Omit<FaultSpec, 'kind' | 'ms'> = {}): FaultRule {
    return this.add({ ...scope, kind: 'latency', ms });
  }

  tooManyRequests(count = 1, scope: Omit<FaultSpec, 'kind' | 'count'> = {}): FaultRule {
    return this.add({ ...scope, kind: 'tooManyRequests', count });
  }

  serverError(count = 1, scope: Omit<FaultSpec, 'kind' | 'count'> = {}): FaultRule {
    return this.add({ ...scope, kind: 'serverError', count });
  }

  drop(count = 1, scope: Omit<FaultSpec, 'kind' | 'count'> = {}): FaultRule {
    return this.add({ ...scope, kind: 'drop', count });
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Decides what happens to one request, consuming counted rules. */
  decide(method: string, path: string, isWatch: boolean): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const rule of [...this.rules]) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.watch !== undefined && rule.watch !== isWatch) continue;
      if (rule.path !== undefined) {
        const re = rule.path instanceof RegExp ? rule.path : globToRegExp(rule.path);
        if (!re.test(path)) continue;
      }
      if (rule.kind === 'latency') {
        decision.latencyMs += rule.ms ?? 0;
        this.consume(rule);
        continue;
      }
      if (decision.action) continue;
      this.consume(rule);
      if (rule.kind === 'tooManyRequests') decision.action = { kind: 'tooManyRequests', retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
      else if (rule.kind === 'serverError') decision.action = { kind: 'serverError', message: rule.message ?? 'injected fault' };
      else decision.action = { kind: 'drop' };
    }
    return decision;
  }

  private consume(rule: FaultRule): void {
    rule.hits++;
    if (rule.count !== undefined && rule.hits >= rule.count) this.rules = this.rules.filter((r) => r !== rule);
  }
}

/** Parses a rule posted to /__kube-sim/faults (path patterns given as `pathRegex` become RegExps). */
export function faultSpecFromJson(body: unknown): FaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('fault must be a JSON object');
  const b = body as Record<string, unknown>;
  const spec: FaultSpec = { kind: b['kind'] as FaultKind };
  if (b['count'] !== undefined) spec.count = Number(b['count']);
  if (typeof b['method'] === 'string') spec.method = b['method'];
  if (typeof b['path'] === 'string') spec.path = b['path'];
  if (typeof b['pathRegex'] === 'string') spec.path = new RegExp(b['pathRegex']);
  if (typeof b['watch'] === 'boolean') spec.watch = b['watch'];
  if (b['ms'] !== undefined) spec.ms = Number(b['ms']);
  if (b['retryAfterSeconds'] !== undefined) spec.retryAfterSeconds = Number(b['retryAfterSeconds']);
  if (typeof b['message'] === 'string') spec.message = b['message'];
  return spec;
}
