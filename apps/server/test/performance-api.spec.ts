import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/app.js';
import { loadServerConfig } from '../src/config/server-config.js';
import { gql, gqlData } from './support/graphql-client.js';

const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** An SMP document of a finished test with the given figures. */
function smp(id: string, figures: { p50: number; p99: number; qps: number; rps?: number; connections: number }): string {
  return JSON.stringify({
    performance_test_result: {
      id,
      start_time: '2026-03-01T10:00:00Z',
      end_time: '2026-03-01T10:01:00Z',
      latencies_ms: { min: 0.1, average: figures.p50, p50: figures.p50, p90: figures.p99 / 2, p99: figures.p99, max: figures.p99 * 2 },
      actual_qps: figures.qps,
    },
    performance_test_config: {
      id: `${id}-config`,
      name: id,
      duration: '60s',
      clients: [
        {
          load_generator: 'autocannon',
          protocol: 'http',
          connections: figures.connections,
          ...(figures.rps ? { rps: figures.rps } : {}),
          endpoint_urls: ['http://127.0.0.1:8080/'],
          additional_options: JSON.stringify({ method: 'GET', load_model: figures.rps ? 'open-loop' : 'closed-loop' }),
        },
      ],
    },
  });
}

describe('performance API: comparison and defaults', () => {
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'meshery-api-'));
    server = await startServer(loadServerConfig({ MESHERY_DATA_DIR: dataDir, MESHERY_PORT: '0' }, workspaceRoot));
    for (const [id, figures] of [
      ['open-a', { p50: 2, p99: 10, qps: 1000, rps: 1000, connections: 10 }],
      ['closed-b', { p50: 1, p99: 5, qps: 4000, connections: 10 }],
      ['open-c', { p50: 3, p99: 20, qps: 2000, rps: 2000, connections: 10 }],
    ] as const) {
      await gqlData(server.url, `mutation I($d: String!) { importPerformanceResult(document: $d) { id } }`, { d: smp(id, figures) });
    }
  });

  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const COMPARE = `query C($ids: [ID!]!) { comparePerformanceResults(ids: $ids) {
    results { id loadModel } metrics { metric values differencesPercent } warnings } }`;

  it('puts results side by side with the difference from the first in percent', async () => {
    const { comparePerformanceResults: c } = await gqlData(server.url, COMPARE, { ids: ['open-a', 'open-c'] });
    expect(c.results.map((r: { id: string }) => r.id)).toEqual(['open-a', 'open-c']);
    const metric = (name: string) => c.metrics.find((m: { metric: string }) => m.metric === name);
    expect(metric('p99Ms')).toEqual({ metric: 'p99Ms', values: [10, 20], differencesPercent: [0, 100] });
    expect(metric('throughputRps').differencesPercent).toEqual([0, 100]);
    expect(metric('p999Ms').values).toEqual([null, null]);
    expect(c.warnings.join('\n')).toContain('different rates (1000, 2000 req/s)');
    expect(c.warnings.join('\n')).toContain('carry no histogram');
    expect(c.warnings.join('\n')).not.toContain('different load models');
  });

  it('warns when an open-loop result is compared with a closed-loop one', async () => {
    const { comparePerformanceResults: c } = await gqlData(server.url, COMPARE, { ids: ['open-a', 'closed-b'] });
    expect(c.results.map((r: { loadModel: string }) => r.loadModel)).toEqual(['open-loop', 'closed-loop']);
    const warning = c.warnings.find((w: string) => w.includes('different load models'));
    expect(warning).toContain('coordinated omission');
    expect(c.metrics.find((m: { metric: string }) => m.metric === 'p50Ms').differencesPercent).toEqual([0, -50]);
  });

  it('refuses fewer than two results, repeated ids and unknown ids', async () => {
    const one = await gql(server.url, COMPARE, { ids: ['open-a'] });
    expect(one.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_REQUEST', field: 'ids' });
    const twice = await gql(server.url, COMPARE, { ids: ['open-a', 'open-a'] });
    expect(twice.errors?.[0]?.extensions?.['code']).toBe('INVALID_REQUEST');
    const unknown = await gql(server.url, COMPARE, { ids: ['open-a', 'nope'] });
    expect(unknown.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect(unknown.errors?.[0]?.message).toContain('nope');
  });

  it('gives long tests a 5-second warm-up by default and short ones none, unless told otherwise', async () => {
    const create = async (name: string, durationSeconds: number, warmupSeconds?: number) =>
      (
        await gqlData(server.url, `mutation C($input: CreatePerformanceProfileInput!) { createPerformanceProfile(input: $input) { warmupSeconds } }`, {
          input: { name, url: 'http://127.0.0.1:8080/', durationSeconds, ...(warmupSeconds !== undefined ? { warmupSeconds } : {}) },
        })
      ).createPerformanceProfile.warmupSeconds;
    expect(await create('long', 60)).toBe(5);
    expect(await create('short', 10)).toBe(0);
    expect(await create('explicit', 60, 0)).toBe(0);
  });
});
