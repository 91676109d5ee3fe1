// Reference for generator-vs-wrk.mjs: the least a closed-loop HTTP/1.1 client in Node.js can do
// per request, to tell what Node itself costs from what the plugin's engine costs. One worker
// thread (like the plugin), `connections` keep-alive sockets with Nagle off, one fixed GET,
// responses read by a minimal parser (header end and Content-Length only, no chunked bodies, no
// latency histogram). Not a load generator: a floor. Prints one JSON line like
// plugin-load-test.mjs.
//
//   node tools/bench/node-floor-client.mjs <url> <connections> <durationSeconds>
import net from 'node:net';
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';

if (isMainThread) {
  const [url, connections, duration] = process.argv.slice(2);
  if (!url || !connections || !duration) {
    process.stderr.write('usage: node-floor-client.mjs <url> <connections> <durationSeconds>\n');
    process.exit(2);
  }
  const cpuBefore = process.cpuUsage();
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { url, connections: Number(connections), duration: Number(duration) },
  });
  worker.once('message', ({ responses, seconds }) => {
    const cpu = process.cpuUsage(cpuBefore);
    process.stdout.write(
      `${JSON.stringify({
        rps: responses / seconds,
        requests: responses,
        cpuUserSeconds: cpu.user / 1e6,
        cpuSystemSeconds: cpu.system / 1e6,
        cpuUsPerRequest: responses > 0 ? (cpu.user + cpu.system) / responses : null,
      })}\n`,
    );
  });
} else {
  const { url, connections, duration } = workerData;
  const target = new URL(url);
  const request = Buffer.from(`GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: keep-alive\r\n\r\n`);
  let responses = 0;
  const sockets = [];
  const started = performance.now();
  for (let i = 0; i < connections; i++) {
    const socket = net.connect(Number(target.port || 80), target.hostname);
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const headerEnd = pending.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const headers = pending.toString('latin1', 0, headerEnd);
        const match = /content-length:\s*(\d+)/i.exec(headers);
        const total = headerEnd + 4 + (match ? Number(match[1]) : 0);
        if (pending.length < total) return;
        pending = pending.subarray(total);
        responses++;
        socket.write(request);
      }
    });
    socket.on('error', () => {});
    socket.write(request);
    sockets.push(socket);
  }
  setTimeout(() => {
    for (const socket of sockets) socket.destroy();
    parentPort.postMessage({ responses, seconds: (performance.now() - started) / 1000 });
  }, duration * 1000);
}
