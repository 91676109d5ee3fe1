import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { urlToHttpOptions } from 'node:url';
import { FastResponseParser, type ResponseParser } from './fast-response-parser.js';
import type { RequestOptions } from './request-options.js';

const require = createRequire(import.meta.url);

/**
 * The parts of autocannon 9's per-connection `Client` (lib/httpClient.js) this plugin drives.
 * autocannon is pinned to an exact version; {@link checkClientShape} verifies every part before
 * a test starts, so a change in autocannon fails the test with a clear message instead of
 * measuring the wrong thing.
 */
interface AutocannonClient extends EventEmitter {
  /** The current connection's socket (replaced on every reconnect). */
  conn: { connecting?: boolean; setNoDelay?(noDelay: boolean): unknown } | undefined;
  /** The http-parser-js parser (callbacks indexed by the numbers on its constructor); replaced. */
  parser: ResponseParser | FastResponseParser;
  /** Requests written and not answered yet (autocannon matches responses to them). */
  pipelinedRequests: { clear(): void; size(): number };
  /** autocannon's request-timeout timer (a `retimer`); replaced by this plugin's own. */
  timeoutTicker: { reschedule(ms?: number): void; clear(): void };
  destroyed: boolean;
  /** Writes the next request; autocannon calls it after connecting and after each response. */
  _doRequest(): void;
  /** Opens a new socket (first connect, and after an error, a timeout or a close). */
  _connect(): void;
  /** Destroys the socket and forgets its requests. */
  _destroyConnection(): void;
  getRequestBuffer(): Buffer;
  destroy(): void;
}

/** Options autocannon's `Client` takes (what autocannon's own runner passes it, per URL). */
type ClientOptions = Record<string, unknown> & { setupClient: (client: AutocannonClient) => void };

type ClientConstructor = new (options: ClientOptions) => AutocannonClient;

let clientConstructor: ClientConstructor | undefined;

function loadClient(): ClientConstructor {
  clientConstructor ??= require('autocannon/lib/httpClient.js') as ClientConstructor;
  return clientConstructor;
}

/** Errors raised while connecting, before any byte was sent. */
function failedToConnect(error: NodeJS.ErrnoException): boolean {
  return error.syscall === 'connect' || error.syscall === 'getaddrinfo';
}

const noop = (): void => {};

/** What a connection reports to the run that drives it. */
export interface ConnectionDriver {
  /**
   * The connection can take a request: it has just connected (or reconnected) or its request
   * has been answered or has failed. Called at most once per request; the driver either calls
   * {@link Connection.send} at once or keeps the connection until it has a request for it.
   */
  onFree(connection: Connection): void;
  /** The request in flight was answered; `nowMs` is `performance.now()` when it completed. */
  onResponse(connection: Connection, statusCode: number, bytes: number, nowMs: number): void;
  /**
   * The request in flight failed: `type` is an error code (`ECONNREFUSED`, …) or `timeout`.
   * `neverSent` is true when it was written to a socket that never connected.
   */
  onError(connection: Connection, type: string, isTimeout: boolean, neverSent: boolean): void;
}

/** Fixed per-test options of every connection. */
export interface ConnectionOptions {
  readonly request: RequestOptions;
}

/**
 * One keep-alive connection: autocannon's `Client` with its request pacing taken over.
 *
 * autocannon's client writes the next request by itself as soon as it connects and as soon as a
 * response arrives. Here its `_doRequest` is replaced so the client only reports that it is free
 * ({@link ConnectionDriver.onFree}); the request goes out when the driver calls {@link send},
 * which calls autocannon's own `_doRequest` (request building, writing, response matching and
 * reconnecting stay autocannon's). A closed-loop driver sends at once; an open-loop driver
 * sends when the schedule says so. Each request carries the time it was *intended* to leave and
 * the time it actually left, both `performance.now()` milliseconds.
 *
 * Also taken over, because autocannon's behaviour does not fit:
 * - the request timeout: autocannon's timer runs from the last request written, so an idle
 *   connection (open loop, waiting for the schedule) "timed out" and was reopened; here only a
 *   request in flight can time out, measured from when it was written, to any precision;
 * - requests lost with their connection (error, close or timeout): autocannon kept them queued,
 *   so later responses were matched with older requests; here the queue is emptied on every
 *   reconnect and the lost request is reported once;
 * - per-response work autocannon does for features not used here: response bodies are not
 *   accumulated as strings (only counted), and HEAD responses are read without a body;
 * - Nagle's algorithm is turned off on every socket (`setNoDelay`), as wrk and most HTTP
 *   clients do; with it, a request could wait for the acknowledgement of the previous one.
 */
export class Connection {
  /** Whether a request is in flight on this connection. */
  inFlight = false;
  /** Intended send time of the request in flight (`performance.now()` ms). */
  intendedMs = 0;
  /** Actual send time of the request in flight (`performance.now()` ms). */
  sentMs = 0;
  /** Set by the driver: whatever the request in flight belongs to (its phase). */
  owner: unknown;
  /** Set by the driver: whether it holds this connection as free (not used here). */
  idle = false;
  /** Bytes of one request as written to the socket. */
  readonly requestBytes: number;

  private readonly client: AutocannonClient;
  /** The parser in front of autocannon's (undefined if autocannon's parser changed). */
  private readonly fastParser: FastResponseParser | undefined;
  private readonly autocannonDoRequest: () => void;
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** The deadline of the request in flight (`performance.now()` ms). */
  private deadlineMs = 0;
  /** False until the constructor has finished: autocannon reports "free" from inside it. */
  private started = false;
  private freeBeforeStart = false;
  private closed = false;

  constructor(
    options: ConnectionOptions,
    private readonly driver: ConnectionDriver,
  ) {
    const { request } = options;
    this.timeoutMs = request.timeoutMs;
    const Client = loadClient();
    const parsed = new URL(request.url);
    let client!: AutocannonClient;
    let doRequest!: () => void;
    // The same per-URL options autocannon's runner (lib/run.js) gives its clients.
    client = new Client({
      ...urlToHttpOptions(parsed),
      host: parsed.host,
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      pipelining: 1,
      // Seconds; autocannon's own timer is replaced below, this only sizes it meanwhile.
      timeout: Math.max(1, request.timeoutMs / 1000),
      // Runs inside autocannon's constructor, before it connects and writes the first request.
      setupClient: (c: AutocannonClient) => {
        checkClientShape(c);
        doRequest = c._doRequest;
        c._doRequest = this.onAutocannonDoRequest;
        const connect = c._connect;
        c._connect = () => {
          this.beforeReconnect(c);
          connect.call(c);
          c.conn?.setNoDelay?.(true);
        };
      },
    });
    this.client = client;
    this.autocannonDoRequest = doRequest.bind(client);
    this.requestBytes = client.getRequestBuffer().length;

    // autocannon's timer: cleared and replaced by the per-request deadline below.
    if (typeof client.timeoutTicker?.clear !== 'function') {
      client.destroy();
      throw new AutocannonChangedError('timeoutTicker.clear');
    }
    client.timeoutTicker.clear();
    client.timeoutTicker = { reschedule: noop, clear: () => this.clearTimer() };

    const parser = client.parser as ResponseParser;
    const { kOnBody, kOnHeadersComplete, kOnMessageComplete } = parser.constructor as {
      kOnBody: number;
      kOnHeadersComplete: number;
      kOnMessageComplete: number;
    };
    // A response nobody asked for (e.g. a 408 on an idle connection, or bytes of a request
    // already given up on) would make autocannon read an empty request queue and throw.
    const messageComplete = parser[kOnMessageComplete] as () => unknown;
    parser[kOnMessageComplete] = () => (client.pipelinedRequests.size() > 0 ? messageComplete() : undefined);
    // Bodies are only counted (autocannon counts raw bytes itself); accumulating them as strings
    // is needed only for body checks, which this plugin does not do.
    parser[kOnBody] = noop;
    if (request.method === 'HEAD') {
      // autocannon's parser does not know the request was HEAD and would wait for the body the
      // content-length announces. http-parser-js skips the body when this callback returns true.
      const headersComplete = parser[kOnHeadersComplete] as (info: unknown) => unknown;
      parser[kOnHeadersComplete] = (info: unknown) => {
        headersComplete(info);
        return true;
      };
    }
    // The common responses are framed by a fast path; the rest still go to autocannon's parser.
    this.fastParser = FastResponseParser.canWrap(parser) ? new FastResponseParser(parser, request.method === 'HEAD') : undefined;
    if (this.fastParser) client.parser = this.fastParser;
    client.on('response', (statusCode: number, bytes: number) => {
      const now = performance.now();
      if (!this.inFlight) return;
      this.inFlight = false;
      this.driver.onResponse(this, statusCode, bytes, now);
    });
    client.on('connError', (error: NodeJS.ErrnoException) => {
      // autocannon reconnects right after this event.
      client.pipelinedRequests.clear();
      if (!this.inFlight) return; // an idle connection broke: no request was lost
      this.inFlight = false;
      this.driver.onError(this, error.code ?? error.name ?? 'unknown', false, failedToConnect(error));
    });
    this.started = true;
    if (this.freeBeforeStart) this.reportFree();
  }

  /** Writes one request now. `intendedMs` is when it should have left (`nowMs` in closed loop). */
  send(intendedMs: number, nowMs: number): void {
    this.inFlight = true;
    this.intendedMs = intendedMs;
    this.sentMs = nowMs;
    this.deadlineMs = nowMs + this.timeoutMs;
    if (this.timer === undefined) this.timer = setTimeout(this.onTimer, this.timeoutMs);
    this.autocannonDoRequest();
  }

  /** Whether the request in flight is on a socket that has not connected yet (so not sent). */
  get sendPending(): boolean {
    return this.inFlight && this.client.conn?.connecting === true;
  }

  /** Closes the connection at once; nothing is reported afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    this.client.destroy();
  }

  /** autocannon calls this when it would write the next request. */
  private readonly onAutocannonDoRequest = (): void => {
    if (!this.started) {
      this.freeBeforeStart = true;
      return;
    }
    this.reportFree();
  };

  private reportFree(): void {
    if (this.closed || this.client.destroyed || this.inFlight) return;
    this.driver.onFree(this);
  }

  /**
   * autocannon opens a new socket: after a connection error (already reported), a timeout
   * (already reported) or the server closing the connection. In the last case a request in
   * flight is lost: reported as `ECONNRESET`, as Node's own HTTP client does ("socket hang up").
   */
  private beforeReconnect(client: AutocannonClient): void {
    client.pipelinedRequests.clear();
    this.fastParser?.reset();
    if (!this.started || !this.inFlight || this.closed) return;
    this.inFlight = false;
    this.driver.onError(this, 'ECONNRESET', false, false);
  }

  /** The request timer: one per connection, re-armed lazily as requests come and go. */
  private readonly onTimer = (): void => {
    this.timer = undefined;
    if (!this.inFlight || this.closed) return;
    const now = performance.now();
    // Timers fire on whole milliseconds; a deadline less than 1 ms away has passed.
    const remaining = this.deadlineMs - now;
    if (remaining >= 1) {
      this.timer = setTimeout(this.onTimer, Math.ceil(remaining));
      return;
    }
    this.inFlight = false;
    this.driver.onError(this, 'timeout', true, false);
    if (this.closed) return;
    // autocannon's own timeout handling: drop the socket (and its request), connect again; the
    // new socket reports the connection free.
    this.client._destroyConnection();
    this.client._connect();
  };

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Checks that autocannon's client has every part this plugin drives. */
function checkClientShape(client: AutocannonClient): void {
  const missing: string[] = [];
  for (const method of ['_doRequest', '_connect', '_destroyConnection', 'getRequestBuffer', 'destroy'] as const) {
    if (typeof client[method] !== 'function') missing.push(method);
  }
  if (typeof client.pipelinedRequests?.clear !== 'function' || typeof client.pipelinedRequests.size !== 'function') {
    missing.push('pipelinedRequests');
  }
  const parserConstructor = (client.parser as ResponseParser | undefined)?.constructor as Record<string, unknown> | undefined;
  if (
    typeof parserConstructor?.['kOnBody'] !== 'number' ||
    typeof parserConstructor['kOnHeadersComplete'] !== 'number' ||
    typeof parserConstructor['kOnMessageComplete'] !== 'number'
  ) {
    missing.push('parser callbacks');
  }
  if (missing.length > 0) throw new AutocannonChangedError(missing.join(', '));
}

/** autocannon's client no longer has a part this plugin drives (see {@link Connection}). */
export class AutocannonChangedError extends Error {
  constructor(missing: string) {
    super(`autocannon's client (lib/httpClient.js) has changed: ${missing} not found`);
    this.name = 'AutocannonChangedError';
  }
}
