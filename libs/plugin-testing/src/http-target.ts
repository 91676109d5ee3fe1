import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** Options of {@link startHttpTarget}. */
export interface HttpTargetOptions {
  /** Status code of every answer (200 by default). */
  readonly status?: number;
  /** Body of every answer. */
  readonly body?: string;
  /** Delay before answering, in milliseconds. */
  readonly delayMs?: number;
}

/** A real HTTP server on 127.0.0.1 for load tests. */
export interface HttpTarget {
  readonly url: string;
  readonly port: number;
  /** Requests received so far, by method. */
  readonly requests: { count: number; byMethod: Record<string, number>; lastBody?: string; lastHeaders?: http.IncomingHttpHeaders };
  close(): Promise<void>;
}

/**
 * Starts a small HTTP server on 127.0.0.1 (an ephemeral port) that answers every request.
 *
 * @example
 * ```ts
 * const target = await startHttpTarget({ delayMs: 1 });
 * // ... run a load test against target.url
 * await target.close();
 * ```
 */
export async function startHttpTarget(options: HttpTargetOptions = {}): Promise<HttpTarget> {
  const requests: HttpTarget['requests'] = { count: 0, byMethod: {} };
  const body = options.body ?? 'ok';
  const server = http.createServer((req, res) => {
    requests.count += 1;
    const method = req.method ?? 'GET';
    requests.byMethod[method] = (requests.byMethod[method] ?? 0) + 1;
    requests.lastHeaders = req.headers;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (chunks.length > 0) requests.lastBody = Buffer.concat(chunks).toString('utf8');
      const answer = (): void => {
        res.writeHead(options.status ?? 200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A port on 127.0.0.1 that nothing listens on (opened, then closed), for testing refused
 * connections.
 *
 * @example
 * ```ts
 * const url = `http://127.0.0.1:${await closedPort()}/`;
 * ```
 */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
