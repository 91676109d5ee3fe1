import { describe, expect, it } from 'vitest';
import { parseDurationSeconds } from '../src/duration.js';
import { CliError, ExitCode } from '../src/exit-codes.js';
import { fortioToSmp, isFortioResult } from '../src/fortio.js';
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
