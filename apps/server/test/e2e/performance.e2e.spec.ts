import { closedPort, startHttpTarget, type HttpTarget } from '@meshery/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { collect, gql, gqlData, wsClient } from '../support/graphql-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const RESULT_FIELDS = `
  id name status source loadModel requests throughputRps errors timeouts bytesRead startedAt endedAt
  measuredDurationSeconds
  latency { minMs meanMs stddevMs p50Ms p75Ms p90Ms p99Ms p999Ms maxMs }
  statusCodes { key count } errorsByType { key count }
  histogram { encoding unit significantDigits data }
  environment { loadGenerator loadGeneratorVersion pluginId hostname serverVersion }
  samples { phase elapsedSeconds requests currentRps }
  failure { code message probableCause remediation }
  labels { key value }
  spec { url method connections durationSeconds rate }
  smpJsonUrl smpYamlUrl`;

const RUN = `mutation Run($input: RunPerformanceTestInput!) { runPerformanceTest(input: $input) { id status } }`;
const PROGRESS = `subscription P($runId: ID!) { performanceTestProgress(runId: $runId) {
  runId status done sample { phase elapsedSeconds requests errors currentRps latencyP50Ms latencyP99Ms }
  result { id status requests } } }`;

interface ProgressEvent {
  performanceTestProgress: {
    status: string;
    done: boolean;
    sample: { elapsedSeconds: number; requests: number; currentRps: number; latencyP99Ms: number | null } | null;
    result: { id: string; status: string; requests: number } | null;
  };
}


async function waitForFirstSample(url: string, runId: string): Promise<void> {
  const client = wsClient(url);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no progress sample within 10 s')), 10_000);
    const unsubscribe = client.subscribe<ProgressEvent>(
      { query: PROGRESS, variables: { runId } },
      {
        next: (value) => {
          if (value.data?.performanceTestProgress.sample) {
            clearTimeout(timer);
            unsubscribe();
            resolve();
          }
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
  await client.dispose();
}

describe('performance tests through the running server', () => {
  let target: HttpTarget;
  let server: ServerProcess;

  beforeAll(async () => {
    target = await startHttpTarget();
    server = await startServerProcess({ env: { MESHERY_MAX_TEST_DURATION_SECONDS: '120' } });
  });

  afterAll(async () => {
    await server?.stop();
    await target?.close();
  });

  it('runs a 3-second test, streams progress over graphql-ws, and a new server process reads the stored result', async () => {
    const started = await gqlData<{ runPerformanceTest: { id: string; status: string } }>(server.url, RUN, {
      input: { spec: { url: target.url, durationSeconds: 3, connections: 4 }, labels: [{ key: 'mesh', value: 'none' }] },
    });
    expect(started.runPerformanceTest.status).toBe('RUNNING');
    const runId = started.runPerformanceTest.id;

    const client = wsClient(server.url);
    const { done } = collect<ProgressEvent>(client, PROGRESS, { runId }, 30_000);
    const events = (await done).map((e) => e.performanceTestProgress);
    await client.dispose();

    const samples = events.filter((e) => e.sample).map((e) => e.sample!);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.at(-1)!.requests).toBeGreaterThan(0);
    expect(samples.some((s) => s.currentRps > 0 && s.latencyP99Ms !== null)).toBe(true);
    const last = events.at(-1)!;
    expect(last.done).toBe(true);
    expect(last.status).toBe('COMPLETED');
    expect(last.result!.requests).toBeGreaterThan(0);

    // The stored result survives the server: stop it and read it from a new process.
    expect(await server.stop('SIGTERM')).toBe(0);
    server = await startServerProcess({ dataDir: server.dataDir, env: { MESHERY_MAX_TEST_DURATION_SECONDS: '120' } });
    const { performanceResult: result } = await gqlData(server.url, `query R($id: ID!) { performanceResult(id: $id) { ${RESULT_FIELDS} } }`, { id: runId });
    expect(result.status).toBe('COMPLETED');
    expect(result.requests).toBe(last.result!.requests);
    expect(result.statusCodes).toEqual([{ key: '200', count: result.requests }]);
    expect(result.errors).toBe(0);
    expect(result.measuredDurationSeconds).toBeGreaterThan(2.5);
    expect(result.throughputRps).toBeCloseTo(result.requests / result.measuredDurationSeconds, 0);
    const l = result.latency;
    expect(l.minMs).toBeLessThanOrEqual(l.p50Ms);
    expect(l.p50Ms).toBeLessThanOrEqual(l.p99Ms);
    expect(l.p99Ms).toBeLessThanOrEqual(l.maxMs);
    expect(result.histogram.encoding).toBe('hdrhistogram-v2-compressed-base64');
    expect(result.histogram.data.length).toBeGreaterThan(10);
    expect(result.environment).toMatchObject({ loadGenerator: 'autocannon', pluginId: 'perf-autocannon', serverVersion: '0.1.0' });
    expect(result.environment.hostname).toBeTruthy();
    expect(result.samples.length).toBeGreaterThanOrEqual(2);
    expect(result.labels).toEqual([{ key: 'mesh', value: 'none' }]);

    // SMP downloads over plain HTTP, JSON and YAML.
    const json = await fetch(result.smpJsonUrl);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toContain('attachment');
    const smp = (await json.json()) as any;
    const smpResult = smp.performance_test_result;
    expect(smpResult).toMatchObject({
      smp_version: expect.any(String),
      id: runId,
      labels: { mesh: 'none' },
      start_time: result.startedAt,
      end_time: result.endedAt,
      actual_qps: result.throughputRps,
      latencies_ms: { min: l.minMs, average: l.meanMs, p50: l.p50Ms, p90: l.p90Ms, p99: l.p99Ms, max: l.maxMs },
    });
    expect(smpResult.details_uri).toContain(`/api/performance/results/${runId}`);
    expect(smpResult).not.toHaveProperty('mesh_config_id');
    expect(smpResult).not.toHaveProperty('env_id');
    const config = smp.performance_test_config;
    expect(smpResult.test_id).toBe(config.id);
    expect(config.clients).toEqual([
      expect.objectContaining({ internal: false, load_generator: 'autocannon', protocol: 'http', connections: 4, endpoint_urls: [target.url] }),
    ]);
    expect(config.clients[0]).not.toHaveProperty('rps');
    expect(config.duration).toBe('3s');
    const yamlResponse = await fetch(result.smpYamlUrl);
    expect(yamlResponse.headers.get('content-type')).toContain('yaml');
    expect(parseYaml(await yamlResponse.text())).toEqual(smp);

    // Importing the same document again is refused; without its id it becomes a new result.
    const again = await gql(server.url, `mutation I($d: String!) { importPerformanceResult(document: $d) { id } }`, { d: JSON.stringify(smp) });
    expect(again.errors?.[0]?.extensions?.['code']).toBe('PRECONDITION_FAILED');
    delete smpResult.id;
    const imported = await gqlData(server.url, `mutation I($d: String!) { importPerformanceResult(document: $d) { id source status latency { p50Ms p99Ms } throughputRps } }`, {
      d: JSON.stringify(smp),
    });
    expect(imported.importPerformanceResult).toMatchObject({ source: 'import', status: 'COMPLETED', throughputRps: result.throughputRps });
    expect(imported.importPerformanceResult.latency.p99Ms).toBe(l.p99Ms);
    const reexported: any = await (await fetch(`${server.url}/api/performance/results/${imported.importPerformanceResult.id}/smp.json`)).json();
    expect(reexported.performance_test_result).toEqual({ ...smpResult, id: imported.importPerformanceResult.id });
    expect(reexported.performance_test_config).toEqual(config);
  });

  it('cancels a running test within a second and keeps the partial result', async () => {
    const started = await gqlData(server.url, RUN, { input: { spec: { url: target.url, durationSeconds: 60, warmupSeconds: 0, connections: 2 } } });
    const runId = started.runPerformanceTest.id;
    await waitForFirstSample(server.url, runId);
    const before = Date.now();
    const cancelled = await gqlData(server.url, `mutation C($id: ID!) { cancelPerformanceTest(runId: $id) { status requests samples { requests } } }`, { id: runId });
    expect(Date.now() - before).toBeLessThan(2500);
    expect(cancelled.cancelPerformanceTest.status).toBe('CANCELLED');
    expect(cancelled.cancelPerformanceTest.requests).toBeGreaterThan(0);
    const count = target.requests.count;
    await new Promise((r) => setTimeout(r, 1000));
    expect(target.requests.count - count).toBeLessThan(10);
    const again = await gql(server.url, `mutation C($id: ID!) { cancelPerformanceTest(runId: $id) { status } }`, { id: runId });
    expect(again.errors?.[0]?.extensions?.['code']).toBe('PRECONDITION_FAILED');
  });

  it('completes a test against a refused port with the errors counted, without crashing', async () => {
    const port = await closedPort();
    const started = await gqlData(server.url, RUN, { input: { spec: { url: `http://127.0.0.1:${port}/`, durationSeconds: 1, connections: 2 } } });
    const client = wsClient(server.url);
    const events = await collect<ProgressEvent>(client, PROGRESS, { runId: started.runPerformanceTest.id }, 20_000).done;
    await client.dispose();
    expect(events.at(-1)!.performanceTestProgress.status).toBe('COMPLETED');
    const { performanceResult } = await gqlData(server.url, `query R($id: ID!) { performanceResult(id: $id) { requests errors errorsByType { key count } latency { p50Ms } } }`, {
      id: started.runPerformanceTest.id,
    });
    expect(performanceResult.requests).toBe(0);
    expect(performanceResult.errors).toBeGreaterThan(0);
    expect(performanceResult.errorsByType.map((e: { key: string }) => e.key)).toContain('ECONNREFUSED');
    expect(performanceResult.latency).toBeNull();
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it.each([
    ['a non-http scheme', { url: 'ftp://127.0.0.1/file' }, 'spec.url'],
    ['a string that is not a URL', { url: 'not a url' }, 'spec.url'],
    ['a zero duration', { durationSeconds: 0 }, 'spec.durationSeconds'],
    ['a duration above the server cap', { durationSeconds: 121 }, 'spec.durationSeconds'],
    ['zero connections', { connections: 0 }, 'spec.connections'],
    ['a negative rate', { rate: -5 }, 'spec.rate'],
    ['a malformed header name', { headers: [{ name: 'Bad Header', value: 'x' }] }, 'spec.headers[0].name'],
    ['a header value with a line break', { headers: [{ name: 'X-Ok', value: 'a\r\nInjected: 1' }] }, 'spec.headers[0].value'],
    ['an unknown load generator', { loadGenerator: 'nope' }, 'spec.loadGenerator'],
  ])('refuses %s with INVALID_REQUEST naming the field, and stores nothing', async (_name, override, field) => {
    const before = (await gqlData(server.url, `{ performanceResults { total } }`)).performanceResults.total;
    const targetCount = target.requests.count;
    const response = await gql(server.url, RUN, { input: { spec: { url: target.url, durationSeconds: 1, ...override } } });
    const error = response.errors?.[0];
    expect(error?.extensions?.['code']).toBe('INVALID_REQUEST');
    expect(error?.extensions?.['field']).toBe(field);
    expect(error?.extensions?.['remediation']).toBeTruthy();
    expect(error?.message).toContain(field);
    expect((await gqlData(server.url, `{ performanceResults { total } }`)).performanceResults.total).toBe(before);
    expect(target.requests.count).toBe(targetCount);
  });
});

describe('a server stopped during a run', () => {
  let target: HttpTarget;
  beforeAll(async () => {
    target = await startHttpTarget();
  });
  afterAll(async () => {
    await target?.close();
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)('leaves no run "running" after %s: it is interrupted with its samples', async (signal) => {
    let server = await startServerProcess();
    const started = await gqlData(server.url, RUN, { input: { spec: { url: target.url, durationSeconds: 60, warmupSeconds: 0, connections: 2 } } });
    const runId = started.runPerformanceTest.id;
    await waitForFirstSample(server.url, runId);
    await new Promise((r) => setTimeout(r, 1200));
    const stoppedAt = Date.now();
    await server.stop(signal);
    if (signal === 'SIGTERM') expect(Date.now() - stoppedAt).toBeLessThan(8000);
    const count = target.requests.count;
    await new Promise((r) => setTimeout(r, 500));
    expect(target.requests.count - count).toBeLessThan(10);

    server = await startServerProcess({ dataDir: server.dataDir });
    try {
      const { performanceResult } = await gqlData(server.url, `query R($id: ID!) { performanceResult(id: $id) { status samples { requests } failure { code message remediation } } }`, { id: runId });
      expect(performanceResult.status).toBe('INTERRUPTED');
      expect(performanceResult.samples.length).toBeGreaterThanOrEqual(1);
      expect(performanceResult.samples.at(-1).requests).toBeGreaterThan(0);
      expect(performanceResult.failure.remediation).toBeTruthy();
    } finally {
      await server.stop();
    }
  });
});
