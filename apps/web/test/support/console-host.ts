import { readFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The marker index.html carries, to tell the console apart from anything else at `/`. */
const MARKER = '<meta name="application-name" content="meshery-console"';

export interface ConsoleHost {
  /** Where the browser opens the console. */
  readonly url: string;
  /** True when the server itself serves the console at `/` (the normal case). */
  readonly servedByServer: boolean;
  close(): Promise<void>;
}

/** Does the server answer `GET /` with the console's index.html? */
export async function serverServesConsole(serverUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${serverUrl}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    return response.ok && (await response.text()).includes(MARKER);
  } catch {
    return false;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.json': 'application/json',
  '.png': 'image/png',
};

/**
 * The console as the browser should reach it: the server's own `/` when it serves the build,
 * else a small local host that serves apps/web/dist (index.html for unknown paths) and passes
 * /graphql (HTTP and WebSocket) and /api through to the server, as the server itself will.
 */
export async function consoleHost(serverUrl: string): Promise<ConsoleHost> {
  if (await serverServesConsole(serverUrl)) return { url: serverUrl, servedByServer: true, close: async () => {} };
  const target = new URL(serverUrl);
  const index = await readFile(path.join(webDist, 'index.html'));
  const isApi = (p: string) => /^\/(api|graphql)(\/|$|\?)/.test(p);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (isApi(url)) {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Meshery server unreachable' }));
      });
      req.pipe(upstream);
      return;
    }
    const pathname = decodeURIComponent(new URL(url, 'http://x').pathname);
    const file = path.join(webDist, path.normalize(pathname).replace(/^(\.\.[/\\])+/, ''));
    readFile(file)
      .then((body) => {
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      })
      .catch(() => {
        res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' });
        res.end(index);
      });
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? target.host : req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      socket.destroy();
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    servedByServer: false,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
