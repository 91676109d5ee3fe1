import { HTTP_METHODS, PluginError, type HttpMethod, type LoadTestSpec } from '@meshery/plugin-api';

/** Largest number of connections this generator opens. */
export const MAX_CONNECTIONS = 10_000;

/** Longest test (warm-up included): the largest delay a Node.js timer accepts, in seconds. */
const MAX_TOTAL_SECONDS = Math.floor(0x7fffffff / 1000);

/** The request autocannon sends, built from a spec. */
export interface RequestOptions {
  readonly url: string;
  readonly method: HttpMethod;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Request timeout in milliseconds. */
  readonly timeoutMs: number;
}

function invalid(field: string, message: string, probableCause: string, remediation: string): PluginError {
  return new PluginError('INVALID_REQUEST', message, { field: `spec.${field}`, probableCause, remediation });
}

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === lower);
}

/**
 * Checks what autocannon cannot run at all (the host has already checked the spec against the
 * descriptor; this guards direct callers) and builds the request.
 *
 * Headers are sent as given, plus `content-type: <contentType>` unless a content-type header is
 * already there (compared case-insensitively). A `content-length` header is dropped: autocannon
 * computes it from the body, and a second one would make the request invalid.
 */
export function buildRequestOptions(spec: LoadTestSpec): RequestOptions {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw invalid('url', `"${spec.url}" is not a URL`, 'The URL could not be parsed.', 'Give a full URL such as http://127.0.0.1:8080/path.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(
      'url',
      `autocannon cannot send requests to a ${url.protocol.replace(':', '')}:// URL`,
      'autocannon speaks HTTP/1.1 over TCP or TLS only.',
      'Use an http:// or https:// URL.',
    );
  }
  if (!HTTP_METHODS.includes(spec.method)) {
    throw invalid('method', `Method "${spec.method}" is not supported`, 'The method is not an HTTP method Meshery knows.', `Use one of ${HTTP_METHODS.join(', ')}.`);
  }
  if (!Number.isInteger(spec.connections) || spec.connections < 1 || spec.connections > MAX_CONNECTIONS) {
    throw invalid('connections', `${spec.connections} connections cannot be opened`, `autocannon needs a whole number of connections from 1 to ${MAX_CONNECTIONS}.`, `Set connections between 1 and ${MAX_CONNECTIONS}.`);
  }
  if (!Number.isFinite(spec.durationSeconds) || spec.durationSeconds <= 0) {
    throw invalid('durationSeconds', `A duration of ${spec.durationSeconds} seconds cannot be measured`, 'The measured phase must last some time.', 'Set durationSeconds to a number greater than 0.');
  }
  if (!Number.isFinite(spec.warmupSeconds) || spec.warmupSeconds < 0) {
    throw invalid('warmupSeconds', `A warm-up of ${spec.warmupSeconds} seconds is not possible`, 'The warm-up must be 0 or more seconds.', 'Set warmupSeconds to 0 (no warm-up) or more.');
  }
  if (spec.warmupSeconds + spec.durationSeconds > MAX_TOTAL_SECONDS) {
    throw invalid('durationSeconds', `A test of ${spec.warmupSeconds + spec.durationSeconds} seconds (warm-up included) is too long`, `Node.js timers cannot wait longer than ${MAX_TOTAL_SECONDS} seconds.`, 'Run shorter tests.');
  }
  if (!Number.isFinite(spec.requestTimeoutSeconds) || spec.requestTimeoutSeconds <= 0 || spec.requestTimeoutSeconds > MAX_TOTAL_SECONDS) {
    throw invalid('requestTimeoutSeconds', `A request timeout of ${spec.requestTimeoutSeconds} seconds is not possible`, 'The timeout must be greater than 0.', 'Set requestTimeoutSeconds to a number greater than 0.');
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    if (name.toLowerCase() === 'content-length') continue;
    headers[name] = value;
  }
  if (spec.contentType !== undefined && spec.contentType !== '' && !hasHeader(headers, 'content-type')) {
    headers['content-type'] = spec.contentType;
  }
  return {
    url: url.toString(),
    method: spec.method,
    headers,
    ...(spec.body !== undefined && spec.body !== '' ? { body: spec.body } : {}),
    timeoutMs: spec.requestTimeoutSeconds * 1000,
  };
}
