import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Connection } from './config.js';
import { CliError, ExitCode } from './exit-codes.js';

/** One GraphQL error as the server sends it. */
export interface GraphQLErrorPayload {
  message: string;
  path?: readonly (string | number)[];
  extensions?: {
    code?: string;
    field?: string;
    probableCause?: string;
    remediation?: string;
    problems?: { field: string; message: string }[];
    [key: string]: unknown;
  };
}

/** An error the server answered with: its code, message, probable cause and remediation. */
export function apiError(errors: readonly GraphQLErrorPayload[]): CliError {
  const [first, ...rest] = errors;
  const ext = first?.extensions ?? {};
  const lines: string[] = [];
  for (const problem of ext.problems ?? []) lines.push(`- ${problem.field}: ${problem.message}`);
  for (const other of rest) lines.push(`also: ${other.message}${other.extensions?.code ? ` (${other.extensions.code})` : ''}`);
  return new CliError(ExitCode.API_ERROR, first?.message ?? 'the server answered with an error', {
    ...(ext.code ? { code: ext.code } : {}),
    ...(ext.field ? { field: ext.field } : {}),
    ...(ext.probableCause ? { cause: ext.probableCause } : {}),
    ...(ext.remediation
      ? { remedy: ext.remediation }
      : ext.code === 'UNAUTHENTICATED'
        ? { remedy: 'Give the server token with --token, MESHERY_TOKEN or the config file.' }
        : {}),
    lines,
  });
}

/** Why a connection could not be made, in words. */
function describeNetworkError(error: unknown, url: string, timeoutMs: number): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return `no answer within ${timeoutMs / 1000} s (--timeout)`;
  }
  const code = err?.cause?.code ?? err?.code;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused (ECONNREFUSED): nothing is listening on ${host}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name of ${host} could not be resolved (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${host} (${code})`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `the connection to ${host} was reset (${code})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connecting to ${host} timed out (${code})`;
    default:
      if ((err?.cause?.message ?? err?.message) === 'bad port') {
        return `port ${new URL(url).port} is one that fetch refuses to use (a "bad port" of the Fetch standard); run the server on another port`;
      }
      return `${err?.cause?.message ?? err?.message ?? String(error)}${code ? ` (${code})` : ''}`;
  }
}

/** The server could not be reached (exit code 3). */
export function unreachable(connection: Connection, why: string): CliError {
  return new CliError(ExitCode.UNREACHABLE, `cannot reach the Meshery server at ${connection.url}`, {
    cause: `${why}; the address is ${connection.source}.`,
    remedy:
      'Start it with "mesheryctl system start" (check it with "mesheryctl system status"), or point at the right server with --server URL, --server-name NAME or MESHERY_SERVER; raise --timeout for a slow network.',
  });
}

/** Handlers of a subscription. `next` returns true on the last event it wants. */
export interface SubscriptionOptions<T> {
  next(data: T): boolean;
  /**
   * Fails the subscription when no event arrived for this long; absent for streams that are
   * quiet by nature (a mesh status only changes now and then).
   */
  stallTimeoutMs?: number;
  /** What the stall message says is stalled. */
  describe: string;
  /** Added to stall and connection-lost errors: what to do. */
  remedy: string;
}

/** A running subscription. */
export interface ActiveSubscription {
  /** Settles when `next` returned true (resolves) or on error, stall, or loss of connection (rejects with a CliError). */
  readonly done: Promise<void>;
  /** Stops listening (no error). */
  stop(): void;
}

/** Talks to one server: GraphQL over HTTP, plain HTTP downloads, and graphql-ws subscriptions. */
export class ApiClient {
  private ws: Client | undefined;

  constructor(readonly connection: Connection) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.connection.token ? { authorization: `Bearer ${this.connection.token}` } : {}), ...extra };
  }

  /** A request whose connection, answer and body all fit in the timeout. */
  private async request(path: string, init: RequestInit = {}): Promise<{ status: number; contentType: string; text: string }> {
    const url = `${this.connection.url}${path}`;
    const signal = AbortSignal.timeout(this.connection.timeoutMs);
    try {
      const response = await fetch(url, { ...init, headers: this.headers(init.headers as Record<string, string>), signal });
      const text = await response.text();
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
    } catch (error) {
      throw unreachable(this.connection, describeNetworkError(error, url, this.connection.timeoutMs));
    }
  }

  private notMeshery(path: string, status: number, contentType: string, text: string): CliError {
    return new CliError(ExitCode.API_ERROR, `unexpected answer from ${this.connection.url}${path}: HTTP ${status} ${contentType || 'without content type'}`, {
      cause: `This is not a Meshery server, or a proxy stands in between. It answered: ${text.slice(0, 200).replace(/\s+/g, ' ')}`,
      remedy: 'Check --server (or the config file) points at the Meshery server.',
    });
  }

  /** A REST error body ({ code, message, remediation }) as a CliError. */
  private restError(path: string, status: number, contentType: string, text: string): CliError {
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      const message = typeof body['message'] === 'string' ? body['message'] : `HTTP ${status}`;
      const code = typeof body['code'] === 'string' ? body['code'] : typeof body['error'] === 'string' ? String(body['error']) : `HTTP_${status}`;
      return apiError([
        {
          message,
          extensions: {
            code,
            ...(typeof body['probableCause'] === 'string' ? { probableCause: body['probableCause'] } : {}),
            ...(typeof body['remediation'] === 'string' ? { remediation: body['remediation'] } : {}),
          },
        },
      ]);
    } catch {
      return this.notMeshery(path, status, contentType, text);
    }
  }

  /** Runs a query or mutation; GraphQL errors become a CliError with the server's details. */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { status, contentType, text } = await this.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
    });
    let body: { data?: T | null; errors?: GraphQLErrorPayload[]; code?: string; message?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw this.notMeshery('/graphql', status, contentType, text);
    }
    if (body.errors && body.errors.length > 0) throw apiError(body.errors);
    if (status >= 400 || !body.data) {
      if (body.code || body.message) throw this.restError('/graphql', status, contentType, text);
      throw this.notMeshery('/graphql', status, contentType, text);
    }
    return body.data;
  }

  /** GET of a JSON document. */
  async getJson<T>(path: string): Promise<T> {
    const { text } = await this.getText(path);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw this.notMeshery(path, 200, '', text);
    }
  }

  /** GET of a text document; HTTP errors become a CliError with the server's details. */
  async getText(path: string): Promise<{ text: string; contentType: string }> {
    const { status, contentType, text } = await this.request(path, { method: 'GET' });
    if (status >= 400) throw this.restError(path, status, contentType, text);
    return { text, contentType };
  }

  /** GET /api/health. */
  health(): Promise<{ status: string; version: string; database: string }> {
    return this.getJson('/api/health');
  }

  private wsClient(): { client: Client; lastSocketError: () => unknown } {
    let lastError: unknown;
    const { token, timeoutMs } = this.connection;
    const headers = this.headers();
    // ws bounds the opening handshake; graphql-ws bounds the wait for connection_ack.
    class BoundedWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { handshakeTimeout: timeoutMs, headers });
      }
    }
    this.ws ??= createClient({
      url: `${this.connection.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: BoundedWebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionAckWaitTimeout: timeoutMs,
      keepAlive: 5_000,
      ...(token ? { connectionParams: { authorization: `Bearer ${token}` } } : {}),
      on: { error: (error) => (lastError = error) },
    });
    return { client: this.ws, lastSocketError: () => lastError };
  }

  /**
   * Subscribes; fails with exit code 8 when no event arrives for `stallTimeoutMs`, with 3 when
   * the connection cannot be made or is lost, with 4 on a GraphQL error.
   */
  subscribe<T>(query: string, variables: Record<string, unknown>, options: SubscriptionOptions<T>): ActiveSubscription {
    const { client, lastSocketError } = this.wsClient();
    let unsubscribe: () => void = () => {};
    let settled = false;
    let received = 0;
    let timer: NodeJS.Timeout | undefined;
    let resolveDone!: () => void;
    let rejectDone!: (error: CliError) => void;
    const done = new Promise<void>((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    });
    const finish = (error?: CliError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      if (error) rejectDone(error);
      else resolveDone();
    };
    const arm = (): void => {
      clearTimeout(timer);
      const stallTimeoutMs = options.stallTimeoutMs;
      if (stallTimeoutMs === undefined) return;
      timer = setTimeout(() => {
        const seconds = stallTimeoutMs / 1000;
        finish(
          new CliError(ExitCode.STALLED, `${options.describe} reported nothing for ${seconds} s`, {
            cause:
              received === 0
                ? 'The server accepted the connection but sent no event: it may be overloaded or hung.'
                : 'The server or its load generator stopped sending progress (at least one sample a second is expected), or the connection went silent.',
            remedy: `${options.remedy} Raise --stall-timeout if the server is slow to report.`,
          }),
        );
      }, stallTimeoutMs);
    };
    arm();
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (settled) return;
          received += 1;
          if (value.errors && value.errors.length > 0) {
            finish(apiError(value.errors as GraphQLErrorPayload[]));
            return;
          }
          arm();
          try {
            if (options.next(value.data as T)) finish();
          } catch (error) {
            finish(error instanceof CliError ? error : new CliError(ExitCode.INTERNAL, (error as Error).message));
          }
        },
        error: (error) => {
          if (Array.isArray(error)) {
            finish(apiError(error as GraphQLErrorPayload[]));
            return;
          }
          const close = error as { code?: number; reason?: string };
          if (typeof close?.code === 'number' && close.code === 4403) {
            finish(
              new CliError(ExitCode.API_ERROR, 'the server refused the subscription: Forbidden', {
                code: 'UNAUTHENTICATED',
                remedy: 'Give the server token with --token, MESHERY_TOKEN or the config file.',
              }),
            );
            return;
          }
          const why =
            typeof close?.code === 'number'
              ? `the connection closed (code ${close.code}${close.reason ? `: ${close.reason}` : ''})${lastSocketError() ? `: ${describeNetworkError(lastSocketError(), this.connection.url, this.connection.timeoutMs)}` : ''}`
              : describeNetworkError(error, this.connection.url, this.connection.timeoutMs);
          if (received === 0) {
            finish(unreachable(this.connection, why));
          } else {
            finish(
              new CliError(ExitCode.UNREACHABLE, `lost the connection to the Meshery server at ${this.connection.url} while following ${options.describe}`, {
                cause: why,
                remedy: options.remedy,
              }),
            );
          }
        },
        complete: () => {
          if (settled) return;
          finish(
            new CliError(ExitCode.UNREACHABLE, `the server ended the subscription to ${options.describe} before it finished`, {
              cause: 'The server may be stopping.',
              remedy: options.remedy,
            }),
          );
        },
      },
    );
    return { done, stop: () => finish() };
  }

  /** Closes the WebSocket, if one was opened. */
  async close(): Promise<void> {
    const ws = this.ws;
    this.ws = undefined;
    if (ws) await ws.dispose();
  }
}
