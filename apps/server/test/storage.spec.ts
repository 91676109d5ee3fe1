import 'reflect-metadata';
import { startHttpTarget, type HttpTarget } from '@meshery/plugin-testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/app.js';
import { loadServerConfig } from '../src/config/server-config.js';
import { PluginStateEntity } from '../src/plugins/entities/plugin-state.entity.js';
import { PluginStoreService } from '../src/plugins/plugin-store.service.js';
import { dataSourceOptions, type DatabaseTarget } from '../src/storage/data-source-options.js';
import { gql, gqlData } from './support/graphql-client.js';
import { isolatedPostgres, POSTGRES_REQUIRED, POSTGRES_URL, postgresReachable } from './support/databases.js';

const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));
const postgresProblem = await postgresReachable();
if (postgresProblem && POSTGRES_REQUIRED) {
  throw new Error(`PostgreSQL is required (MESHERY_REQUIRE_POSTGRES=1) but unreachable at ${POSTGRES_URL}: ${postgresProblem}`);
}
if (postgresProblem) {
  console.warn(`PostgreSQL storage suites skipped: unreachable at ${POSTGRES_URL} (${postgresProblem}). Set MESHERY_TEST_POSTGRES_URL to run them.`);
}

function smpDocument(overrides: { id: string; start: string; p99: number; qps: number; labels: Record<string, string> }) {
  return JSON.stringify({
    performance_test_result: {
      smp_version: 'v0.0.1',
      id: overrides.id,
      labels: overrides.labels,
      start_time: overrides.start,
      end_time: new Date(Date.parse(overrides.start) + 30_000).toISOString(),
      latencies_ms: { min: 0.1, average: overrides.p99 / 3, p50: overrides.p99 / 4, p90: overrides.p99 / 2, p99: overrides.p99, max: overrides.p99 * 2 },
      actual_qps: overrides.qps,
      mesh_config_id: 'mesh-config-1',
    },
  });
}

const databases: { name: string; skip: boolean; target: () => Promise<{ target: DatabaseTarget; env: Record<string, string>; cleanup: () => Promise<void> }> }[] = [
  {
    name: 'SQLite',
    skip: false,
    target: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'meshery-storage-'));
      return {
        target: { kind: 'sqlite', file: path.join(dir, 'meshery.db') },
        env: { MESHERY_DATA_DIR: dir },
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: postgresProblem !== null,
    target: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'meshery-storage-'));
      const db = await isolatedPostgres();
      return {
        target: { kind: 'postgres', url: db.url },
        env: { MESHERY_DATA_DIR: dir, MESHERY_DATABASE_URL: db.url },
        cleanup: async () => {
          await db.drop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

for (const database of databases) {
  describe.skipIf(database.skip)(`storage on ${database.name}`, () => {
    let setup: Awaited<ReturnType<(typeof databases)[number]['target']>>;
    let server: RunningServer;
    let target: HttpTarget;

    beforeAll(async () => {
      setup = await database.target();
      target = await startHttpTarget();
    });

    afterAll(async () => {
      await server?.close();
      await target?.close();
      await setup?.cleanup();
    });

    it('builds the schema with migrations that match the entities exactly', async () => {
      const dataSource = new DataSource(dataSourceOptions(setup.target));
      await dataSource.initialize();
      try {
        const applied = await dataSource.query(`SELECT name FROM migrations`);
        expect(applied.map((m: { name: string }) => m.name)).toEqual([
          'InitialSchema1763770000000',
          'OpenLoopStats1763780000000',
          'KubernetesAndOperations1763790000000',
          'PluginState1763800000000',
        ]);
        const pending = await dataSource.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      } finally {
        await dataSource.destroy();
      }
    });

    it('keeps each plugin its own store, values encrypted at rest', async () => {
      const dataSource = new DataSource(dataSourceOptions(setup.target));
      await dataSource.initialize();
      try {
        const config = loadServerConfig({ ...setup.env, MESHERY_PORT: '0' }, workspaceRoot);
        const stores = new PluginStoreService(config, dataSource.getRepository(PluginStateEntity));
        const linkerd = stores.storeFor('mesh-linkerd');
        const istio = stores.storeFor('mesh-istio');
        const secret = 'BEGIN-EC-PRIVATE-KEY-plain-text-marker';
        await linkerd.set('certificates/ctx-1', { issuerKey: secret, days: 365 });
        await linkerd.set('install/ctx-1', { version: 'stable-2.14.10' });
        await linkerd.set('install/ctx_2', { version: 'stable-2.14.10' });
        await istio.set('install/ctx-1', { version: '1.24.0' });

        expect(await linkerd.get('certificates/ctx-1')).toEqual({ issuerKey: secret, days: 365 });
        expect(await linkerd.keys('install/')).toEqual(['install/ctx-1', 'install/ctx_2']);
        expect(await linkerd.keys('install/ctx_')).toEqual(['install/ctx_2']);
        expect(await istio.keys()).toEqual(['install/ctx-1']);
        expect(await istio.get('certificates/ctx-1')).toBeUndefined();

        await linkerd.set('install/ctx-1', { version: 'edge-24.11.8' });
        expect(await linkerd.get('install/ctx-1')).toEqual({ version: 'edge-24.11.8' });
        await linkerd.delete('install/ctx-1');
        await linkerd.delete('install/never-there');
        expect(await linkerd.keys('install/')).toEqual(['install/ctx_2']);
        await expect(linkerd.set('x'.repeat(201), 1)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });

        const rows: { sealedValue: string }[] = await dataSource.query(`SELECT "sealedValue" FROM plugin_state`);
        expect(rows).toHaveLength(3);
        for (const row of rows) {
          expect(row.sealedValue).toMatch(/^v1:/);
          expect(row.sealedValue).not.toContain(secret);
          expect(row.sealedValue).not.toContain('stable-2.14.10');
        }
      } finally {
        await dataSource.destroy();
      }
    });

    it('stores profiles and results and finds them by profile, label and time, sorted and paginated', async () => {
      server = await startServer(loadServerConfig({ ...setup.env, MESHERY_PORT: '0' }, workspaceRoot));
      const url = server.url;

      const created = await gqlData(url, `mutation C($input: CreatePerformanceProfileInput!) { createPerformanceProfile(input: $input) {
          id name url method connections durationSeconds rate headers { name value } labels { key value } loadGenerator } }`, {
        input: {
          name: 'checkout',
          url: target.url,
          method: 'post',
          body: '{"item":1}',
          contentType: 'application/json',
          headers: [{ name: 'X-Test', value: 'yes' }],
          connections: 2,
          durationSeconds: 1,
          labels: [{ key: 'mesh', value: 'istio' }],
        },
      });
      const profile = created.createPerformanceProfile;
      expect(profile).toMatchObject({ name: 'checkout', method: 'POST', rate: null, loadGenerator: 'autocannon', labels: [{ key: 'mesh', value: 'istio' }] });

      const duplicate = await gql(url, `mutation C($input: CreatePerformanceProfileInput!) { createPerformanceProfile(input: $input) { id } }`, {
        input: { name: 'checkout', url: target.url },
      });
      expect(duplicate.errors?.[0]?.extensions?.['field']).toBe('name');

      const updated = await gqlData(url, `mutation U($id: ID!, $input: UpdatePerformanceProfileInput!) { updatePerformanceProfile(id: $id, input: $input) { rate connections name } }`, {
        id: profile.id,
        input: { rate: 50 },
      });
      expect(updated.updatePerformanceProfile).toEqual({ rate: 50, connections: 2, name: 'checkout' });
      expect((await gqlData(url, `{ performanceProfiles { name } }`)).performanceProfiles).toEqual([{ name: 'checkout' }]);

      // A run from the profile carries its spec and labels to the target and into the result.
      const run = await gqlData(url, `mutation R($input: RunPerformanceTestInput!) { runPerformanceTest(input: $input) { id } }`, {
        input: { profileId: profile.id, labels: [{ key: 'round', value: '1' }] },
      });
      const runId = run.runPerformanceTest.id;
      let stored: any;
      for (let i = 0; i < 60; i++) {
        stored = (await gqlData(url, `query R($id: ID!) { performanceResult(id: $id) { status requests profileId loadModel labels { key value } spec { method rate } openLoop { targetRate achievedRate scheduledSends lateThresholdMs serviceTime { p50Ms } serviceTimeHistogram { data } generatorDelay { p99Ms maxMs } } } }`, { id: runId })).performanceResult;
        if (stored.status !== 'RUNNING') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(stored).toMatchObject({ status: 'COMPLETED', profileId: profile.id, loadModel: 'open-loop', spec: { method: 'POST', rate: 50 } });
      expect(stored.labels).toEqual([{ key: 'mesh', value: 'istio' }, { key: 'round', value: '1' }]);
      expect(stored.requests).toBeGreaterThan(20);
      // Open loop: the schedule kept and the uncorrected service time are stored with the result.
      expect(stored.openLoop.targetRate).toBe(50);
      expect(stored.openLoop.achievedRate).toBeGreaterThan(40);
      expect(stored.openLoop.scheduledSends).toBeGreaterThanOrEqual(45);
      expect(stored.openLoop.serviceTime.p50Ms).toBeGreaterThan(0);
      expect(stored.openLoop.serviceTimeHistogram.data.length).toBeGreaterThan(10);
      // The generator's own lateness is kept with the result (read back from the database).
      expect(stored.openLoop.generatorDelay.maxMs).toBeGreaterThanOrEqual(stored.openLoop.generatorDelay.p99Ms);
      expect(stored.openLoop.generatorDelay.p99Ms).toBeGreaterThanOrEqual(0);
      expect(target.requests.lastBody).toBe('{"item":1}');
      expect(target.requests.lastHeaders?.['x-test']).toBe('yes');
      expect(target.requests.lastHeaders?.['content-type']).toBe('application/json');

      const imports: { id: string; start: string; p99: number; qps: number; labels: Record<string, string> }[] = [
        { id: 'imp-a', start: '2026-01-01T10:00:00.000Z', p99: 9, qps: 100, labels: { mesh: 'linkerd' } },
        { id: 'imp-b', start: '2026-01-02T10:00:00.000Z', p99: 3, qps: 300, labels: { mesh: 'istio' } },
        { id: 'imp-c', start: '2026-01-03T10:00:00.000Z', p99: 6, qps: 200, labels: { mesh: 'istio', env: 'lab' } },
      ];
      for (const doc of imports) {
        await gqlData(url, `mutation I($d: String!) { importPerformanceResult(document: $d) { id } }`, { d: smpDocument(doc) });
      }
      const list = async (args: string) =>
        (await gqlData(url, `{ performanceResults${args} { total items { id } } }`)).performanceResults as { total: number; items: { id: string }[] };

      expect((await list('')).total).toBe(4);
      expect((await list(`(filter: { profileId: "${profile.id}" })`)).items.map((r) => r.id)).toEqual([runId]);
      expect((await list(`(filter: { labels: [{ key: "mesh", value: "istio" }] })`)).total).toBe(3);
      expect((await list(`(filter: { labels: [{ key: "mesh", value: "istio" }, { key: "env", value: "lab" }] })`)).items.map((r) => r.id)).toEqual(['imp-c']);
      expect(
        (await list(`(filter: { startedAfter: "2026-01-02T00:00:00Z", startedBefore: "2026-01-03T00:00:00Z" })`)).items.map((r) => r.id),
      ).toEqual(['imp-b']);
      expect((await list(`(filter: { startedBefore: "2026-06-01T00:00:00Z" }, sort: { field: LATENCY_P99, direction: ASC })`)).items.map((r) => r.id)).toEqual([
        'imp-b',
        'imp-c',
        'imp-a',
      ]);
      expect((await list(`(filter: { startedBefore: "2026-06-01T00:00:00Z" }, sort: { field: THROUGHPUT, direction: DESC })`)).items.map((r) => r.id)).toEqual([
        'imp-b',
        'imp-c',
        'imp-a',
      ]);
      const page = await list(`(sort: { field: STARTED_AT, direction: ASC }, limit: 2, offset: 1)`);
      expect(page).toEqual({ total: 4, items: [{ id: 'imp-b' }, { id: 'imp-c' }] });

      const badQuery = await gql(url, `{ performanceResults(filter: { startedAfter: "yesterday" }, limit: 0) { total } }`);
      expect(badQuery.errors?.[0]?.extensions?.['code']).toBe('INVALID_REQUEST');

      // Deleting a profile keeps its results; deleting a result removes its labels with it.
      expect((await gqlData(url, `mutation D($id: ID!) { deletePerformanceProfile(id: $id) }`, { id: profile.id })).deletePerformanceProfile).toBe(true);
      expect((await list(`(filter: { profileId: "${profile.id}" })`)).total).toBe(1);
      await gqlData(url, `mutation D($id: ID!) { deletePerformanceResult(id: $id) }`, { id: 'imp-c' });
      expect((await list(`(filter: { labels: [{ key: "env", value: "lab" }] })`)).total).toBe(0);
      const missing = await gql(url, `query R($id: ID!) { performanceResult(id: $id) { id } }`, { id: 'imp-c' });
      expect(missing.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    });
  });
}
