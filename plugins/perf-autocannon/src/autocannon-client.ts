import type { EventEmitter } from 'node:events';

/** Per-connection flag kept on autocannon's client object. */
export const AWAITING_RESPONSE = Symbol('meshery.perf-autocannon.awaiting-response');

/**
 * The parts of autocannon 9's per-connection `Client` (lib/httpClient.js) this plugin uses
 * beyond its typed API. autocannon is pinned to an exact version; every use is guarded so a
 * change shows up as a missing feature, not a crash.
 */
export interface AutocannonClient extends EventEmitter {
  /** Request timeout in ms; read each time a request is sent. */
  timeout?: number;
  /** The http-parser-js parser of the connection. */
  parser?: object;
  /** Requests written and not answered yet on the current connection. */
  pipelinedRequests?: { clear?: () => void };
  /** Set by this plugin: whether the latest request written is still unanswered. */
  [AWAITING_RESPONSE]?: boolean;
  /** The current connection's socket. */
  conn?: { connecting?: boolean };
  /** The bytes of the request this client sends. */
  getRequestBuffer?: () => Buffer;
  destroy(): void;
}

/** What an instrumented client reports. */
export interface ClientHooks {
  /** A request of `bytes` bytes was written to the connection's socket. */
  onRequestWritten(bytes: number): void;
  /**
   * A connection failed; `unsentBytes` is what was written to it before it ever connected
   * (the request never left the machine).
   */
  onConnectionError(error: NodeJS.ErrnoException, unsentBytes: number): void;
  /**
   * autocannon's timeout fired and it reconnected. `hadRequestWaiting` is false when the
   * connection was merely idle (open loop: waiting for the next second's share of the rate),
   * which is not a request timing out.
   */
  onTimeout(hadRequestWaiting: boolean): void;
}

/** What {@link instrumentClient} gives back. */
export interface InstrumentedClient {
  /** Whether HEAD responses are read without a body (false if autocannon's parser changed). */
  readonly headHandled: boolean;
  /**
   * Bytes written to a connection that is still connecting, so never sent; call before
   * destroying the client.
   */
  unsentBytes(): number;
}

/** Errors raised while connecting, before any byte was sent. */
function failedToConnect(error: NodeJS.ErrnoException): boolean {
  return error.syscall === 'connect' || error.syscall === 'getaddrinfo';
}

/**
 * Makes the parser treat every response as having no body. Needed for HEAD: autocannon's parser
 * does not know the request was HEAD, waits for the `content-length` bytes that never come and
 * times out. http-parser-js skips the body when the headers-complete callback returns true;
 * autocannon installs that callback after `setupClient` runs, so it is wrapped as it is set.
 */
function skipResponseBodies(client: AutocannonClient): boolean {
  const parser = client.parser as (Record<number, unknown> & { constructor: { kOnHeadersComplete?: unknown } }) | undefined;
  const key = parser?.constructor.kOnHeadersComplete;
  if (parser === undefined || typeof key !== 'number') return false;
  let handler: ((info: unknown) => unknown) | undefined;
  Object.defineProperty(parser, key, {
    configurable: true,
    enumerable: true,
    get: () => handler,
    set: (fn: (info: unknown) => unknown) => {
      handler = (info: unknown) => {
        fn(info);
        return true;
      };
    },
  });
  return true;
}

/**
 * Sets up one autocannon connection (called from autocannon's `setupClient`, before it connects):
 * the request timeout (autocannon's own option refuses less than 1 s), HEAD handling, and the
 * listeners that feed the byte and error counts. The only per-response work is
 * {@link markAnswered}, one property store.
 *
 * autocannon reconnects *before* it emits `timeout` (and writes the next request on the new
 * connection if the rate allows), but *after* it emits `connError`; the bookkeeping below follows
 * the socket each request was written on to tell the two apart.
 */
export function instrumentClient(
  client: AutocannonClient,
  options: { readonly timeoutMs: number; readonly headRequests: boolean },
  hooks: ClientHooks,
): InstrumentedClient {
  client.timeout = options.timeoutMs;
  client[AWAITING_RESPONSE] = false;
  const headHandled = options.headRequests ? skipResponseBodies(client) : true;
  const requestBytes = client.getRequestBuffer?.().length ?? 0;
  /** The socket the latest request was written on, and how many requests it was given. */
  let lastConn: unknown;
  let writtenOnLastConn = 0;
  /** Whether a request was unanswered on the previous socket when the latest one took over. */
  let awaitingOnPreviousConn = false;

  client.on('request', () => {
    if (client.conn !== lastConn) {
      awaitingOnPreviousConn = client[AWAITING_RESPONSE] === true;
      lastConn = client.conn;
      writtenOnLastConn = 0;
    }
    writtenOnLastConn++;
    client[AWAITING_RESPONSE] = true;
    hooks.onRequestWritten(requestBytes);
  });
  client.on('connError', (error: NodeJS.ErrnoException) => {
    // autocannon reconnects right after this event but keeps the requests of the dead
    // connection queued, so the next response would be matched with the oldest of them (wrong
    // latency) and a refused target would grow the queue without end. Nothing can answer them.
    client.pipelinedRequests?.clear?.();
    const unsent = failedToConnect(error) && lastConn === client.conn ? writtenOnLastConn * requestBytes : 0;
    client[AWAITING_RESPONSE] = false;
    hooks.onConnectionError(error, unsent);
  });
  client.on('timeout', () => {
    const wroteOnNewConn = lastConn === client.conn;
    const hadRequestWaiting = wroteOnNewConn ? awaitingOnPreviousConn : client[AWAITING_RESPONSE] === true;
    client[AWAITING_RESPONSE] = wroteOnNewConn;
    hooks.onTimeout(hadRequestWaiting);
  });
  return {
    headHandled,
    unsentBytes: () =>
      client.conn?.connecting === true && lastConn === client.conn ? writtenOnLastConn * requestBytes : 0,
  };
}

/** Notes that `client`'s request was answered (called for every response). */
export function markAnswered(client: AutocannonClient): void {
  client[AWAITING_RESPONSE] = false;
}
