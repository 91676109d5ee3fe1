import { parse as parseYaml } from 'yaml';
import { parseDurationSeconds } from './duration.js';
import { usageError } from './exit-codes.js';

/** Test settings read from a file or flags; unset fields are left to the server's defaults. */
export interface SpecFields {
  url?: string;
  method?: string;
  headers?: { name: string; value: string }[];
  body?: string;
  contentType?: string;
  connections?: number;
  durationSeconds?: number;
  rate?: number;
  warmupSeconds?: number;
  requestTimeoutSeconds?: number;
  loadGenerator?: string;
  name?: string;
  labels?: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses JSON or YAML text (aliases bounded), as a usage error naming the file when malformed. */
export function parseDocument(text: string, file: string): unknown {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return JSON.parse(trimmed);
    return parseYaml(trimmed, { maxAliasCount: 50 });
  } catch (error) {
    throw usageError(`${file} is neither valid JSON nor valid YAML: ${(error as Error).message.split('\n')[0]}`, 'Fix the file and run again.');
  }
}

/**
 * Reads an SMP performance test configuration (JSON or YAML): either
 * `{ performance_test_config: {...} }` (as `perf result export --format smp-json` writes it) or a
 * bare PerformanceTestConfig. Uses `name`, `labels`, `duration` and the first client's
 * `endpoint_urls[0]`, `connections`, `rps`, `headers`, `cookies`, `body`, `content_type`,
 * `load_generator` and `additional_options` (a JSON object or string with `method`,
 * `warmup_seconds`, `request_timeout_seconds`).
 */
export function parseSmpTestConfig(text: string, file: string): SpecFields {
  const document = parseDocument(text, file);
  if (!isObject(document)) throw usageError(`${file} must hold an SMP performance test configuration (a mapping)`);
  const config = isObject(document['performance_test_config']) ? document['performance_test_config'] : document;
  const problems: string[] = [];
  const fields: SpecFields = {};
  if (typeof config['name'] === 'string') fields.name = config['name'];
  if (isObject(config['labels'])) {
    fields.labels = Object.fromEntries(Object.entries(config['labels']).map(([k, v]) => [k, String(v)]));
  }
  if (config['duration'] !== undefined) {
    const seconds = parseDurationSeconds(config['duration'] as string | number);
    if (seconds === undefined || seconds <= 0) problems.push(`duration "${String(config['duration'])}" is not a duration such as 30s or 1m`);
    else fields.durationSeconds = seconds;
  }
  const clients = config['clients'];
  if (clients !== undefined && (!Array.isArray(clients) || !isObject(clients[0]))) problems.push('clients must be a list of client objects');
  const client = Array.isArray(clients) && isObject(clients[0]) ? clients[0] : undefined;
  if (!client) problems.push('clients[0] is missing: it holds the endpoint_urls to test');
  if (client) {
    if (Array.isArray(clients) && clients.length > 1) process.stderr.write(`Warning: ${file} has ${clients.length} clients; only the first is run.\n`);
    const urls = client['endpoint_urls'];
    if (Array.isArray(urls) && typeof urls[0] === 'string') {
      fields.url = urls[0];
      if (urls.length > 1) process.stderr.write(`Warning: ${file} lists ${urls.length} endpoint_urls; only the first is tested.\n`);
    } else if (urls !== undefined) problems.push('clients[0].endpoint_urls must be a list of URLs');
    if (client['protocol'] !== undefined && client['protocol'] !== 'http') {
      problems.push(`clients[0].protocol "${String(client['protocol'])}" is not supported; only http is`);
    }
    const number = (key: string, integer: boolean): number | undefined => {
      const value = client[key];
      if (value === undefined || value === null) return undefined;
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
        problems.push(`clients[0].${key} "${String(value)}" must be ${integer ? 'a whole number' : 'a number'} of 0 or more`);
        return undefined;
      }
      return n;
    };
    const connections = number('connections', true);
    if (connections !== undefined) fields.connections = connections;
    const rps = number('rps', false);
    if (rps !== undefined && rps > 0) fields.rate = rps;
    const headers: { name: string; value: string }[] = [];
    if (isObject(client['headers'])) {
      for (const [name, value] of Object.entries(client['headers'])) headers.push({ name, value: String(value) });
    }
    if (isObject(client['cookies']) && Object.keys(client['cookies']).length > 0) {
      headers.push({ name: 'Cookie', value: Object.entries(client['cookies']).map(([k, v]) => `${k}=${String(v)}`).join('; ') });
    }
    if (headers.length > 0) fields.headers = headers;
    if (typeof client['body'] === 'string' && client['body'] !== '') fields.body = client['body'];
    if (typeof client['content_type'] === 'string' && client['content_type'] !== '') fields.contentType = client['content_type'];
    if (typeof client['load_generator'] === 'string' && client['load_generator'] !== '') fields.loadGenerator = client['load_generator'];
    let extra: unknown = client['additional_options'];
    if (typeof extra === 'string' && extra.trim() !== '') {
      try {
        extra = JSON.parse(extra);
      } catch {
        problems.push('clients[0].additional_options is not a JSON object');
        extra = undefined;
      }
    }
    if (isObject(extra)) {
      if (typeof extra['method'] === 'string') fields.method = extra['method'].toUpperCase();
      if (typeof extra['warmup_seconds'] === 'number') fields.warmupSeconds = extra['warmup_seconds'];
      if (typeof extra['request_timeout_seconds'] === 'number') fields.requestTimeoutSeconds = extra['request_timeout_seconds'];
    }
  }
  if (problems.length > 0) {
    throw usageError(`${file} is not a usable SMP performance test configuration: ${problems.join('; ')}`, 'Fix the file and run again.');
  }
  return fields;
}
