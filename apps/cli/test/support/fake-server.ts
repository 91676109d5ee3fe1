import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** How the fake server's subscription behaves once subscribed. */
export type SubscriptionBehaviour = 'silent' | 'one-sample-then-drop';

/** A stand-in for a Meshery server whose runs misbehave: it starts runs, then goes quiet or drops the connection. */
export interface FakeServer {
  readonly url: string;
  /** GraphQL operations received over HTTP, by operation keyword. */
  readonly received: string[];
  close(): Promise<void>;
}

const RUN = {
  id: 'fake-run-1',
  name: 'fake',
  status: 'RUNNING',
  source: 'run',
  labels: [],
  createdAt: new Date().toISOString(),
  startedAt: new Date().toISOString(),
  statusCodes: [],
  errorsByType: [],
  environment: {},
  spec: { url: 'http://127.0.0.1:9/', method: 'GET', headers: [], connections: 1, durationSeconds: 60, warmupSeconds: 0, requestTimeoutSeconds: 10 },
  smpJsonUrl: '',
  smpYamlUrl: '',
};

export async function startFakeServer(behaviour: SubscriptionBehaviour): Promise<FakeServer> {
  const received: string[] = [];
  const sockets = new Set<WebSocket>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const query = (JSON.parse(body || '{}') as { query?: string }).query ?? '';
      res.setHeader('content-type', 'application/json');
      if (query.includes('runPerformanceTest')) {
        received.push('runPerformanceTest');
        res.end(JSON.stringify({ data: { runPerformanceTest: RUN } }));
      } else if (query.includes('cancelPerformanceTest')) {
        received.push('cancelPerformanceTest');
        res.end(JSON.stringify({ data: { cancelPerformanceTest: { ...RUN, status: 'CANCELLED' } } }));
      } else {
        received.push('other');
        res.end(JSON.stringify({ errors: [{ message: 'not supported by the fake', extensions: { code: 'INTERNAL' } }] }));
      }
    });
  });
  const wss = new WebSocketServer({ server, path: '/graphql', handleProtocols: () => 'graphql-transport-ws' });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { type: string; id?: string };
      if (message.type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack' }));
      if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      if (message.type === 'subscribe' && behaviour === 'one-sample-then-drop') {
        const sample = { phase: 'measure', elapsedSeconds: 1, requests: 10, errors: 0, currentRps: 10, latencyP50Ms: 1, latencyP99Ms: 2 };
        socket.send(JSON.stringify({ type: 'next', id: message.id, payload: { data: { performanceTestProgress: { runId: RUN.id, status: 'RUNNING', done: false, sample } } } }));
        setTimeout(() => socket.terminate(), 200);
      }
      // 'silent': acknowledge, then never send an event.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
