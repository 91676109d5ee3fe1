/**
 * The console in Debian's chromium against the real server process (serving the production
 * build), a real HTTP target and kube-sim. One flow, in order: the tests share the server and the
 * results they create. Screenshots of every page go to apps/web/test-artifacts/.
 */
import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { startHttpTarget, type HttpTarget } from '@meshery/plugin-testing';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.ts';
import { consoleHost, webDist, type ConsoleHost } from './support/console-host.ts';
import { startRun, waitForRun } from './support/graphql.ts';
import { startServer, type ServerProcess } from './support/server.ts';

const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

describe('web console in chromium against the real server', () => {
  let target: HttpTarget;
  let sim: KubeSim;
  let server: ServerProcess;
  let host: ConsoleHost;
  let browser: Browser;
  let page: Page;
  let tmp: string;
  const pageErrors: string[] = [];
  const ids: { first?: string; second?: string; openLoop?: string } = {};

  const open = (pathname: string) => page.goto(`${host.url}${pathname}`, { waitUntil: 'domcontentloaded' });
  const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  const points = async (testId: string) => Number((await page.getByTestId(testId).getAttribute('data-points')) ?? 0);
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
    if (!existsSync(path.join(webDist, 'index.html'))) throw new Error('No production build in apps/web/dist: run npm run build');
    await mkdir(artifacts, { recursive: true });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'meshery-web-test-'));
    target = await startHttpTarget({ delayMs: 2 });
    sim = await startKubeSim({ readyDelayMs: 50 });
    const serverKubeconfig = path.join(tmp, 'server-kubeconfig.yaml');
    await writeFile(serverKubeconfig, sim.kubeconfig);
    server = await startServer({ env: { KUBECONFIG: serverKubeconfig } });
    host = await consoleHost(server.url);
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await server?.stop();
    if (server) await rm(server.dataDir, { recursive: true, force: true });
    await sim?.close();
    await target?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('serves the dashboard with plugin health, usable from the keyboard', async () => {
    await open('/');
    await heading('Dashboard').waitFor();
    const plugins = page.getByRole('region', { name: 'Plugin health' });
    await plugins.getByText('loaded', { exact: true }).first().waitFor();
    await page.getByTestId('connection').and(page.locator('[data-state="connected"]')).waitFor();

    // Tab reaches the skip link first, then the navigation; focus is visible.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused.text).toBe('Clusters');
    expect(focused.outline).not.toBe('none');
    await shot('dashboard');
    // Enter follows the focused link.
    await page.keyboard.press('Enter');
    await heading('Clusters').waitFor();
  });

  it('lists plugins with version, kinds and status', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plugins' }).click();
    await heading('Plugins').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'perf-autocannon' }).first();
    await row.waitFor();
    expect(await row.textContent()).toMatch(/load-generator/);
    expect(await row.getByText('loaded', { exact: true }).count()).toBe(1);
    await page.getByRole('region', { name: 'Load generators' }).getByRole('row').nth(1).waitFor();
    await shot('plugins');
  });

  it('adds a cluster from an uploaded kubeconfig, tests it and removes it', async () => {
    const kubeconfig = parse(sim.kubeconfig) as { contexts: { name: string; context: Record<string, string> }[] };
    kubeconfig.contexts.push({ name: 'sim-system', context: { cluster: 'kube-sim', user: 'kube-sim', namespace: 'kube-system' } });
    const file = path.join(tmp, 'upload-kubeconfig.yaml');
    await writeFile(file, stringify(kubeconfig));

    await open('/clusters');
    await heading('Clusters').waitFor();
    // The context the server found through KUBECONFIG.
    await page.getByRole('region', { name: 'Contexts the server found' }).getByRole('rowheader', { name: /kube-sim/ }).waitFor();

    await page.getByLabel('Kubeconfig file').setInputFiles(file);
    const context = page.getByLabel('Context', { exact: true });
    await expect.poll(() => context.locator('option').count()).toBe(2);
    expect(await context.inputValue()).toBe('kube-sim');
    await context.selectOption('sim-system');
    await page.getByLabel('Name (optional)').fill('sim-uploaded');
    await page.getByRole('button', { name: 'Add cluster' }).click();
    const connected = page.getByRole('region', { name: 'Connected clusters' });
    await connected.getByRole('rowheader', { name: /sim-uploaded/ }).waitFor();

    await connected.getByRole('button', { name: 'Test connection to sim-uploaded' }).click();
    await connected.getByText(/Reachable: Kubernetes v1\.28/).waitFor();
    await connected.getByText(/1 node/).waitFor();
    await shot('clusters');

    await connected.getByRole('button', { name: 'Remove', exact: true }).click();
    await connected.getByRole('button', { name: 'Remove sim-uploaded' }).click();
    await connected.getByText('No cluster connected yet').waitFor();

    // Connect the context the server found; it stays for the dashboard.
    const found = page.getByRole('region', { name: 'Contexts the server found' });
    await found.getByRole('button', { name: 'Connect context kube-sim' }).click();
    await found.getByText('connected', { exact: true }).waitFor();
    await connected.getByRole('rowheader', { name: /kube-sim/ }).waitFor();
  });

  it('creates a profile, runs a 3-second test and watches the live charts grow', async () => {
    await open('/performance/profiles/new');
    await heading('New profile').waitFor();
    // The API's validation problems show next to their fields.
    await page.getByLabel('Name', { exact: true }).fill('web-e2e');
    await page.getByLabel('URL', { exact: true }).fill('ftp://example');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByText(/scheme "ftp" is not supported/).first().waitFor();
    await page.getByRole('alert').getByText('Remediation').waitFor();

    await page.getByLabel('URL', { exact: true }).fill(target.url);
    await page.getByLabel('Connections').fill('4');
    await page.getByLabel('Duration (s)').fill('3');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await heading('Performance').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'web-e2e' });
    await row.waitFor();

    // Edit it: the form comes back filled in; labels are added.
    await row.getByRole('link', { name: 'Edit web-e2e' }).click();
    await heading('Edit profile').waitFor();
    expect(await page.getByLabel('Duration (s)').inputValue()).toBe('3');
    expect(await page.getByLabel('URL', { exact: true }).inputValue()).toBe(target.url);
    await page.getByLabel('Labels').fill('mesh=none, suite=web');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await heading('Performance').waitFor();
    await row.getByText('suite=web').waitFor();
    await shot('profiles');

    await row.getByRole('button', { name: 'Run web-e2e' }).click();
    await page.waitForURL(/\/performance\/runs\//);
    ids.first = page.url().split('/').pop()!;
    const cancel = page.getByRole('button', { name: 'Cancel test' });
    await cancel.waitFor();
    await expect.poll(() => points('live-rps-chart'), { timeout: 5_000, interval: 100 }).toBeGreaterThanOrEqual(1);
    const seen = await points('live-rps-chart');
    // One more sample a second later, while the test still runs.
    await expect.poll(() => points('live-rps-chart'), { timeout: 3_000, interval: 100 }).toBeGreaterThan(seen);
    expect(await cancel.isVisible()).toBe(true);
    expect(await points('live-latency-chart')).toBeGreaterThanOrEqual(1);
    await page.locator('[data-testid="live-rps-chart"] canvas').first().waitFor();
    await shot('run-live');

    await page.getByText('The test completed').waitFor({ timeout: 15_000 });
    expect(await points('live-rps-chart')).toBeGreaterThanOrEqual(3);
    expect(target.requests.count).toBeGreaterThan(100);
    await shot('run-completed');
  });

  it('opens the result: histogram, cumulative distribution, percentiles, status codes, SMP download', async () => {
    await page.getByRole('link', { name: 'Open the result' }).click();
    await heading('Performance result').waitFor();
    await expect.poll(() => points('latency-histogram')).toBeGreaterThan(0);
    expect(await points('latency-cdf')).toBeGreaterThan(1);
    expect(await points('latency-percentiles')).toBe(8);
    await page.getByRole('table', { name: 'Responses per status code' }).getByRole('rowheader', { name: '200' }).waitFor();
    await page.getByRole('table', { name: 'Latency summary' }).getByRole('rowheader', { name: 'p99.9' }).waitFor();
    expect(await page.getByRole('region', { name: 'Errors', exact: true }).getByText('No errors').count()).toBe(1);

    const link = page.getByRole('link', { name: 'Download SMP (JSON)' });
    const href = await link.getAttribute('href');
    expect(href).toBe(`/api/performance/results/${ids.first}/smp.json`);
    const smp = await page.request.get(`${host.url}${href}`);
    expect(smp.status()).toBe(200);
    expect(await smp.text()).toContain('"mesh"');
    await shot('result');
  });

  it('filters, sorts and pages the results table and compares two results as an overlay', async () => {
    [ids.second, ids.openLoop] = await Promise.all([
      startRun(server.url, {
        name: 'second run',
        spec: { url: target.url, connections: 4, durationSeconds: 2 },
        labels: [{ key: 'mesh', value: 'sidecar' }],
      }),
      startRun(server.url, {
        name: 'open loop 150',
        spec: { url: target.url, connections: 2, durationSeconds: 2, rate: 150 },
        labels: [{ key: 'mesh', value: 'none' }],
      }),
    ]);
    expect(await waitForRun(server.url, ids.second)).toBe('COMPLETED');
    expect(await waitForRun(server.url, ids.openLoop)).toBe('COMPLETED');

    // An open-loop result shows how the schedule was kept, and how long the generator was held up.
    await open(`/performance/results/${ids.openLoop}`);
    await page.getByText('Late sends').waitFor();
    await page.getByText('Generator held up').waitFor();

    await open('/performance/results');
    await heading('Performance').waitFor();
    const table = page.getByTestId('results-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);

    await page.getByLabel('Labels').fill('mesh=sidecar');
    await page.getByLabel('Labels').press('Enter');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody').textContent()).toContain('second run');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);

    await page.getByLabel('Profile').selectOption({ label: 'web-e2e' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await expect.poll(() => table.locator('th[aria-sort="ascending"]').textContent()).toContain('Name');
    await expect.poll(async () => (await table.locator('tbody tr td:nth-child(2) a').allTextContents()).join('|')).toBe(
      'open loop 150|second run|web-e2e',
    );

    await page.getByLabel('Per page').selectOption('10');
    await page.getByText('Showing 1–3 of 3').waitFor();

    const select = (name: string) => table.getByRole('row').filter({ hasText: name }).getByRole('checkbox');
    await select('web-e2e').check();
    await select('second run').check();
    await shot('results');
    await page.getByRole('button', { name: 'Compare selected (2)' }).click();
    await heading('Compare results').waitFor();
    await expect.poll(() => points('compare-histogram')).toBeGreaterThan(0);
    expect(await points('compare-cdf')).toBeGreaterThan(2);
    // Both runs are charted: the percentile chart has 8 values per result.
    expect(await points('compare-percentiles')).toBe(16);
    const metrics = page.getByTestId('comparison-table');
    expect(await metrics.getByRole('row').filter({ hasText: 'throughput' }).textContent()).toMatch(/[+−]\d+(\.\d)? %|0 %/);
    await shot('compare-2');
  });

  it('compares three results per run and shows the API’s warnings', async () => {
    await open(`/performance/compare?ids=${ids.first},${ids.second},${ids.openLoop}`);
    await heading('Compare results').waitFor();
    await expect.poll(() => points('compare-per-run-latency')).toBe(18);
    expect(await points('compare-per-run-throughput')).toBe(3);
    const warnings = page.getByTestId('comparison-warnings');
    await warnings.waitFor();
    expect(await warnings.textContent()).toMatch(/different load models/);
    await shot('compare-3');

    await page.getByRole('button', { name: 'Make second run (2) the baseline' }).click();
    await expect.poll(() => page.url()).toContain(`ids=${ids.second},${ids.first},${ids.openLoop}`);
  });

  it('shows the API’s error, probable cause and remediation for an unknown result', async () => {
    await open('/performance/results/00000000-0000-0000-0000-000000000000');
    const alert = page.getByRole('alert');
    await alert.getByText(/No performance result with id/).waitFor();
    expect(await alert.textContent()).toMatch(/NOT_FOUND.*Probable cause.*Remediation/s);
    await shot('error');
  });

  it('survives a server restart: the connection comes back and the live run reports the interruption', async () => {
    const runId = await startRun(server.url, { name: 'long run', spec: { url: target.url, connections: 2, durationSeconds: 20 } });
    await open(`/performance/runs/${runId}`);
    await expect.poll(() => points('live-rps-chart'), { timeout: 6_000, interval: 100 }).toBeGreaterThanOrEqual(2);

    await server.stop();
    await page.locator('[data-testid="connection"][data-state="reconnecting"]').waitFor({ timeout: 10_000 });
    await page.getByText('The connection to the Meshery server was lost').waitFor();
    await shot('server-restarting');

    server = await startServer({ dataDir: server.dataDir, port: server.port, env: { KUBECONFIG: path.join(tmp, 'server-kubeconfig.yaml') } });
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 20_000 });
    // The re-sent subscription reports the run's final state.
    await page.getByText('The test was interrupted').waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'Open the result' }).waitFor();
    await shot('server-restarted');

    // Queries work again after the restart, without a reload.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('region', { name: 'Latest performance results' }).getByRole('link', { name: 'long run' }).waitFor();
    await page.getByRole('region', { name: 'Clusters' }).getByText(/reachable · v1\.28/).waitFor();
    await shot('dashboard-with-results');
  });

  it('cancels a running test and keeps its partial result', async () => {
    const runId = await startRun(server.url, { name: 'cancelled run', spec: { url: target.url, connections: 2, durationSeconds: 20 } });
    await open(`/performance/runs/${runId}`);
    await expect.poll(() => points('live-rps-chart'), { timeout: 6_000, interval: 100 }).toBeGreaterThanOrEqual(1);
    await page.getByRole('button', { name: 'Cancel test' }).click();
    await page.getByText('The test was cancelled').waitFor({ timeout: 5_000 });
    expect(await waitForRun(server.url, runId, 5_000)).toBe('CANCELLED');
  });

  it('deletes a profile; its results stay', async () => {
    await open('/performance/profiles');
    const row = page.getByRole('row').filter({ hasText: 'web-e2e' });
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.getByRole('button', { name: 'Delete web-e2e' }).click();
    await page.getByText('No profile yet').waitFor();
    await open('/performance/results');
    await page.getByTestId('results-table').getByRole('link', { name: 'web-e2e' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
