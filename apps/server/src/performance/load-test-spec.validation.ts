import { HTTP_METHODS, type HttpMethod, type LoadGeneratorDescriptor, type LoadTestSpec } from '@meshery/plugin-api';
import type { InputProblem } from '../graphql/api-error.js';

/** Upper bounds an operator sets for every test (see ServerConfig.performance). */
export interface LoadTestLimits {
  readonly maxDurationSeconds: number;
  readonly maxConnections: number;
  readonly maxRate: number;
  readonly maxWarmupSeconds: number;
}

/** The spec fields as they arrive from any input (GraphQL, a stored profile, an SMP file). */
export interface LoadTestSpecFields {
  readonly url: string;
  readonly method: string;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly body?: string | null;
  readonly contentType?: string | null;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rate?: number | null;
  /** Absent: {@link defaultWarmupSeconds}. */
  readonly warmupSeconds?: number | null;
  readonly requestTimeoutSeconds: number;
}

/** Tests this long or longer get a warm-up by default. */
export const DEFAULT_WARMUP_FROM_SECONDS = 30;

/**
 * The warm-up a test gets when none is given: 5 s for tests of 30 s or more (connections, JIT
 * and caches settle before measuring), none for short tests where it would dominate.
 */
export function defaultWarmupSeconds(durationSeconds: number): number {
  return durationSeconds >= DEFAULT_WARMUP_FROM_SECONDS ? 5 : 0;
}

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

/**
 * Checks a spec against the server's limits and returns the normalised spec, or every problem
 * found (each naming its field under `prefix`).
 */
export function checkLoadTestSpec(
  fields: LoadTestSpecFields,
  limits: LoadTestLimits,
  prefix: string,
): { spec: LoadTestSpec; problems: [] } | { spec?: undefined; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `${prefix}${field}`, message });

  let url: URL | undefined;
  try {
    url = new URL(fields.url);
  } catch {
    problem('url', `"${fields.url}" is not a URL; give a full URL such as http://127.0.0.1:8080/path`);
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
    problem('url', `scheme "${url.protocol.replace(':', '')}" is not supported; use http:// or https://`);
  }
  if (url && !url.hostname) problem('url', 'has no host name');

  const method = fields.method.toUpperCase();
  if (!HTTP_METHODS.includes(method as HttpMethod)) {
    problem('method', `"${fields.method}" is not one of ${HTTP_METHODS.join(', ')}`);
  }

  const headers: Record<string, string> = {};
  fields.headers.forEach((header, i) => {
    if (!HEADER_NAME.test(header.name)) {
      problem(`headers[${i}].name`, `"${header.name}" is not a valid header name (letters, digits and !#$%&'*+.^_\`|~- only)`);
    } else if (HEADER_VALUE_FORBIDDEN.test(header.value)) {
      problem(`headers[${i}].value`, `the value of "${header.name}" contains a line break or NUL, which HTTP forbids`);
    } else if (Object.keys(headers).some((k) => k.toLowerCase() === header.name.toLowerCase())) {
      problem(`headers[${i}].name`, `"${header.name}" is given twice; give each header once`);
    } else {
      headers[header.name] = header.value;
    }
  });
  if (fields.contentType && HEADER_VALUE_FORBIDDEN.test(fields.contentType)) {
    problem('contentType', 'contains a line break or NUL');
  }

  const range = (field: string, value: number, min: number, max: number, integer: boolean, unit = '') => {
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      problem(field, `${value} is out of range: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}${unit}`);
    }
  };
  range('connections', fields.connections, 1, limits.maxConnections, true);
  if (!(fields.durationSeconds > 0)) {
    problem('durationSeconds', `${fields.durationSeconds} is not a duration: give a number of seconds greater than 0`);
  } else {
    range('durationSeconds', fields.durationSeconds, 0.1, limits.maxDurationSeconds, false, ' seconds (the server limit is MESHERY_MAX_TEST_DURATION_SECONDS)');
  }
  if (fields.rate !== undefined && fields.rate !== null) {
    range('rate', fields.rate, 1, limits.maxRate, false, ' requests per second (omit it to send as fast as possible)');
  }
  const warmupSeconds = fields.warmupSeconds ?? defaultWarmupSeconds(fields.durationSeconds);
  range('warmupSeconds', warmupSeconds, 0, limits.maxWarmupSeconds, false, ' seconds');
  // Latency histograms track up to 60 s; a longer timeout would record slower answers as 60 s.
  range('requestTimeoutSeconds', fields.requestTimeoutSeconds, 0.001, 60, false, ' seconds');

  if (problems.length > 0) return { problems };
  return {
    problems: [],
    spec: {
      url: url!.toString(),
      method: method as HttpMethod,
      headers,
      ...(fields.body ? { body: fields.body } : {}),
      ...(fields.contentType ? { contentType: fields.contentType } : {}),
      connections: fields.connections,
      durationSeconds: fields.durationSeconds,
      ...(fields.rate !== undefined && fields.rate !== null ? { rate: fields.rate } : {}),
      warmupSeconds,
      requestTimeoutSeconds: fields.requestTimeoutSeconds,
    },
  };
}

/** Problems running `spec` on a generator with `descriptor`. */
export function generatorProblems(
  spec: LoadTestSpec,
  descriptor: LoadGeneratorDescriptor,
  prefix: string,
): InputProblem[] {
  const problems: InputProblem[] = [];
  const scheme = new URL(spec.url).protocol.replace(':', '') as 'http' | 'https';
  const name = descriptor.name;
  if (!descriptor.protocols.includes(scheme)) {
    problems.push({ field: `${prefix}url`, message: `load generator "${name}" does not support ${scheme}` });
  }
  if (!descriptor.methods.includes(spec.method)) {
    problems.push({ field: `${prefix}method`, message: `load generator "${name}" does not support ${spec.method}` });
  }
  if (spec.connections > descriptor.maxConnections) {
    problems.push({ field: `${prefix}connections`, message: `load generator "${name}" supports at most ${descriptor.maxConnections}` });
  }
  const model = spec.rate === undefined ? 'closed-loop' : 'open-loop';
  if (!descriptor.loadModels.includes(model)) {
    problems.push({ field: `${prefix}rate`, message: `load generator "${name}" does not support ${model} tests` });
  }
  if (spec.rate !== undefined && descriptor.maxRate !== undefined && spec.rate > descriptor.maxRate) {
    problems.push({ field: `${prefix}rate`, message: `load generator "${name}" supports at most ${descriptor.maxRate} requests/s` });
  }
  if (spec.warmupSeconds > 0 && !descriptor.supportsWarmup) {
    problems.push({ field: `${prefix}warmupSeconds`, message: `load generator "${name}" has no warm-up phase; set 0` });
  }
  return problems;
}
