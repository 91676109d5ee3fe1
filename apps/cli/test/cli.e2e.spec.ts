import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort, startHttpTarget, type HttpTarget } from '@meshery/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startFakeServer } from './support/fake-server.js';
import { removeTempDirs, runCli, startServer, tempDir, type CliRun, type ServerProcess } from './support/processes.js';

const TOKEN = 'cli-test-token';
const fortioFixture = fileURLToPath(new URL('./fixtures/fortio-result.json', import.meta.url));

let server: ServerProcess;
let target: HttpTarget;
let home: string;
/** Environment of every CLI run: a home of its own whose config file names the test server. */
let env: Record<string, string>;

const cli = (args: string[], options?: Parameters<typeof runCli>[2]): Promise<CliRun> => runCli(args, env, options);

function json<T = any>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n--- stderr:\n${run.stderr}`);
  }
}

/** Fails with the CLI's output when the exit code is not the expected one. */
function expectExit(run: CliRun, code: number): void {
  if (run.code !== code) throw new Error(`expected exit ${code}, got ${run.code} (${run.signal ?? 'no signal'})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
}

beforeAll(async () => {
  [server, target] = await Promise.all([startServer({ MESHERY_TOKEN: TOKEN }), startHttpTarget()]);
  home = await tempDir('meshery-cli-home-');
  const configFile = path.join(home, 'config.yaml');
  await writeFile(configFile, `current: test\nservers:\n  test:\n    url: ${server.url}\n    token: ${TOKEN}\n  other:\n    url: http://127.0.0.1:9\n`);
  env = { HOME: home, MESHERY_CONFIG: configFile, MESHERY_DATA_DIR: path.join(home, 'data') };
});

afterAll(async () => {
  await Promise.all([server?.stop(), target?.close()]);
  await removeTempDirs();
});

describe('mesheryctl against a real server', () => {
  let passingRunId: string;
  let failingRunId: string;

  it('perf apply exits 0 when every threshold holds, showing them in the summary', async () => {
    const run = await cli([
      'perf', 'apply', '--url', target.url, '--duration', '1s', '--connections', '2', '--label', 'suite=cli',
      '--threshold', 'p99<2s', '--threshold', 'error_rate<1%', '--threshold', 'rps>1', '--threshold', 'p99.9<=5000ms',
    ]);
    expectExit(run, 0);
    expect(run.stdout).toMatch(/status\s+│ COMPLETED/);
    expect(run.stdout).toMatch(/p99<2s\s+│ p99 < 2s\s+│ [\d.]+s\s+│ PASS/);
    expect(run.stdout).not.toContain('FAIL');
    expect(run.stderr).toMatch(/Run [0-9a-f-]{36} started/);
    passingRunId = /Run ([0-9a-f-]{36}) started/.exec(run.stderr)![1]!;
  });

  it('perf apply -f (an SMP test configuration) exits 5 and names the violated threshold, expected and actual', async () => {
    const file = path.join(await tempDir('meshery-cli-config-'), 'test.yaml');
    await writeFile(
      file,
      `performance_test_config:\n  name: from-file\n  labels: { suite: cli }\n  duration: 1s\n  clients:\n    - endpoint_urls: ["${target.url}"]\n      connections: 2\n      additional_options: '{"method":"GET","warmup_seconds":0}'\n`,
    );
    const run = await cli(['perf', 'apply', '-f', file, '-o', 'json', '--threshold', 'p50<1us', '--threshold', 'error_rate<50%']);
    expectExit(run, 5);
    expect(run.stderr).toContain('1 of 2 thresholds violated: p50<1us');
    expect(run.stderr).toMatch(/- p50<1us: expected p50 < 1us, actual [\d.]+us/);
    const output = json<{ result: { id: string; name: string; status: string; requests: number; spec: { connections: number } }; thresholds: { threshold: string; passed: boolean; actual: number }[] }>(run);
    expect(output.result).toMatchObject({ name: 'from-file', status: 'COMPLETED', spec: { connections: 2 } });
    expect(output.result.requests).toBeGreaterThan(0);
    expect(output.thresholds).toEqual([
      expect.objectContaining({ threshold: 'p50<1us', passed: false }),
      expect.objectContaining({ threshold: 'error_rate<50%', passed: true, actual: 0 }),
    ]);
    failingRunId = output.result.id;
  });

  it('perf result list -o json lists the runs, filtered by label', async () => {
    const run = await cli(['perf', 'result', 'list', '-o', 'json', '--label', 'suite=cli']);
    expectExit(run, 0);
    const page = json<{ total: number; items: { id: string; status: string; labels: { key: string; value: string }[] }[] }>(run);
    expect(page.total).toBe(2);
    expect(page.items.map((r) => r.id).sort()).toEqual([passingRunId, failingRunId].sort());
    expect(page.items[0]!.labels).toEqual([{ key: 'suite', value: 'cli' }]);
  });

  it('perf result compare shows each metric with its difference from the baseline', async () => {
    const run = await cli(['perf', 'result', 'compare', passingRunId, failingRunId, '-o', 'json']);
    expectExit(run, 0);
    const comparison = json<{ metrics: { metric: string; values: number[]; differencesPercent: (number | null)[] }[] }>(run);
    const p99 = comparison.metrics.find((m) => m.metric === 'p99Ms')!;
    expect(p99.values).toHaveLength(2);
    expect(p99.differencesPercent[0]).toBe(0);
    const table = await cli(['perf', 'result', 'compare', passingRunId, failingRunId]);
    expectExit(table, 0);
    expect(table.stdout).toMatch(/p99Ms\s+│ [\d.]+\s+│ [\d.]+ \([+-][\d.]+%\)/);
  });

  it('exports a result as SMP, imports it back, and the re-exported document is the same', async () => {
    const dir = await tempDir('meshery-cli-export-');
    const file = path.join(dir, 'result.json');
    const exported = await cli(['perf', 'result', 'export', passingRunId, '--format', 'smp-json', '-o', file]);
    expectExit(exported, 0);
    const original = JSON.parse(await readFile(file, 'utf8')) as Record<string, any>;
    expect(original['performance_test_result'].id).toBe(passingRunId);
    expect(original['performance_test_config'].clients[0].endpoint_urls).toEqual([target.url]);

    const yaml = await cli(['perf', 'result', 'export', passingRunId, '--format', 'smp-yaml']);
    expectExit(yaml, 0);
    expect(parseYaml(yaml.stdout)).toEqual(original);

    // The id is kept on import, so the original goes first.
    expectExit(await cli(['perf', 'result', 'delete', passingRunId]), 0);
    const imported = await cli(['perf', 'result', 'import', file, '-o', 'json']);
    expectExit(imported, 0);
    expect(json(imported)).toMatchObject({ id: passingRunId, source: 'import', status: 'COMPLETED' });

    const again = await cli(['perf', 'result', 'export', passingRunId, '--format', 'smp-json']);
    expectExit(again, 0);
    expect(JSON.parse(again.stdout)).toEqual(original);
  });

  it('imports a Fortio JSON result, converted to SMP', async () => {
    const fortio = JSON.parse(await readFile(fortioFixture, 'utf8')) as Record<string, any>;
    const run = await cli(['perf', 'result', 'import', fortioFixture, '--label', 'mesh=istio', '-o', 'json']);
    expectExit(run, 0);
    expect(run.stderr).toContain('Fortio result converted to SMP');
    const result = json(run);
    expect(result).toMatchObject({
      name: 'productpage via istio',
      source: 'import',
      status: 'COMPLETED',
      startedAt: '2024-03-14T09:26:53.589Z',
      labels: [{ key: 'mesh', value: 'istio' }],
      spec: { url: 'http://productpage.bookinfo:9080/productpage', method: 'GET', connections: 8, rate: 120, durationSeconds: 10, requestTimeoutSeconds: 3 },
      environment: { loadGenerator: 'fortio' },
    });
    expect(result.throughputRps).toBeCloseTo(fortio['ActualQPS'], 5);
    expect(result.measuredDurationSeconds).toBeCloseTo(10.005738890, 2);
    const pct = (p: number) => fortio['DurationHistogram'].Percentiles.find((x: { Percentile: number }) => x.Percentile === p).Value * 1000;
    expect(result.latency.p50Ms).toBeCloseTo(pct(50), 5);
    expect(result.latency.p90Ms).toBeCloseTo(pct(90), 5);
    expect(result.latency.p99Ms).toBeCloseTo(pct(99), 5);
    expect(result.latency.minMs).toBeCloseTo(0.412838, 5);
    expect(result.latency.maxMs).toBeCloseTo(47.182461, 5);
    expect(result.latency.meanMs).toBeCloseTo(1.7982652025, 5);

    const check = await cli(['perf', 'result', 'view', result.id, '--threshold', 'p99<5ms']);
    expectExit(check, 5);
    expect(check.stderr).toMatch(/p99<5ms: expected p99 < 5ms, actual 7\.75ms/);
  });

  it('cluster list -o json on a server without clusters prints an empty list', async () => {
    const run = await cli(['cluster', 'list', '-o', 'json']);
    expectExit(run, 0);
    expect(json(run)).toEqual([]);
  });

  it('system status shows version, database and plugins', async () => {
    const run = await cli(['system', 'status', '-o', 'json']);
    expectExit(run, 0);
    expect(json(run)).toMatchObject({
      url: server.url,
      status: 'ok',
      version: '0.1.0',
      database: 'sqlite',
      plugins: expect.arrayContaining([expect.objectContaining({ id: 'perf-autocannon', status: 'LOADED' })]),
    });
  });

  it('shows the code, cause and remediation of an API error, and exits 4', async () => {
    const run = await cli(['perf', 'result', 'view', 'no-such-result']);
    expectExit(run, 4);
    expect(run.stderr).toContain('Error: No performance result with id "no-such-result"');
    expect(run.stderr).toContain('code:        NOT_FOUND');
    expect(run.stderr).toMatch(/remediation: .+/);
  });

  it('sends the token: none gives UNAUTHENTICATED (exit 4); --server with --token works', async () => {
    const without = await cli(['--server', server.url, 'cluster', 'list']);
    expectExit(without, 4);
    expect(without.stderr).toContain('UNAUTHENTICATED');
    const withToken = await cli(['--server', server.url, '--token', TOKEN, 'cluster', 'list', '-o', 'yaml']);
    expectExit(withToken, 0);
    expect(withToken.stdout.trim()).toBe('[]');
  });

  it('refuses an unknown --server-name as a usage error (exit 2)', async () => {
    const run = await cli(['--server-name', 'nope', 'cluster', 'list']);
    expectExit(run, 2);
    expect(run.stderr).toContain('no server named "nope"');
    expect(run.stderr).toContain('test, other');
  });
});

describe('mesheryctl never hangs', () => {
  it('reports a closed port within the timeout: what, why, what to do; exit 3', async () => {
    const port = await closedPort();
    const run = await cli(['--server', `http://127.0.0.1:${port}`, '--timeout', '5s', 'perf', 'result', 'list']);
    expectExit(run, 3);
    expect(run.elapsedMs).toBeLessThan(5_000);
    expect(run.stderr).toContain(`cannot reach the Meshery server at http://127.0.0.1:${port}`);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).toContain('mesheryctl system start');
  });

  it('gives up on a server that accepts but never answers after --timeout; exit 3', async () => {
    const net = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as import('node:net').AddressInfo;
      const run = await cli(['--server', `http://127.0.0.1:${port}`, '--timeout', '1s', 'cluster', 'list']);
      expectExit(run, 3);
      expect(run.stderr).toContain('no answer within 1 s (--timeout)');
      expect(run.elapsedMs).toBeGreaterThanOrEqual(1_000);
      expect(run.elapsedMs).toBeLessThan(4_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('fails a run whose progress stops for --stall-timeout with exit 8, cancelling it on the server', async () => {
    const fake = await startFakeServer('silent');
    try {
      const run = await cli(['--server', fake.url, '--stall-timeout', '1s', 'perf', 'apply', '--url', 'http://127.0.0.1:9/', '--duration', '60s']);
      expectExit(run, 8);
      expect(run.stderr).toContain('run fake-run-1 reported nothing for 1 s');
      expect(run.stderr).toContain('was cancelled on the server');
      expect(run.elapsedMs).toBeLessThan(5_000);
      expect(fake.received).toEqual(['runPerformanceTest', 'cancelPerformanceTest']);
    } finally {
      await fake.close();
    }
  });

  it('reports a connection lost in the middle of a run with exit 3', async () => {
    const fake = await startFakeServer('one-sample-then-drop');
    try {
      const run = await cli(['--server', fake.url, '--stall-timeout', '10s', 'perf', 'apply', '--url', 'http://127.0.0.1:9/', '--duration', '60s']);
      expectExit(run, 3);
      expect(run.stderr).toContain('lost the connection to the Meshery server');
      expect(run.stderr).toContain('mesheryctl perf result view fake-run-1');
      expect(run.elapsedMs).toBeLessThan(5_000);
    } finally {
      await fake.close();
    }
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['perf', 'apply', '--url', 'http://127.0.0.1:1/', '--connections', 'many'], '--connections "many" must be a whole number'],
    [['perf', 'apply', '--url', 'http://127.0.0.1:1/', '--threshold', 'p99 about 5ms'], '--threshold "p99 about 5ms" is not a threshold'],
    [['perf', 'apply', '--url', 'http://127.0.0.1:1/', '--threshold', 'p42<5ms'], 'unknown metric "p42"'],
    [['perf', 'apply', '--url', 'http://127.0.0.1:1/', '--duration', 'soon'], '--duration "soon" is not a duration'],
    [['perf', 'apply'], 'nothing to test'],
    [['perf', 'result', 'export', 'x', '--format', 'pdf'], "argument 'pdf' is invalid"],
    [['perf', 'explode'], "unknown command 'explode'"],
    [['cluster', 'list', '-o', 'xml'], '-o "xml" is not an output format'],
  ])('%j', async (args, message) => {
    const run = await cli(args);
    expectExit(run, 2);
    expect(run.stderr).toContain(message);
  });
});
