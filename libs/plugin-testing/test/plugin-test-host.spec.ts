import type { LoadTestProgress, LoadTestResult } from '@meshery/plugin-api';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_HOST_VERSION, startPluginTestHost, type PluginTestHost } from '../src/index.js';

/** The fixture plugin packages of plugin-host's tests. */
const fixtures = fileURLToPath(new URL('../../plugin-host/test/fixtures/plugins/', import.meta.url));
const fixture = (name: string): string => path.join(fixtures, name);

type FixtureResult = LoadTestResult & {
  fixture: { threadId: number; greeting?: unknown; hostInfo?: { dataDir: string }; dataDirExists?: boolean; abortSeen?: boolean };
};

const spec = (url: string, durationSeconds = 0.1) => ({
  url,
  method: 'GET' as const,
  headers: {},
  connections: 1,
  durationSeconds,
  warmupSeconds: 0,
  requestTimeoutSeconds: 5,
});

/** Runs `fn` with os.tmpdir() pointing at a fresh directory; returns what was left in it. */
async function leftInTmp(fn: () => Promise<void>): Promise<string[]> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'meshery-tmpdir-'));
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = tmp;
  try {
    await fn();
    return await readdir(tmp);
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
    await rm(tmp, { recursive: true, force: true });
  }
}

describe('startPluginTestHost', () => {
  let host: PluginTestHost | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('loads an in-process plugin as the server does, with the given config', async () => {
    host = await startPluginTestHost({ pluginDir: fixture('good-in-process'), config: { greeting: 'hi' } });
    expect(host.record).toMatchObject({ pluginId: 'good-in-process', status: 'loaded', runtime: 'in-process' });

    const op = host.operation<LoadTestProgress>('op-test');
    expect(op.ctx.operationId).toBe('op-test');
    const result = (await host.loadGenerator().run(spec('http://127.0.0.1:1/'), op.ctx)) as FixtureResult;
    expect(result.fixture.greeting).toBe('hi');
    expect(result.fixture.hostInfo).toMatchObject({ hostVersion: TEST_HOST_VERSION, pluginId: 'good-in-process' });
    expect(result.fixture.dataDirExists).toBe(true);
    // Events the plugin emitted and lines it logged are collected for assertions.
    expect(op.events).toHaveLength(1);
    expect(op.events[0]).toMatchObject({ type: 'progress', requests: 1 });
    expect(host.logs).toContainEqual({ level: 'info', message: 'fixture run started', fields: { url: 'http://127.0.0.1:1/', pluginId: 'good-in-process' } });
    expect(host.logs).toContainEqual({ level: 'info', message: 'fixture operation log', fields: { url: 'http://127.0.0.1:1/' } });
  });

  it('removes the plugin’s temporary data directory on stop', async () => {
    host = await startPluginTestHost({ pluginDir: fixture('good-in-process') });
    const result = (await host.loadGenerator().run(spec('http://x/'), host.operation().ctx)) as FixtureResult;
    const dataDir = result.fixture.hostInfo!.dataDir;
    expect(existsSync(dataDir)).toBe(true);
    await host.stop();
    host = undefined;
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(path.dirname(dataDir))).toBe(false);
  });

  it('runs a worker plugin in its worker thread, with events and cancellation', async () => {
    host = await startPluginTestHost({ pluginDir: fixture('good-worker') });
    expect(host.record.runtime).toBe('worker');
    const op = host.operation<LoadTestProgress>();
    const running = host.loadGenerator('fixture-worker').run(spec('http://127.0.0.1:1/', 30), op.ctx);
    for (let i = 0; i < 500 && op.events.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    op.abort();
    const result = (await running) as FixtureResult;
    expect(result.cancelled).toBe(true);
    expect(result.fixture.abortSeen).toBe(true);
    expect(result.fixture.threadId).not.toBe(threadId);
    expect(op.events.length).toBeGreaterThanOrEqual(2);
  });

  it('can force a worker plugin in-process (to debug it)', async () => {
    host = await startPluginTestHost({ pluginDir: fixture('good-worker'), runtime: 'in-process' });
    const result = (await host.loadGenerator().run(spec('http://x/', 0.02), host.operation().ctx)) as FixtureResult;
    expect(result.fixture.threadId).toBe(threadId);
  });

  it('says clearly when a provider the test asks for is not registered', async () => {
    host = await startPluginTestHost({ pluginDir: fixture('good-in-process') });
    expect(() => host!.loadGenerator('k6')).toThrow('The plugin registered no load generator named "k6"');
    expect(() => host!.meshProvider()).toThrow('The plugin registered no mesh provider');
    expect(() => host!.conformanceSuite('smi')).toThrow('The plugin registered no conformance suite named "smi"');
  });

  it('throws with the host’s reason when the plugin fails to load, leaving nothing behind', async () => {
    const left = await leftInTmp(async () => {
      await expect(startPluginTestHost({ pluginDir: fixture('register-throws') })).rejects.toThrow(
        `Plugin at ${fixture('register-throws')} is failed: register() of plugin "register-throws" failed: license file /etc/meshery-fixture.lic not found`,
      );
      await expect(startPluginTestHost({ pluginDir: fixture('broken-manifest') })).rejects.toThrow(
        /is failed: Invalid plugin manifest at .*meshery\.pluginId: must be kebab-case/,
      );
      await expect(startPluginTestHost({ pluginDir: fixture('wrong-export') })).rejects.toThrow(/expected a value made by definePlugin\(\)/);
      await expect(startPluginTestHost({ pluginDir: fixture('incompatible-engine') })).rejects.toThrow(/is incompatible/);
    });
    expect(left).toEqual([]);
  });

  it('throws when the plugin does not accept the host version', async () => {
    await expect(startPluginTestHost({ pluginDir: fixture('incompatible-engine') })).rejects.toThrow(
      /is incompatible: Plugin "incompatible-engine" requires Meshery >=99\.0\.0, but this server is 0\.1\.0/,
    );
    // A plugin author can check a range against another server version.
    await expect(startPluginTestHost({ pluginDir: fixture('good-in-process'), hostVersion: '1.0.0' })).rejects.toThrow(
      /is incompatible: .*requires Meshery >=0\.1\.0 <1\.0\.0, but this server is 1\.0\.0/,
    );
  });

  it('throws when there is no package at the path', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'meshery-empty-'));
    try {
      await expect(startPluginTestHost({ pluginDir: empty })).rejects.toThrow(`No plugin package found at ${empty}`);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
