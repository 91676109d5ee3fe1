import type { LoadTestProgress, LoadTestResult, LoadTestSpec } from '@meshery/plugin-api';
import {
  closedPort,
  startHttpTarget,
  startPluginTestHost,
  type HttpTarget,
  type PluginTestHost,
} from '@meshery/plugin-testing';
import hdr from 'hdr-histogram-js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStallingTarget, type StallingTarget } from './stalling-target.js';

const pluginDir = fileURLToPath(new URL('..', import.meta.url));
const autocannonPackage = createRequire(import.meta.url)('autocannon/package.json') as { version: string };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function specFor(url: string, overrides: Partial<LoadTestSpec> = {}): LoadTestSpec {
  return {
    url,
    method: 'GET',
    headers: {},
    connections: 4,
    durationSeconds: 1,
    warmupSeconds: 0,
    requestTimeoutSeconds: 5,
    ...overrides,
  };
}


function decodedCount(result: LoadTestResult): number {
  return hdr.decodeFromCompressedBase64(result.histogram.data).totalCount;
}

describe('autocannon load generator (loaded like the server loads it)', () => {
  let host: PluginTestHost;
  const targets: HttpTarget[] = [];

  async function target(options: Parameters<typeof startHttpTarget>[0] = {}): Promise<HttpTarget> {
    const started = await startHttpTarget(options);
    targets.push(started);
    return started;
  }

  async function run(spec: LoadTestSpec) {
    const op = host.operation<LoadTestProgress>();
    const result = await host.loadGenerator('autocannon').run(spec, op.ctx);
    return { result, events: op.events };
  }

  beforeAll(async () => {
    host = await startPluginTestHost({ pluginDir });
  });

  afterEach(async () => {
    await Promise.all(targets.splice(0).map((t) => t.close()));
  });

  afterAll(async () => {
    await host?.stop();
  });

  it('runs in a worker thread and describes autocannon', () => {
    expect(host.record.runtime).toBe('worker');
    const { descriptor } = host.loadGenerator('autocannon');
    expect(descriptor).toMatchObject({
      name: 'autocannon',
      engineVersion: autocannonPackage.version,
      protocols: ['http', 'https'],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      loadModels: ['closed-loop', 'open-loop'],
      maxConnections: 10_000,
      maxRate: 1_000_000,
      supportsWarmup: true,
    });
  });

  it('measures a closed-loop test: counts, ordered latencies, a decodable histogram and per-second progress', async () => {
    const t = await target();
    const { result, events } = await run(specFor(t.url, { durationSeconds: 2.5 }));

    expect(result.cancelled).toBe(false);
    expect(result.loadModel).toBe('closed-loop');
    expect(result.requests).toBeGreaterThan(0);
    expect(result.statusCodes).toEqual({ '200': result.requests });
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(t.requests.count).toBeGreaterThanOrEqual(result.requests);
    expect(result.measuredDurationSeconds).toBeGreaterThan(2.4);
    expect(result.measuredDurationSeconds).toBeLessThan(2.7);
    expect(result.throughputRps).toBeCloseTo(result.requests / result.measuredDurationSeconds, 3);
    expect(Date.parse(result.endedAt) - Date.parse(result.startedAt)).toBeGreaterThanOrEqual(2400);
    expect(result.bytesRead).toBeGreaterThan(result.requests * 'ok'.length);
    expect(result.bytesWritten).toBeGreaterThan(result.requests * 'GET / HTTP/1.1\r\n'.length);
    expect(result.engine).toEqual({ name: 'autocannon', version: autocannonPackage.version });

    const l = result.latencyMs!;
    expect(l).not.toBeNull();
    expect(l.min).toBeGreaterThan(0);
    expect(l.min).toBeLessThanOrEqual(l.p50);
    expect(l.p50).toBeLessThanOrEqual(l.p75);
    expect(l.p75).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.p999);
    expect(l.p999).toBeLessThanOrEqual(l.max);
    expect(l.mean).toBeGreaterThanOrEqual(l.min);
    expect(l.mean).toBeLessThanOrEqual(l.max);
    expect(l.stddev).toBeGreaterThanOrEqual(0);

    expect(result.histogram).toMatchObject({
      encoding: 'hdrhistogram-v2-compressed-base64',
      unit: 'microseconds',
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      significantDigits: 3,
    });
    const decoded = hdr.decodeFromCompressedBase64(result.histogram.data);
    expect(decoded.totalCount).toBe(result.requests);
    // The encoding keeps buckets, not the exact maximum: equal within HdrHistogram's 0.1 %.
    expect(decoded.maxValue / 1000).toBeGreaterThanOrEqual(l.max);
    expect(decoded.maxValue / 1000).toBeLessThanOrEqual(l.max * 1.001 + 0.001);
    expect(decoded.getValueAtPercentile(50) / 1000).toBeGreaterThanOrEqual(l.p50);

    const samples = events.filter((e) => e.type === 'progress');
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.every((s) => s.phase === 'measure')).toBe(true);
    const [first, second] = samples;
    expect(first!.elapsedSeconds).toBeGreaterThan(0.8);
    expect(first!.elapsedSeconds).toBeLessThan(1.3);
    expect(second!.elapsedSeconds - first!.elapsedSeconds).toBeGreaterThan(0.8);
    expect(second!.elapsedSeconds - first!.elapsedSeconds).toBeLessThan(1.3);
    expect(first!.requests).toBeGreaterThan(0);
    expect(second!.requests).toBeGreaterThan(first!.requests);
    expect(first!.currentRps).toBeGreaterThan(0);
    expect(first!.latencyP50Ms).toBeGreaterThan(0);
    expect(first!.latencyP99Ms!).toBeGreaterThanOrEqual(first!.latencyP50Ms!);
    expect(samples.at(-1)!.requests).toBeLessThanOrEqual(result.requests);
  });

  it('stops within a second of a cancel and resolves with the partial result', async () => {
    const t = await target();
    const op = host.operation<LoadTestProgress>();
    const running = host.loadGenerator('autocannon').run(specFor(t.url, { durationSeconds: 20 }), op.ctx);
    await sleep(1000);
    const abortedAt = performance.now();
    op.abort();
    const result = await running;
    const resolvedInMs = performance.now() - abortedAt;

    expect(resolvedInMs).toBeLessThan(1000);
    expect(result.cancelled).toBe(true);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.statusCodes['200']).toBe(result.requests);
    expect(decodedCount(result)).toBe(result.requests);
    expect(result.measuredDurationSeconds).toBeGreaterThan(0.8);
    expect(result.measuredDurationSeconds).toBeLessThan(1.5);

    const receivedAtResolve = t.requests.count;
    expect(receivedAtResolve).toBeGreaterThanOrEqual(result.requests);
    await sleep(500);
    expect(t.requests.count).toBe(receivedAtResolve);
  });

  it('counts a refused connection as errors by type and does not throw', async () => {
    const port = await closedPort();
    const { result, events } = await run(specFor(`http://127.0.0.1:${port}/`, { connections: 2, durationSeconds: 1.5 }));

    expect(result.cancelled).toBe(false);
    expect(result.requests).toBe(0);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.errorsByType).toEqual({ ECONNREFUSED: result.errors });
    expect(result.timeouts).toBe(0);
    expect(result.statusCodes).toEqual({});
    expect(result.latencyMs).toBeNull();
    expect(result.throughputRps).toBe(0);
    expect(result.bytesRead).toBe(0);
    expect(result.bytesWritten).toBe(0);
    expect(decodedCount(result)).toBe(0);
    const first = events[0]!;
    expect(first.errors).toBeGreaterThan(0);
    expect(first.latencyP50Ms).toBeNull();
    expect(first.latencyP99Ms).toBeNull();
  });

  it('sends the method, body, headers and content type as given', async () => {
    const t = await target();
    const body = JSON.stringify({ mesh: 'istio', replicas: 3 });
    const { result } = await run(
      specFor(t.url, {
        method: 'POST',
        body,
        contentType: 'application/json',
        headers: { 'X-Meshery-Test': 'perf-autocannon' },
        connections: 2,
      }),
    );
    expect(result.requests).toBeGreaterThan(0);
    expect(result.errors).toBe(0);
    expect(t.requests.byMethod).toEqual({ POST: t.requests.count });
    expect(t.requests.lastBody).toBe(body);
    expect(t.requests.lastHeaders?.['x-meshery-test']).toBe('perf-autocannon');
    expect(t.requests.lastHeaders?.['content-type']).toBe('application/json');
    expect(t.requests.lastHeaders?.['content-length']).toBe(String(Buffer.byteLength(body)));

    // A content-type header wins over contentType, whatever its case.
    const t2 = await target();
    await run(
      specFor(t2.url, {
        method: 'PUT',
        body: 'plain words',
        contentType: 'application/json',
        headers: { 'Content-TYPE': 'text/plain; charset=utf-8' },
        connections: 1,
        durationSeconds: 0.5,
      }),
    );
    expect(t2.requests.byMethod).toEqual({ PUT: t2.requests.count });
    expect(t2.requests.lastHeaders?.['content-type']).toBe('text/plain; charset=utf-8');
    expect(t2.requests.lastBody).toBe('plain words');
  });

  it('answers HEAD requests without waiting for a body', async () => {
    const t = await target();
    const { result } = await run(specFor(t.url, { method: 'HEAD', connections: 2, requestTimeoutSeconds: 2 }));
    expect(result.timeouts).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.requests).toBeGreaterThan(100);
    expect(t.requests.byMethod).toEqual({ HEAD: t.requests.count });
  });

  it('holds an open-loop rate, evenly spaced, and reports how the schedule was kept', async () => {
    const t = await target();
    const { result } = await run(specFor(t.url, { rate: 200, connections: 10, durationSeconds: 2 }));
    expect(result.loadModel).toBe('open-loop');
    expect(result.errors).toBe(0);
    // Every scheduled send of the measured phase is answered (the run waits for the last ones).
    expect(result.requests).toBe(400);
    expect(result.throughputRps).toBeGreaterThan(200 * 0.95);
    expect(result.throughputRps).toBeLessThan(200 * 1.05);
    const open = result.openLoop!;
    expect(open).toMatchObject({ targetRate: 200, scheduledSends: 400, lateThresholdMs: 2 });
    expect(open.achievedRate).toBeGreaterThan(200 * 0.97);
    expect(open.achievedRate).toBeLessThan(200 * 1.03);
    // Sends leave within about a millisecond of their time (Node.js timers); the first few
    // also wait for their connection to open, and a busy machine delays a few more.
    expect(open.lateness.p50Ms).toBeLessThan(2);
    expect(open.lateSends).toBeLessThan(400 * 0.2);
    expect(open.lateness.p50Ms).toBeLessThanOrEqual(open.lateness.p99Ms);
    expect(open.lateness.p99Ms).toBeLessThanOrEqual(open.lateness.maxMs);
    expect(open.serviceTimeMs!.p50).toBeGreaterThan(0);
    // Timed from the intended send time, the latency includes the lateness of the send.
    expect(result.latencyMs!.mean).toBeGreaterThanOrEqual(open.serviceTimeMs!.mean);
    expect(hdr.decodeFromCompressedBase64(open.serviceTimeHistogram.data).totalCount).toBe(400);
    expect(decodedCount(result)).toBe(400);
  });

  it('queues open-loop sends when no connection is free, times them from their intended time and waits for the last ones', async () => {
    const t = await target({ delayMs: 300 });
    const { result } = await run(specFor(t.url, { rate: 20, connections: 2, durationSeconds: 1 }));
    // 20 sends in 1 s, but 2 connections answered in 300 ms carry only ~6.7 per second: the
    // sends wait for a free connection and the run continues until the last one is answered.
    expect(result.requests).toBe(20);
    expect(result.errors).toBe(0);
    expect(result.measuredDurationSeconds).toBeLessThan(1.1);
    const open = result.openLoop!;
    expect(open.scheduledSends).toBe(20);
    expect(open.lateSends).toBeGreaterThanOrEqual(14);
    expect(open.achievedRate).toBeLessThan(8);
    expect(open.serviceTimeMs!.max).toBeLessThan(600);
    expect(open.serviceTimeMs!.p50).toBeGreaterThanOrEqual(300);
    // The last send was intended at 0.95 s and left at about 3 s.
    expect(result.latencyMs!.max).toBeGreaterThan(1700);
    expect(open.lateness.maxMs).toBeGreaterThan(1400);
  });

  it('counts open-loop requests still unanswered a request timeout after the end as timeouts', async () => {
    const t = await target({ delayMs: 5000 });
    const began = performance.now();
    const { result } = await run(specFor(t.url, { rate: 10, connections: 2, durationSeconds: 1, requestTimeoutSeconds: 0.6 }));
    expect(performance.now() - began).toBeLessThan(2500);
    expect(result.requests).toBe(0);
    expect(result.openLoop!.scheduledSends).toBe(10);
    expect(result.errors).toBe(10);
    expect(result.timeouts).toBe(10);
    expect(result.errorsByType).toEqual({ timeout: 10 });
    expect(result.latencyMs).toBeNull();
    expect(result.openLoop!.serviceTimeMs).toBeNull();
  });

  it('leaves warm-up requests out of the result but reports warm-up progress', async () => {
    const t = await target();
    const began = Date.now();
    const { result, events } = await run(specFor(t.url, { warmupSeconds: 1.2, durationSeconds: 1.5, connections: 2 }));

    const warmup = events.filter((e) => e.phase === 'warmup');
    const measure = events.filter((e) => e.phase === 'measure');
    expect(warmup.length).toBeGreaterThanOrEqual(1);
    expect(measure.length).toBeGreaterThanOrEqual(1);
    expect(warmup.every((s) => s.elapsedSeconds <= 1.3)).toBe(true);
    expect(measure.every((s) => s.elapsedSeconds >= 1.2)).toBe(true);
    const warmupRequests = warmup.at(-1)!.requests;
    expect(warmupRequests).toBeGreaterThan(0);
    // The first measure sample counts from 0 again.
    expect(measure[0]!.requests).toBeLessThanOrEqual(result.requests);

    expect(Date.parse(result.startedAt) - began).toBeGreaterThanOrEqual(1100);
    expect(result.measuredDurationSeconds).toBeGreaterThan(1.4);
    expect(result.measuredDurationSeconds).toBeLessThan(1.7);
    expect(decodedCount(result)).toBe(result.requests);
    // The target saw both phases; the result holds the measured one only (plus at most the
    // requests in flight when the test stopped).
    expect(t.requests.count).toBeGreaterThanOrEqual(warmupRequests + result.requests);
    expect(t.requests.count).toBeLessThanOrEqual(warmupRequests + result.requests + 2);
  });

  it('reads chunked, empty and alternating responses', async () => {
    let count = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        count++;
        if (count % 3 === 0) {
          res.writeHead(204).end();
        } else if (count % 3 === 1) {
          // No content-length: Node sends the body chunked.
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('chunked ');
          res.end('body');
        } else {
          res.writeHead(404, { 'content-length': 2 }).end('no');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { result } = await run(specFor(`http://127.0.0.1:${port}/`, { connections: 1, durationSeconds: 0.5 }));
      expect(result.errors).toBe(0);
      expect(result.requests).toBeGreaterThan(30);
      const codes = result.statusCodes;
      expect(Object.keys(codes).sort()).toEqual(['200', '204', '404']);
      expect(Math.abs(codes['200']! - codes['204']!)).toBeLessThanOrEqual(1);
      expect(Math.abs(codes['200']! - codes['404']!)).toBeLessThanOrEqual(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reports latency at least as long as the target takes to answer', async () => {
    const t = await target({ delayMs: 2 });
    const { result } = await run(specFor(t.url, { connections: 2 }));
    expect(result.requests).toBeGreaterThan(0);
    expect(result.latencyMs!.p50).toBeGreaterThanOrEqual(2);
  });

  it('counts unanswered requests as timeouts, also below one second', async () => {
    const t = await target({ delayMs: 1000 });
    const { result } = await run(specFor(t.url, { connections: 2, durationSeconds: 1.2, requestTimeoutSeconds: 0.25 }));
    expect(result.requests).toBe(0);
    expect(result.timeouts).toBeGreaterThanOrEqual(4);
    expect(result.errors).toBe(result.timeouts);
    expect(result.errorsByType).toEqual({ timeout: result.timeouts });
  });

  it('does not count connections idling between two seconds of an open-loop rate as timeouts', async () => {
    const t = await target();
    const { result } = await run(specFor(t.url, { rate: 10, connections: 2, durationSeconds: 1.5, requestTimeoutSeconds: 0.2 }));
    expect(result.requests).toBeGreaterThanOrEqual(10);
    expect(result.timeouts).toBe(0);
    expect(result.errors).toBe(0);
    expect(result.statusCodes).toEqual({ '200': result.requests });
  });

  describe('against a steady target in its own process', () => {
    let steady: StallingTarget;
    beforeAll(async () => {
      steady = await startStallingTarget({ stallMs: 0 });
    });
    afterAll(async () => {
      await steady?.close();
    });

    /** Distinct values below 1 ms among the 1st to 99th percentiles, in microseconds. */
    function subMillisecondValues(data: string): number {
      const histogram = hdr.decodeFromCompressedBase64(data);
      const values = new Set<number>();
      for (let p = 1; p < 100; p++) {
        const us = histogram.getValueAtPercentile(p);
        if (us < 1000) values.add(us);
      }
      return values.size;
    }

    it('records sub-millisecond latencies to the microsecond in closed loop', async () => {
      const { result } = await run(specFor(steady.url, { connections: 2, durationSeconds: 1 }));
      const l = result.latencyMs!;
      expect(result.errors).toBe(0);
      // A loopback answer takes a fraction of a millisecond: reported as such, not 0 or 1.
      expect(l.p50).toBeGreaterThan(0.005);
      expect(l.p50).toBeLessThan(1);
      expect(l.min).toBeLessThan(l.p50);
      expect(Number.isInteger(l.p50 * 1000)).toBe(true);
      expect(subMillisecondValues(result.histogram.data)).toBeGreaterThan(20);
    });

    it('records sub-millisecond latencies to the microsecond in open loop, corrected and not', async () => {
      const { result } = await run(specFor(steady.url, { rate: 500, connections: 2, durationSeconds: 1.5 }));
      const open = result.openLoop!;
      expect(result.requests).toBe(750);
      expect(open.serviceTimeMs!.p50).toBeGreaterThan(0.005);
      expect(open.serviceTimeMs!.p50).toBeLessThan(1);
      // From the intended send time: the service time plus the send's lateness, which Node.js
      // timers (whole milliseconds) keep under about a millisecond.
      expect(result.latencyMs!.min).toBeLessThan(1);
      expect(result.latencyMs!.p50).toBeLessThan(1.5);
      expect(result.latencyMs!.p50).toBeGreaterThanOrEqual(open.serviceTimeMs!.p50);
      expect(subMillisecondValues(open.serviceTimeHistogram.data)).toBeGreaterThan(20);
      expect(subMillisecondValues(result.histogram.data)).toBeGreaterThan(20);
    });

    it('spreads open-loop sends evenly in time, not in per-second bursts', async () => {
      const before = (await steady.answerTimes()).length;
      const { result } = await run(specFor(steady.url, { rate: 1000, connections: 10, durationSeconds: 2 }));
      expect(result.requests).toBe(2000);
      const times = (await steady.answerTimes()).slice(before);
      expect(times.length).toBeGreaterThanOrEqual(2000);
      // Answers per 50 ms (50 expected), over the whole run but its first and last 50 ms.
      const first = times[0]!;
      const counts: number[] = [];
      for (const t of times) {
        const slot = Math.floor((t - first) / 50);
        counts[slot] = (counts[slot] ?? 0) + 1;
      }
      const inner = counts.slice(1, -1).map((c) => c ?? 0);
      expect(inner.length).toBeGreaterThanOrEqual(35);
      expect(Math.max(...inner)).toBeLessThanOrEqual(65);
      expect(Math.min(...inner)).toBeGreaterThanOrEqual(35);
    });

    it('reports open-loop progress every second in both phases', async () => {
      const { result, events } = await run(
        specFor(steady.url, { rate: 300, connections: 4, warmupSeconds: 1.2, durationSeconds: 2.5 }),
      );
      const warmup = events.filter((e) => e.phase === 'warmup');
      const measure = events.filter((e) => e.phase === 'measure');
      expect(warmup.length).toBeGreaterThanOrEqual(1);
      expect(measure.length).toBeGreaterThanOrEqual(2);
      expect(warmup[0]!.elapsedSeconds).toBeGreaterThan(0.8);
      expect(warmup[0]!.elapsedSeconds).toBeLessThan(1.3);
      expect(warmup[0]!.requests).toBeGreaterThan(200);
      const [first, second] = measure;
      expect(first!.elapsedSeconds).toBeGreaterThan(2.0);
      expect(first!.elapsedSeconds).toBeLessThan(2.5);
      expect(second!.elapsedSeconds - first!.elapsedSeconds).toBeGreaterThan(0.8);
      expect(second!.elapsedSeconds - first!.elapsedSeconds).toBeLessThan(1.3);
      expect(first!.currentRps).toBeGreaterThan(300 * 0.8);
      expect(first!.currentRps).toBeLessThan(300 * 1.2);
      expect(first!.latencyP50Ms).toBeGreaterThan(0);
      expect(result.requests).toBe(750);
      expect(result.openLoop!.scheduledSends).toBe(750);
    });

    it('stops an open-loop test within a second of a cancel and resolves with the partial result', async () => {
      const op = host.operation<LoadTestProgress>();
      const before = (await steady.answerTimes()).length;
      const running = host
        .loadGenerator('autocannon')
        .run(specFor(steady.url, { rate: 500, connections: 4, durationSeconds: 20 }), op.ctx);
      await sleep(1500);
      const abortedAt = performance.now();
      op.abort();
      const result = await running;
      expect(performance.now() - abortedAt).toBeLessThan(1000);
      expect(result.cancelled).toBe(true);
      expect(result.measuredDurationSeconds).toBeGreaterThan(1.3);
      expect(result.measuredDurationSeconds).toBeLessThan(2);
      expect(result.openLoop!.scheduledSends).toBeGreaterThan(600);
      expect(result.openLoop!.scheduledSends).toBeLessThan(1000);
      expect(result.requests).toBeGreaterThan(600);
      expect(result.requests).toBeLessThanOrEqual(result.openLoop!.scheduledSends);
      expect(op.events.length).toBeGreaterThanOrEqual(1);
      const answeredAtResolve = (await steady.answerTimes()).length;
      await sleep(500);
      expect((await steady.answerTimes()).length).toBe(answeredAtResolve);
      expect(answeredAtResolve - before).toBeLessThanOrEqual(result.requests + 4);
    });
  });

  it('refuses a spec autocannon cannot run with INVALID_REQUEST', async () => {
    const op = host.operation<LoadTestProgress>();
    await expect(
      host.loadGenerator('autocannon').run(specFor('ftp://127.0.0.1/file'), op.ctx),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'spec.url' });
    await expect(
      host.loadGenerator('autocannon').run(specFor('http://127.0.0.1:1/', { rate: 0 }), op.ctx),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'spec.rate' });
  });
});

describe('autocannon load generator in process', () => {
  it('reports how long its own thread was held up during an open-loop test', async () => {
    // In process, the generator shares this thread: holding it up is what GC or a busy CPU would do.
    const host = await startPluginTestHost({ pluginDir, runtime: 'in-process' });
    const t = await startHttpTarget();
    try {
      const op = host.operation<LoadTestProgress>();
      const running = host.loadGenerator().run(specFor(t.url, { rate: 200, connections: 5, durationSeconds: 2 }), op.ctx);
      await new Promise((resolve) => setTimeout(resolve, 800));
      const until = performance.now() + 80;
      while (performance.now() < until) {
        // busy: the generator's timers and sockets wait
      }
      const blocked = (await running).openLoop!.generatorDelayMs!;
      expect(blocked.maxMs).toBeGreaterThan(60);
      expect(blocked.maxMs).toBeLessThan(1000);
      expect(blocked.p99Ms).toBeLessThanOrEqual(blocked.maxMs);

      // Undisturbed, it stays small.
      const quiet = (await host.loadGenerator().run(specFor(t.url, { rate: 200, connections: 5, durationSeconds: 1 }), host.operation<LoadTestProgress>().ctx)).openLoop!
        .generatorDelayMs!;
      expect(quiet.maxMs).toBeLessThan(blocked.maxMs);
    } finally {
      await t.close();
      await host.stop();
    }
  });

  it('rejects with CANCELLED when the signal aborted before the start, as the worker host does', async () => {
    for (const runtime of ['in-process', 'worker'] as const) {
      const host = await startPluginTestHost({ pluginDir, runtime });
      try {
        const t = await startHttpTarget();
        const op = host.operation<LoadTestProgress>();
        op.abort();
        await expect(host.loadGenerator().run(specFor(t.url), op.ctx)).rejects.toMatchObject({ code: 'CANCELLED' });
        expect(t.requests.count).toBe(0);
        await t.close();
      } finally {
        await host.stop();
      }
    }
  });
});
