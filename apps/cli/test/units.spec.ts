import { describe, expect, it } from 'vitest';
import { parseDurationSeconds } from '../src/duration.js';
import { CliError, ExitCode } from '../src/exit-codes.js';
import { fortioToSmp, isFortioResult } from '../src/fortio.js';
import { statusView } from '../src/commands/mesh-format.js';
import { operationOutcomeError } from '../src/commands/mesh-operation.js';
import type { MeshStatus, Operation } from '../src/mesh-model.js';
import { meshInstallOptions, parseOptionValue } from '../src/mesh-options.js';
import type { PerformanceResult } from '../src/perf-model.js';
import { parseSmpTestConfig } from '../src/smp-config.js';
import { evaluateThresholds, parseThreshold } from '../src/thresholds.js';

const result = (overrides: Partial<PerformanceResult> = {}): PerformanceResult => ({
  id: 'r',
  name: 'r',
  status: 'COMPLETED',
  source: 'run',
  labels: [],
  createdAt: '',
  startedAt: '',
  requests: 990,
  errors: 10,
  throughputRps: 1234.5,
  latency: { minMs: 0.1, meanMs: 2, p50Ms: 1.5, p75Ms: 2.5, p90Ms: 4, p99Ms: 49.9, p999Ms: 80, maxMs: 120 },
  statusCodes: [
    { key: '200', count: 980 },
    { key: '503', count: 10 },
  ],
  errorsByType: [],
  environment: {},
  smpJsonUrl: '',
  smpYamlUrl: '',
  ...overrides,
});

describe('thresholds', () => {
  it('parses metrics, operators and units into ms, percent and req/s', () => {
    expect(parseThreshold('p99<50ms')).toMatchObject({ metric: 'p99', operator: '<', limit: 50 });
    expect(parseThreshold('p99.9 <= 0.2s')).toMatchObject({ metric: 'p99.9', operator: '<=', limit: 200 });
    expect(parseThreshold('mean<500us')).toMatchObject({ metric: 'mean', limit: 0.5 });
    expect(parseThreshold('p75<3')).toMatchObject({ metric: 'p75', limit: 3, unit: 'ms' });
    expect(parseThreshold('error_rate<1%')).toMatchObject({ metric: 'error_rate', limit: 1 });
    expect(parseThreshold('rps>=1000')).toMatchObject({ metric: 'rps', operator: '>=', limit: 1000 });
    expect(parseThreshold('max<1s')).toMatchObject({ metric: 'max', limit: 1000 });
  });

  it.each(['p99', 'p99<', 'p99<5kb', 'error_rate<1ms', 'latency<5ms', 'p99=5ms'])('refuses %j as a usage error', (text) => {
    expect(() => parseThreshold(text)).toThrowError(CliError);
    try {
      parseThreshold(text);
    } catch (error) {
      expect((error as CliError).exitCode).toBe(ExitCode.USAGE);
    }
  });

  it('evaluates against a result; error_rate counts requests without a response and 4xx/5xx answers', () => {
    const outcomes = evaluateThresholds(
      ['p99<50ms', 'p99.9<50ms', 'error_rate<1%', 'error_rate<=2%', 'rps>1000', 'p50<1.5ms'].map(parseThreshold),
      result(),
    );
    expect(outcomes.map((o) => [o.threshold.text, o.passed])).toEqual([
      ['p99<50ms', true],
      ['p99.9<50ms', false],
      ['error_rate<1%', false],
      ['error_rate<=2%', true],
      ['rps>1000', true],
      ['p50<1.5ms', false],
    ]);
    expect(outcomes[2]!.actual).toBeCloseTo(2, 10);
  });

  it('shows the actual value in the unit the threshold was written in; an unknown metric fails', () => {
    const [seconds, missing] = evaluateThresholds([parseThreshold('p99<0.01s'), parseThreshold('p75<1ms')], result({ latency: { ...result().latency!, p75Ms: null } }));
    expect(seconds!.actual).toBeCloseTo(0.0499, 10);
    expect(seconds!.passed).toBe(false);
    expect(missing).toMatchObject({ actual: null, passed: false });
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30],
    ['1m', 60],
    ['1m30s', 90],
    ['1.5s', 1.5],
    ['500ms', 0.5],
    ['2', 2],
    ['1h', 3600],
  ])('%s is %d s', (text, seconds) => expect(parseDurationSeconds(text)).toBe(seconds));

  it.each(['', 'soon', '5 s', '1m-3s', '-1s'])('%j is not a duration', (text) => expect(parseDurationSeconds(text)).toBeUndefined());
});

describe('SMP test configuration', () => {
  it('reads the first client, the duration and additional options (YAML)', () => {
    const fields = parseSmpTestConfig(
      `performance_test_config:
  name: checkout
  labels: { mesh: istio }
  duration: 1m30s
  clients:
    - endpoint_urls: [http://checkout:8080/pay]
      connections: 16
      rps: 500
      headers: { X-Test: "1" }
      cookies: { session: abc }
      body: '{"amount":1}'
      content_type: application/json
      load_generator: autocannon
      additional_options: '{"method":"post","warmup_seconds":5,"request_timeout_seconds":2}'
`,
      'test.yaml',
    );
    expect(fields).toEqual({
      name: 'checkout',
      labels: { mesh: 'istio' },
      durationSeconds: 90,
      url: 'http://checkout:8080/pay',
      connections: 16,
      rate: 500,
      headers: [
        { name: 'X-Test', value: '1' },
        { name: 'Cookie', value: 'session=abc' },
      ],
      body: '{"amount":1}',
      contentType: 'application/json',
      loadGenerator: 'autocannon',
      method: 'POST',
      warmupSeconds: 5,
      requestTimeoutSeconds: 2,
    });
  });

  it('accepts a bare PerformanceTestConfig in JSON and reports every problem', () => {
    expect(parseSmpTestConfig('{"clients":[{"endpoint_urls":["http://a/"]}],"duration":"10s"}', 'c.json')).toEqual({ url: 'http://a/', durationSeconds: 10 });
    expect(() => parseSmpTestConfig('{"duration":"soon","clients":[{"protocol":"grpc","connections":-1}]}', 'c.json')).toThrowError(
      /duration "soon" is not a duration.*protocol "grpc" is not supported.*connections "-1"/,
    );
  });
});

describe('Fortio conversion', () => {
  const fortio = {
    Labels: '',
    ID: '2024-01-01-000000',
    StartTime: '2024-01-01T00:00:00.123456789+01:00',
    RequestedQPS: 'max',
    RequestedDuration: 'until stop',
    ActualQPS: 1000,
    ActualDuration: 2_500_000_000,
    NumThreads: 4,
    URL: 'http://svc/',
    MethodOverride: '',
    Payload: Buffer.from('hello').toString('base64'),
    DurationHistogram: {
      Count: 2500,
      Min: 0.001,
      Max: 0.004,
      Avg: 0.002,
      Data: [
        { Start: 0.001, End: 0.002, Percent: 50, Count: 1250 },
        { Start: 0.002, End: 0.004, Percent: 100, Count: 1250 },
      ],
    },
  };

  it('is recognised by its histogram and QPS', () => {
    expect(isFortioResult(fortio)).toBe(true);
    expect(isFortioResult({ performance_test_result: {} })).toBe(false);
  });

  it('computes percentiles from the buckets when none are listed, and takes the rest from the run', () => {
    const { document } = fortioToSmp(fortio);
    expect(document.performance_test_result).toMatchObject({
      start_time: '2023-12-31T23:00:00.123Z',
      end_time: '2023-12-31T23:00:02.623Z',
      actual_qps: 1000,
      latencies_ms: { min: 1, average: 2, max: 4, p50: 2, p90: 3.6, p99: 3.96 },
    });
    expect(document.performance_test_config).toMatchObject({ name: 'Fortio 2024-01-01-000000', duration: '2.5s' });
    const client = (document.performance_test_config['clients'] as Record<string, unknown>[])[0]!;
    expect(client).toMatchObject({ load_generator: 'fortio', connections: 4, endpoint_urls: ['http://svc/'], body: 'hello' });
    expect(client['rps']).toBeUndefined();
    expect(JSON.parse(client['additional_options'] as string)).toEqual({ method: 'POST', load_model: 'closed-loop' });
  });
});

describe('mesh install options', () => {
  it('types --option values: booleans, null, numbers and JSON; the rest stays a string', () => {
    expect(parseOptionValue('true', 'x')).toBe(true);
    expect(parseOptionValue('false', 'x')).toBe(false);
    expect(parseOptionValue('null', 'x')).toBeNull();
    expect(parseOptionValue('600', 'x')).toBe(600);
    expect(parseOptionValue('-1.5e2', 'x')).toBe(-150);
    expect(parseOptionValue('"1.20"', 'x')).toBe('1.20');
    expect(parseOptionValue('[a, 2]', 'x')).toEqual(['a', 2]);
    expect(parseOptionValue('{"k": "v"}', 'x')).toEqual({ k: 'v' });
    expect(parseOptionValue('/dev/stdout', 'x')).toBe('/dev/stdout');
    expect(parseOptionValue('1.2.3', 'x')).toBe('1.2.3');
    expect(parseOptionValue('007', 'x')).toBe('007');
    expect(parseOptionValue('a=b', 'x')).toBe('a=b');
  });

  it('lays --option over the options file; name.key sets a key, dots and all, inside a map option', () => {
    const options = meshInstallOptions(
      ['readinessTimeoutSeconds=600', 'set.meshConfig.accessLogFile=/dev/stdout', 'set.values.pilot.env[0].value=x=y'],
      { text: 'readinessTimeoutSeconds: 300\nset:\n  values.pilot.traceSampling: 10\n', name: 'options.yaml' },
    );
    expect(options).toEqual({
      readinessTimeoutSeconds: 600,
      set: { 'values.pilot.traceSampling': 10, 'meshConfig.accessLogFile': '/dev/stdout', 'values.pilot.env[0].value': 'x=y' },
    });
    expect(meshInstallOptions(undefined)).toEqual({});
  });

  it('refuses malformed options as usage errors (exit 2)', () => {
    const usage = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        expect((error as CliError).exitCode).toBe(ExitCode.USAGE);
        return (error as CliError).message;
      }
      throw new Error('no error');
    };
    expect(usage(() => meshInstallOptions(['=1']))).toBe('--option "=1" is not NAME=VALUE');
    expect(usage(() => meshInstallOptions(['a b=1']))).toBe('--option "a b=1" is not NAME=VALUE');
    expect(usage(() => meshInstallOptions(['set=1', 'set.x=2']))).toBe('--option "set.x=2" sets a key inside "set", which is already 1');
    expect(usage(() => meshInstallOptions([], { text: '42', name: 'o.yaml' }))).toBe('--options-file o.yaml must hold a mapping of option names to values, not 42');
  });
});

describe('mesh status and operation outcomes', () => {
  const status: MeshStatus = {
    contextId: 'c',
    mesh: 'istio',
    installed: true,
    version: '1.24.0',
    namespace: 'istio-system',
    managedByMeshery: false,
    healthy: false,
    checkedAt: '2026-01-01T00:00:00Z',
    checks: [
      { component: 'istiod', healthy: true, message: '1/1 replicas available' },
      { component: 'sidecar injector webhook', healthy: false, message: 'no CA bundle', remediation: 'Restart istiod.' },
    ],
    injectionNamespaces: [],
    sampleApps: [],
  };

  it('shows who installed the mesh, ✔/✖ per check, and the remediation of failed checks only', () => {
    const text = statusView(status, 'kind');
    expect(text.split('\n')[0]).toBe('istio on cluster kind: installed (version 1.24.0 in istio-system), managed by someone else, NOT healthy');
    expect(text).toMatch(/│ ✔ │ istiod\s+│ 1\/1 replicas available │\s+│/);
    expect(text).toMatch(/│ ✖ │ sidecar injector webhook │ no CA bundle\s+│ Restart istiod\. │/);
    const healthy = statusView({ ...status, healthy: true, checks: [status.checks[0]!] }, 'kind');
    expect(healthy).not.toContain('remediation');
  });

  it('says after the checks where injection is on and which sample apps Meshery deployed, ready or not', () => {
    const none = statusView(status, 'kind').split('\n');
    expect(none.slice(-2)).toEqual(['Injection on in: none', 'Sample apps: none']);

    const text = statusView(
      {
        ...status,
        injectionNamespaces: ['bookinfo', 'team-a'],
        sampleApps: [
          { app: 'bookinfo', namespace: 'bookinfo', ready: true },
          { app: 'httpbin', namespace: 'team-a', ready: false },
        ],
      },
      'kind',
    );
    const lines = text.split('\n');
    const checksEnd = lines.findIndex((line) => line.includes('sidecar injector webhook'));
    const injection = lines.indexOf('Injection on in: bookinfo, team-a');
    expect(injection).toBeGreaterThan(checksEnd);
    expect(lines[injection + 1]).toBe('Sample apps:');
    expect(text).toMatch(/│ bookinfo │ bookinfo\s+│ ready\s+│/);
    expect(text).toMatch(/│ httpbin\s+│ team-a\s+│ not ready │/);
    expect(lines.at(-1)).toContain('not ready: its deployment is under way or was cut short');

    // When the checks could not run, nothing was read: no "none" that would mislead.
    const failed = statusView({ ...status, error: { code: 'CLUSTER_UNREACHABLE', message: 'timeout' } }, 'kind');
    expect(failed).not.toContain('Injection on in');
    expect(failed).not.toContain('Sample apps');
  });

  it('maps how an operation ended to an exit code: 0, 6 with the error, 7, 130 when this process cancelled it', () => {
    const operation: Operation = { id: 'op', kind: 'install-mesh', status: 'SUCCEEDED', summary: 'Install Istio', createdAt: '' };
    expect(operationOutcomeError(operation, false)).toBeUndefined();
    const failed = operationOutcomeError(
      { ...operation, status: 'FAILED', error: { code: 'UNSUPPORTED_VERSION', message: 'no such version', probableCause: 'typo', remediation: 'pick one' } },
      false,
    )!;
    expect(failed.exitCode).toBe(ExitCode.OPERATION_FAILED);
    expect(failed.message).toBe('operation op failed: no such version');
    expect(failed.details).toMatchObject({ code: 'UNSUPPORTED_VERSION', cause: 'typo', remedy: 'pick one' });
    expect(operationOutcomeError({ ...operation, status: 'INTERRUPTED' }, false)!.exitCode).toBe(ExitCode.OPERATION_FAILED);
    expect(operationOutcomeError({ ...operation, status: 'CANCELLED' }, false)!.exitCode).toBe(ExitCode.OPERATION_CANCELLED);
    expect(operationOutcomeError({ ...operation, status: 'CANCELLED' }, true)!.exitCode).toBe(ExitCode.INTERRUPTED);
  });
});
