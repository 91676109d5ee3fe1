/**
 * A plugin whose manifest says `runtime: "worker"` (fixture good-worker): typed messages to a
 * worker thread, events and abort across the boundary, crash and restart, stop.
 * The worker runs the compiled dist/plugin-worker.js: build plugin-host before these tests.
 */
import { PluginError, type LoadGenerator } from '@meshery/plugin-api';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginHost } from '../src/index.js';
import { MARKER_DIR_ENV, fixture, memorySink, operation, spec, tempDir, waitFor, type FixtureResult } from './helpers.js';

async function startWorkerHost() {
  const sink = memorySink();
  const markerDir = await tempDir('worker-markers');
  const dataDir = await tempDir('worker-data');
  process.env[MARKER_DIR_ENV] = markerDir;
  const host = new PluginHost({
    hostVersion: '0.1.0',
    sources: [{ kind: 'package', path: fixture('good-worker') }],
    sink,
    dataDir,
  });
  const records = await host.start();
  delete process.env[MARKER_DIR_ENV];
  expect(records.map((r) => [r.pluginId, r.runtime, r.status, r.reason])).toEqual([['good-worker', 'worker', 'loaded', undefined]]);
  const generator: LoadGenerator = host.loadGenerators()[0]!.provider;
  const cleanup = async () => {
    await host.stop();
    await rm(markerDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  };
  return { host, sink, markerDir, generator, cleanup };
}

const rejection = async (promise: Promise<unknown>): Promise<PluginError> => {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(PluginError);
  return outcome.error as PluginError;
};

describe('worker runtime', () => {
  let ctx: Awaited<ReturnType<typeof startWorkerHost>>;
  beforeAll(async () => {
    ctx = await startWorkerHost();
  });
  afterAll(async () => {
    await ctx.cleanup();
  });

  it('describes the provider without calling into the worker', () => {
    expect(ctx.generator.descriptor).toMatchObject({ name: 'fixture-worker', engineVersion: '2.0.0', maxConnections: 100 });
  });

  it('runs the plugin off the main thread', async () => {
    const result = (await ctx.generator.run(spec('http://127.0.0.1:1/', 0.05), operation().ctx)) as FixtureResult;
    expect(result.fixture.threadId).not.toBe(threadId);
    expect(result.fixture.pluginId).toBe('good-worker');
    expect(result.engine).toEqual({ name: 'fixture-worker', version: '2.0.0' });
  });

  it('delivers the plugin’s progress events through ctx.emit, in order, before the result', async () => {
    const op = operation();
    const result = await ctx.generator.run(spec('http://127.0.0.1:1/', 0.3), op.ctx);
    expect(op.events.length).toBeGreaterThanOrEqual(3);
    expect(op.events.every((e) => e.type === 'progress' && e.phase === 'measure')).toBe(true);
    expect(op.events.map((e) => e.requests)).toEqual(op.events.map((_, i) => i + 1));
    expect(result.requests).toBe(op.events.at(-1)!.requests);
    expect(result.cancelled).toBe(false);
  });

  it('forwards the plugin’s log lines tagged with plugin and operation ids', async () => {
    await ctx.generator.run(spec('http://127.0.0.1:1/logs', 0.02), operation('op-logs').ctx);
    expect(ctx.sink.lines).toContainEqual({
      level: 'info',
      message: 'fixture worker run started',
      fields: { url: 'http://127.0.0.1:1/logs', pluginId: 'good-worker', operationId: 'op-logs' },
    });
    // The injected plugin logger (not the operation's) carries only the plugin id.
    expect(ctx.sink.lines).toContainEqual({ level: 'debug', message: 'fixture worker plugin logger', fields: { pluginId: 'good-worker' } });
  });

  it('passes an abort to the plugin, which stops early with a partial result', async () => {
    const op = operation();
    const started = Date.now();
    const running = ctx.generator.run(spec('http://127.0.0.1:1/', 30), op.ctx);
    await waitFor(() => op.events.length >= 2, 5000, 'progress events');
    op.controller.abort();
    const result = (await running) as FixtureResult;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.cancelled).toBe(true);
    expect(result.fixture.abortSeen).toBe(true);
    expect(result.requests).toBeGreaterThanOrEqual(2);
  });

  it('refuses to start an operation whose signal is already aborted', async () => {
    const op = operation();
    op.controller.abort();
    const error = await rejection(ctx.generator.run(spec('http://127.0.0.1:1/', 30), op.ctx));
    expect(error.code).toBe('CANCELLED');
    expect(op.events).toEqual([]);
  });

  it('brings a PluginError back from the worker with its code and details', async () => {
    const error = await rejection(ctx.generator.run(spec('http://invalid.example/'), operation().ctx));
    expect(error.toJSON()).toEqual({
      name: 'PluginError',
      code: 'INVALID_REQUEST',
      message: 'The fixture refuses URLs containing "invalid"',
      field: 'url',
      probableCause: 'The test asked for it.',
      remediation: 'Use another URL.',
    });
  });

  it('turns any other error thrown in the worker into INTERNAL with its message', async () => {
    const error = await rejection(ctx.generator.run(spec('http://boom.example/'), operation().ctx));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('boom from the fixture');
    expect(error.remediation).toBeTruthy();
  });

  it('fails the calls under way when the worker crashes, naming the plugin, and restarts it on the next call', async () => {
    const before = (await ctx.generator.run(spec('http://127.0.0.1:1/', 0.02), operation().ctx)) as FixtureResult;

    const longOp = operation();
    const longRun = rejection(ctx.generator.run(spec('http://127.0.0.1:1/', 30), longOp.ctx));
    await waitFor(() => longOp.events.length >= 1, 5000, 'the long run to start');
    const crash = await rejection(ctx.generator.run(spec('http://crash.example/'), operation().ctx));
    const interrupted = await longRun;

    for (const error of [crash, interrupted]) {
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toContain('Plugin "good-worker" crashed');
      expect(error.message).toContain('exit code 3');
      expect(error.remediation).toContain('restarted on its next use');
    }
    expect(ctx.sink.lines.some((l) => l.level === 'error' && l.fields['pluginId'] === 'good-worker' && l.message.startsWith('plugin crashed:'))).toBe(true);

    const op = operation();
    const after = (await ctx.generator.run(spec('http://127.0.0.1:1/', 0.1), op.ctx)) as FixtureResult;
    expect(after.cancelled).toBe(false);
    expect(op.events.length).toBeGreaterThan(0);
    // A new worker thread.
    expect(after.fixture.threadId).not.toBe(before.fixture.threadId);
    expect(after.fixture.threadId).not.toBe(threadId);
    expect(ctx.host.plugin('good-worker')?.status).toBe('loaded');
  });
});

describe('PluginHost.stop with a worker plugin', () => {
  it('cancels the calls under way, refuses new ones and terminates the worker thread', async () => {
    const { host, markerDir, generator, cleanup } = await startWorkerHost();
    try {
      const probe = (await generator.run(spec('http://127.0.0.1:1/', 0.02), operation().ctx)) as FixtureResult;
      const heartbeatFile = path.join(markerDir, `good-worker.heartbeat-${probe.fixture.threadId}`);
      const beat = async (): Promise<number> => {
        for (;;) {
          const text = await readFile(heartbeatFile, 'utf8').catch(() => '');
          if (text !== '') return Number(text);
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      const pause = () => new Promise((r) => setTimeout(r, 200));

      // The worker is alive: its heartbeat moves.
      const alive1 = await beat();
      await pause();
      expect(await beat()).toBeGreaterThan(alive1);

      const op = operation();
      const running = rejection(generator.run(spec('http://127.0.0.1:1/', 30), op.ctx));
      await waitFor(() => op.events.length >= 1, 5000, 'the run to start');
      await host.stop();

      const cancelled = await running;
      expect(cancelled.code).toBe('CANCELLED');
      expect(cancelled.message).toBe('Plugin "good-worker" was stopped');

      const refused = await rejection(generator.run(spec('http://127.0.0.1:1/'), operation().ctx));
      expect(refused.code).toBe('PRECONDITION_FAILED');
      expect(refused.message).toBe('Plugin "good-worker" is stopped');

      // The thread is gone: its heartbeat no longer moves.
      const dead1 = await beat();
      await pause();
      expect(await beat()).toBe(dead1);
    } finally {
      await cleanup();
    }
  });
});

describe('PluginHost.stop while a crashed worker is restarting', () => {
  it('terminates the worker still loading and does not run the call on it', async () => {
    const { host, generator, cleanup } = await startWorkerHost();
    const restartMarkers = await tempDir('restart-markers');
    try {
      await rejection(generator.run(spec('http://crash.example/'), operation().ctx));

      // The next call starts a new worker; stop the host before that worker is ready.
      process.env[MARKER_DIR_ENV] = restartMarkers;
      const op = operation();
      const call = rejection(generator.run(spec('http://127.0.0.1:1/', 1), op.ctx));
      delete process.env[MARKER_DIR_ENV];
      await host.stop();

      const error = await call;
      expect(error.code).toBe('CANCELLED');
      expect(op.events).toEqual([]);

      // No thread of the plugin is left running: any heartbeat it started has stopped.
      await new Promise((r) => setTimeout(r, 300));
      const beats = async () =>
        Promise.all(
          (await readdir(restartMarkers))
            .filter((f) => f.includes('heartbeat'))
            .map((f) => readFile(path.join(restartMarkers, f), 'utf8')),
        );
      const first = await beats();
      await new Promise((r) => setTimeout(r, 200));
      expect(await beats()).toEqual(first);
    } finally {
      delete process.env[MARKER_DIR_ENV];
      await cleanup();
      await rm(restartMarkers, { recursive: true, force: true });
    }
  });
});
