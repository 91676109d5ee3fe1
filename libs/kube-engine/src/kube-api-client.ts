import { KubeConfig } from '@kubernetes/client-node';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

/** A `Status` body as the Kubernetes API server returns it on errors. */
export interface KubeStatus {
  kind?: 'Status';
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

/** A failed API request, with the server's Status when it sent one. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly kubeStatus: KubeStatus | undefined,
    readonly network: boolean,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  get reason(): string | undefined {
    return this.kubeStatus?.reason;
  }
}

/** How requests are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Upper bound on a Retry-After the server asks for. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5000, maxRetryAfterMs: 30_000 };

/** Reported before each retry. */
export interface RetryNotice {
  readonly method: string;
  readonly path: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly cause: string;
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function queryString(query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A thin client of the Kubernetes REST API on top of a kubeconfig context (client-node does the
 * authentication: certificates, tokens, exec plugins). It retries 429 (honouring Retry-After),
 * 5xx answers and dropped connections with backoff, and streams watches.
 */
export class KubeApiClient {
  private constructor(
    private readonly kubeConfig: KubeConfig,
    readonly server: string,
    private readonly retry: RetryPolicy,
    private readonly onRetry?: (notice: RetryNotice) => void,
  ) {}

  static fromKubeConfig(kubeConfig: KubeConfig, options: { retry?: RetryPolicy; onRetry?: (n: RetryNotice) => void } = {}) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    let config = kubeConfig;
    if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
      // A plain-HTTP API address (kubectl proxy, a local test server) has no TLS to verify;
      // client-node only builds HTTP options for it when told to skip verification.
      config = new KubeConfig();
      config.loadFromOptions({
        clusters: kubeConfig.clusters.map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c)),
        users: kubeConfig.users,
        contexts: kubeConfig.contexts,
        currentContext: kubeConfig.getCurrentContext(),
      });
    }
    return new KubeApiClient(config, cluster.server.replace(/\/$/, ''), options.retry ?? DEFAULT_RETRY, options.onRetry);
  }

  /** The same client, reporting retries to `onRetry`. */
  withRetryListener(onRetry: (notice: RetryNotice) => void): KubeApiClient {
    return new KubeApiClient(this.kubeConfig, this.server, this.retry, onRetry);
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let delayMs: number;
      let cause: string;
      try {
        const response = await this.once(method, path, options);
        if (response.status < 300) return response.body as T;
        const status = response.body as KubeStatus | undefined;
        const error = new KubeApiError(
          status?.message ?? `${method} ${path} answered HTTP ${response.status}`,
          response.status,
          typeof status === 'object' ? status : undefined,
          false,
        );
        if (response.status === 429) {
          const retryAfter = Number(response.headers['retry-after']);
          delayMs = Math.min(this.retry.maxRetryAfterMs, Number.isFinite(retryAfter) ? retryAfter * 1000 : this.backoff(attempt));
          cause = `429 Too Many Requests${Number.isFinite(retryAfter) ? ` (Retry-After ${retryAfter} s)` : ''}`;
        } else if (response.status >= 500 && response.status !== 501) {
          delayMs = this.backoff(attempt);
          cause = `HTTP ${response.status}${status?.message ? `: ${status.message}` : ''}`;
        } else {
          throw error;
        }
        if (attempt >= this.retry.attempts) throw error;
      } catch (error) {
        if (error instanceof KubeApiError && !error.network) throw error;
        if (options.signal?.aborted) throw error;
        const networkError =
          error instanceof KubeApiError
            ? error
            : new KubeApiError(`${method} ${this.server}${path}: ${(error as Error).message}`, undefined, undefined, true);
        if (attempt >= this.retry.attempts) throw networkError;
        delayMs = this.backoff(attempt);
        cause = `connection failed (${(error as Error).message})`;
      }
      this.onRetry?.({ method, path, attempt, delayMs, cause });
      await sleep(delayMs, options.signal);
    }
  }

  /**
   * Streams a watch (`?watch=true`) until the server ends it, the signal aborts, or `onEvent`
   * returns true (done).
   */
  async watch(
    path: string,
    query: RequestOptions['query'],
    onEvent: (type: string, object: any) => boolean | void,
    signal: AbortSignal,
  ): Promise<void> {
    const options = await this.httpOptions('GET', `${path}${queryString({ ...query, watch: true })}`, undefined);
    await new Promise<void>((resolve, reject) => {
      const transport = options.protocol === 'http:' ? http : https;
      const req = transport.request(options, (res) => {
        if ((res.statusCode ?? 500) >= 300) {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk));
          res.on('end', () => reject(new KubeApiError(`watch ${path} answered HTTP ${res.statusCode}: ${text.slice(0, 200)}`, res.statusCode, safeJson(text), false)));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (!line) continue;
            const event = safeJson(line) as { type?: string; object?: unknown } | undefined;
            if (event?.type && onEvent(event.type, event.object) === true) {
              req.destroy();
              resolve();
              return;
            }
          }
        });
        res.on('end', () => resolve());
        res.on('error', (error) => (signal.aborted ? resolve() : reject(error)));
      });
      const onAbort = (): void => {
        req.destroy();
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => (signal.aborted ? resolve() : reject(error)));
      req.on('close', () => signal.removeEventListener('abort', onAbort));
      req.end();
    });
  }

  private backoff(attempt: number): number {
    const exponential = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exponential * (0.75 + Math.random() * 0.5));
  }

  private async httpOptions(method: string, pathWithQuery: string, contentType: string | undefined): Promise<https.RequestOptions> {
    const url = new URL(`${this.server}${pathWithQuery}`);
    const options: https.RequestOptions = {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      method,
      headers: { accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}) },
    };
    await this.kubeConfig.applyToHTTPSOptions(options);
    return options;
  }

  private async once(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: unknown }> {
    const payload =
      options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const httpOptions = await this.httpOptions(method, `${path}${queryString(options.query)}`, options.body === undefined ? undefined : options.contentType ?? 'application/json');
    return new Promise((resolve, reject) => {
      const transport = httpOptions.protocol === 'http:' ? http : https;
      const onAbort = () => req.destroy(new Error('aborted'));
      // One listener per request on a signal that lives as long as the whole operation: remove it
      // when the request ends, or long operations pile them up.
      const settle = <T>(fn: (value: T) => void) => (value: T) => {
        options.signal?.removeEventListener('abort', onAbort);
        fn(value);
      };
      // An explicit length: Node does not chunk DELETE bodies, so without it the server would read
      // the body as the start of the next request.
      const headers = payload === undefined ? httpOptions.headers : { ...httpOptions.headers, 'content-length': Buffer.byteLength(payload) };
      const req = transport.request({ ...httpOptions, headers, timeout: options.timeoutMs ?? 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          settle(resolve)({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (safeJson(text) ?? text) : undefined });
        });
        res.on('error', settle(reject));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${(options.timeoutMs ?? 30_000) / 1000} s`)));
      req.on('error', settle(reject));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
