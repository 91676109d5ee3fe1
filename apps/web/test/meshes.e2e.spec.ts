/**
 * The mesh pages in Debian's chromium against the real server process, with a fixture mesh plugin
 * (test/fixtures/plugins/mesh-fixture, loaded through MESHERY_PLUGINS_DIR) whose actions go
 * through the server's Kubernetes engine to kube-sim. One flow, in order: install, status, sample
 * app, injection, uninstall; then someone else's installation, a failing install and a cancelled
 * one; last, removing the cluster Meshery still manages objects on. Screenshots go to
 * apps/web/test-artifacts/ (or MESHERY_WEB_SCREENSHOTS) as web-mesh-*.png.
 */
import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchBrowser, type Browser } from './support/browser.ts';
import { consoleHost, webDist, type ConsoleHost } from './support/console-host.ts';
import { graphql } from './support/graphql.ts';
import { startServer, type ServerProcess } from './support/server.ts';

const artifacts = process.env['MESHERY_WEB_SCREENSHOTS'] ?? fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const fixturePlugins = fileURLToPath(new URL('./fixtures/plugins/', import.meta.url));

describe('mesh pages in chromium against the real server, a fixture mesh plugin and kube-sim', () => {
  let sim: KubeSim;
  let server: ServerProcess;
  let host: ConsoleHost;
  let browser: Browser;
  let page: Page;
  let contextId: string;
  const pageErrors: string[] = [];

  const open = (pathname: string) => page.goto(`${host.url}${pathname}`, { waitUntil: 'domcontentloaded' });
  const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `web-mesh-${name}.png`), fullPage: true });
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  const fixtureCard = () => page.getByRole('region', { name: 'Fixture Mesh', exact: true });
  const drawer = () => page.locator('dialog.dialog-drawer');
  const operationIn = (scope: Locator | Page, status: string) => scope.locator(`[data-testid="operation"][data-status="${status}"]`);
  const closeDrawer = async () => {
    await drawer().getByRole('button', { name: 'Close', exact: true }).last().click();
    await drawer().waitFor({ state: 'hidden' });
    expect(page.url()).not.toContain('operation=');
  };

  /** kube-sim's REST API, as another tool (kubectl, helm) would use it. */
  const kube = async (method: string, apiPath: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${apiPath}: ${response.status} ${await response.text()}`);
  };
  const namespaceLabels = () => (sim.store.get('', 'namespaces', '', 'demo')?.['metadata'] as { labels?: Record<string, string> } | undefined)?.labels ?? {};
  const operationCount = async () =>
    (await graphql<{ operations: { total: number } }>(server.url, 'query($c: ID) { operations(contextId: $c) { total } }', { c: contextId })).operations.total;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
    if (!existsSync(path.join(webDist, 'index.html'))) throw new Error('No production build in apps/web/dist: run npm run build');
    await mkdir(artifacts, { recursive: true });
    sim = await startKubeSim({ readyDelayMs: 50 });
    server = await startServer({ env: { MESHERY_PLUGINS_DIR: fixturePlugins, MESHERY_MESH_STATUS_INTERVAL_SECONDS: '1' } });
    const added = await graphql<{ addClusterConnection: { id: string } }>(
      server.url,
      'mutation($k: String!) { addClusterConnection(input: { kubeconfig: $k, name: "sim" }) { id } }',
      { k: sim.kubeconfig },
    );
    contextId = added.addClusterConnection.id;
    host = await consoleHost(server.url);
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await shot(`failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await server?.stop();
    if (server) await rm(server.dataDir, { recursive: true, force: true });
    await sim?.close();
  });

  it('lists the meshes of the chosen cluster, keeps the choice in the URL and opens dialogs from the keyboard', async () => {
    await open('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Meshes' }).click();
    await heading('Meshes').waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('cluster')).toBe(contextId);
    expect(await page.getByLabel('Cluster', { exact: true }).inputValue()).toBe(contextId);
    const card = fixtureCard();
    await card.getByText('not installed', { exact: true }).waitFor();
    expect(await card.textContent()).toMatch(/Versions1\.0\.0, 0\.9\.0/);
    expect(await card.getByRole('button', { name: 'Uninstall Fixture Mesh', exact: true }).count()).toBe(0);
    await shot('list-empty');

    // Enter opens the install dialog with focus inside; Escape closes it and focus comes back.
    const install = card.getByRole('button', { name: 'Install Fixture Mesh', exact: true });
    await install.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Install Fixture Mesh', exact: true });
    await dialog.waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.value)).toBe('1.0.0');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Install Fixture Mesh');
  });

  it('installs from the UI: options are checked before sending, then the live log runs until done', async () => {
    // Slow enough readiness to watch the operation while it runs.
    sim.setReadyDelay(1500);
    await fixtureCard().getByRole('button', { name: 'Install Fixture Mesh', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Install Fixture Mesh', exact: true });
    const version = dialog.getByLabel('Version');
    expect(await version.inputValue()).toBe('1.0.0');
    expect(await version.locator('option').allTextContents()).toEqual(['1.0.0 (default)', '0.9.0']);

    const options = dialog.getByLabel('Advanced options (optional)');
    await options.fill('{ "profile": ');
    await dialog.getByRole('button', { name: 'Install Fixture Mesh 1.0.0' }).click();
    await dialog.getByText(/Not valid JSON or YAML/).waitFor();
    expect(await options.getAttribute('aria-invalid')).toBe('true');
    expect(await operationCount()).toBe(0);
    await shot('install-dialog-invalid');

    await options.fill('profile: demo\nreplicas: 2');
    await dialog.getByRole('button', { name: 'Install Fixture Mesh 1.0.0' }).click();
    const log = drawer();
    await log.getByRole('heading', { name: 'Install Fixture Mesh 1.0.0' }).waitFor();
    await operationIn(log, 'RUNNING').waitFor();
    await log.getByRole('button', { name: 'Cancel', exact: true }).waitFor();
    await log.locator('.event[data-type="waiting"]').first().waitFor();
    expect(new URL(page.url()).searchParams.get('operation')).toMatch(/^[0-9a-f-]{36}$/);
    await shot('install-running');

    await operationIn(log, 'SUCCEEDED').waitFor({ timeout: 20_000 });
    sim.setReadyDelay(50);
    const events = log.getByRole('log');
    expect(await events.locator('.event[data-type="created"]').count()).toBeGreaterThanOrEqual(5);
    await events.getByText('Deployment fixture-system/fixture-control-plane', { exact: true }).first().waitFor();
    await events.locator('.event[data-type="done"]').getByText('Fixture Mesh 1.0.0 installed and healthy').waitFor();
    await log.getByText('Succeeded', { exact: true }).waitFor();
    expect(await log.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
    await shot('install-done');
    await closeDrawer();

    const card = fixtureCard();
    await card.getByText('healthy', { exact: true }).waitFor();
    await card.getByText('installed by Meshery', { exact: true }).waitFor();
    expect(await card.locator('dl').textContent()).toMatch(/Installedyes.*Version1\.0\.0.*Namespacefixture-system.*Installed byMeshery/s);
    await page.getByRole('table', { name: 'Recent operations' }).getByRole('rowheader', { name: 'Install Fixture Mesh 1.0.0' }).waitFor();
    await shot('list-installed');
  });

  it('shows the health checks on the status page, live: a broken part shows up and installing again repairs it', async () => {
    await fixtureCard().getByRole('link', { name: 'View status of Fixture Mesh' }).click();
    await heading('Fixture Mesh').waitFor();
    expect(new URL(page.url()).pathname).toBe('/meshes/fixture');
    expect(new URL(page.url()).searchParams.get('cluster')).toBe(contextId);
    const status = page.getByRole('region', { name: /^Status/ });
    const checks = status.getByRole('table', { name: 'Health checks' });
    const row = (component: string) => checks.getByRole('row').filter({ has: page.getByRole('rowheader', { name: component, exact: true }) });
    await row('control plane').getByText('2/2 replicas available').waitFor();
    expect(await checks.locator('tbody tr').count()).toBe(3);
    for (const component of ['control plane', 'configuration', 'CRDs']) {
      expect(await row(component).textContent()).toMatch(/✔\s*passed/);
    }
    expect(await status.textContent()).toMatch(/Version1\.0\.0.*Namespacefixture-system.*Installed byMeshery/s);
    const checkedAt = status.getByTestId('checked-at');
    const firstCheck = await checkedAt.getAttribute('datetime');
    expect(Date.now() - new Date(firstCheck!).getTime()).toBeLessThan(60_000);
    await shot('status-healthy');

    // Someone deletes the control plane's ConfigMap: the page shows it without a reload.
    await kube('DELETE', '/api/v1/namespaces/fixture-system/configmaps/fixture-config');
    await row('configuration').getByText('ConfigMap fixture-system/fixture-config is missing').waitFor({ timeout: 10_000 });
    expect(await row('configuration').textContent()).toMatch(/✖\s*failed.*Install Fixture Mesh again to restore it/);
    await status.getByText('unhealthy', { exact: true }).waitFor();
    expect(await checkedAt.getAttribute('datetime')).not.toBe(firstCheck);
    await shot('status-broken');

    await status.getByRole('button', { name: 'Install Fixture Mesh again' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install Fixture Mesh again' });
    await dialog.getByRole('button', { name: 'Install Fixture Mesh 1.0.0' }).click();
    await operationIn(drawer(), 'SUCCEEDED').waitFor({ timeout: 20_000 });
    await closeDrawer();
    await row('configuration').getByText('ConfigMap fixture-config (profile default)').waitFor({ timeout: 10_000 });
    await status.getByText('healthy', { exact: true }).waitFor();
  });

  /** The row of the deployed sample app in a namespace, on the status page. */
  const deployedApp = (namespace: string) =>
    page
      .getByRole('region', { name: 'Sample apps' })
      .getByRole('table', { name: 'Deployed sample apps' })
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: namespace, exact: true }) });

  it('deploys a sample app into a namespace whose name is checked first; the card lists it, ready', async () => {
    const samples = page.getByRole('region', { name: 'Sample apps' });
    await samples.getByText('None: Meshery has not deployed a Fixture Mesh sample app on sim.', { exact: true }).waitFor();
    const namespace = samples.getByLabel('Namespace');
    expect(await namespace.inputValue()).toBe('hello');
    await namespace.fill('Demo_NS');
    const before = await operationCount();
    await samples.getByRole('button', { name: 'Deploy Hello' }).click();
    await samples.getByText(/Use lower-case letters/).waitFor();
    expect(await operationCount()).toBe(before);

    await namespace.fill('demo');
    await samples.getByRole('button', { name: 'Deploy Hello' }).click();
    await operationIn(drawer(), 'SUCCEEDED').waitFor({ timeout: 20_000 });
    await drawer().getByRole('log').getByText('Deployment demo/hello', { exact: true }).first().waitFor();
    await closeDrawer();
    expect(sim.store.get('apps', 'deployments', 'demo', 'hello')).toBeDefined();

    // The live status names what Meshery deployed: app, namespace, ready.
    const row = deployedApp('demo');
    await row.getByText('ready', { exact: true }).waitFor();
    expect(await row.getByRole('rowheader').textContent()).toBe('Hello hello');
    expect(await samples.getByRole('table', { name: 'Deployed sample apps' }).locator('tbody tr').count()).toBe(1);
  });

  it('turns sidecar injection on for the namespace, lists it, and turns it off from the list; the label follows in the cluster', async () => {
    const injection = page.getByRole('region', { name: 'Sidecar injection' });
    await injection.getByText('No namespace on sim: new pods get no Fixture Mesh sidecar.', { exact: true }).waitFor();
    await injection.getByLabel('Namespace').fill('demo');
    const toggle = injection.getByRole('switch', { name: 'Injection' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await injection.getByRole('button', { name: 'Enable injection' }).click();
    await operationIn(drawer(), 'SUCCEEDED').waitFor({ timeout: 20_000 });
    await drawer().getByText('Namespace demo labelled fixture.meshery.io/inject=enabled').waitFor();
    await shot('injection-enabled');
    await closeDrawer();
    expect(namespaceLabels()['fixture.meshery.io/inject']).toBe('enabled');

    // The live status lists the namespace, next to the sample app deployed there.
    const on = injection.getByRole('list', { name: 'Namespaces with injection on' });
    await on.getByText('demo', { exact: true }).waitFor();
    expect(await on.locator('li').count()).toBe(1);
    await deployedApp('demo').waitFor();
    await shot('status-page');

    // Space flips the switch from the keyboard, and back.
    await toggle.focus();
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await injection.getByRole('button', { name: 'Disable injection', exact: true }).waitFor();
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-checked')).toBe('true');

    // Disable in the list turns it off for that namespace.
    await on.getByRole('button', { name: 'Disable injection for demo', exact: true }).click();
    const log = drawer();
    await log.getByRole('heading', { name: 'Disable Fixture Mesh injection for namespace demo' }).waitFor();
    await operationIn(log, 'SUCCEEDED').waitFor({ timeout: 20_000 });
    await log.getByText('Label fixture.meshery.io/inject removed from namespace demo').waitFor();
    await closeDrawer();
    expect(namespaceLabels()['fixture.meshery.io/inject']).toBeUndefined();
    await injection.getByText('No namespace on sim: new pods get no Fixture Mesh sidecar.', { exact: true }).waitFor();
  });

  it('lists a sample app whose deployment was cut short as not ready; Remove in the list takes it away', async () => {
    const samples = page.getByRole('region', { name: 'Sample apps' });
    sim.setReadyDelay(60_000);
    try {
      await samples.getByLabel('Namespace').fill('slow');
      await samples.getByRole('button', { name: 'Deploy Hello' }).click();
      const log = drawer();
      await log.locator('.event[data-type="waiting"]').first().waitFor({ timeout: 10_000 });
      await log.getByRole('button', { name: 'Cancel', exact: true }).click();
      await operationIn(log, 'CANCELLED').waitFor({ timeout: 10_000 });
      await closeDrawer();
    } finally {
      sim.setReadyDelay(50);
    }
    const row = deployedApp('slow');
    await row.getByText('not ready', { exact: true }).waitFor();
    await samples.getByText(/^Not ready: its deployment is under way or was cut short\./).waitFor();
    // The one deployed before is still ready.
    await deployedApp('demo').getByText('ready', { exact: true }).waitFor();
    await shot('sample-app-not-ready');

    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await row.getByRole('button', { name: 'Remove Hello from slow' }).click();
    const log = drawer();
    await log.getByRole('heading', { name: /slow/ }).waitFor();
    await operationIn(log, 'SUCCEEDED').waitFor({ timeout: 20_000 });
    await closeDrawer();
    await row.waitFor({ state: 'detached' });
    expect(sim.store.get('apps', 'deployments', 'slow', 'hello')).toBeUndefined();
    await expect.poll(() => sim.store.get('', 'namespaces', '', 'slow')).toBeUndefined();
  });

  it('removes the sample app from the list after confirming', async () => {
    const samples = page.getByRole('region', { name: 'Sample apps' });
    const row = deployedApp('demo');
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await row.getByRole('button', { name: 'Remove Hello from demo' }).click();
    await operationIn(drawer(), 'SUCCEEDED').waitFor({ timeout: 20_000 });
    await closeDrawer();
    expect(sim.store.get('apps', 'deployments', 'demo', 'hello')).toBeUndefined();
    // The deployment created the namespace, so the removal took it too.
    await expect.poll(() => sim.store.get('', 'namespaces', '', 'demo')).toBeUndefined();
    await samples.getByText('None: Meshery has not deployed a Fixture Mesh sample app on sim.', { exact: true }).waitFor();
  });

  it('uninstalls after a confirmation that names what goes, then detects the mesh as not installed', async () => {
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Meshes' }).click();
    await heading('Meshes').waitFor();
    const card = fixtureCard();
    await card.getByRole('button', { name: 'Uninstall Fixture Mesh', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Uninstall Fixture Mesh 1.0.0 from sim?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/control plane in namespace fixture-system/);
    const objects = dialog.getByRole('list', { name: 'Objects that will be removed' });
    await objects.getByText('Deployment fixture-system/fixture-control-plane').waitFor();
    expect(await objects.locator('li').allTextContents()).toEqual([
      'Namespace fixture-system',
      'CustomResourceDefinition meshpolicies.fixture.meshery.io',
      'ConfigMap fixture-system/fixture-config',
      'Service fixture-system/fixture-control-plane',
      'Deployment fixture-system/fixture-control-plane',
    ]);
    // The safe choice has the focus.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep it');
    await shot('uninstall-confirm');

    await dialog.getByRole('button', { name: 'Uninstall Fixture Mesh', exact: true }).click();
    const log = drawer();
    await operationIn(log, 'SUCCEEDED').waitFor({ timeout: 20_000 });
    expect(await log.locator('.event[data-type="deleted"]').count()).toBeGreaterThanOrEqual(5);
    await shot('uninstall-done');
    await closeDrawer();
    await card.getByText('not installed', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Install Fixture Mesh', exact: true }).waitFor();
    expect(sim.store.get('apps', 'deployments', 'fixture-system', 'fixture-control-plane')).toBeUndefined();
    expect(sim.store.get('apiextensions.k8s.io', 'customresourcedefinitions', '', 'meshpolicies.fixture.meshery.io')).toBeUndefined();
  });

  it('does not offer to uninstall an installation someone else made, and says why', async () => {
    await kube('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fixture-system' } });
    const labels = { app: 'fixture-control-plane', 'app.kubernetes.io/version': '0.9.0' };
    await kube('POST', '/apis/apps/v1/namespaces/fixture-system/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'fixture-control-plane', labels },
      spec: { replicas: 1, selector: { matchLabels: { app: 'fixture-control-plane' } }, template: { metadata: { labels }, spec: { containers: [{ name: 'cp', image: 'x' }] } } },
    });
    const card = fixtureCard();
    // The card's live status picks it up without a reload.
    await card.getByText('installed by someone else', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await card.locator('dl').textContent()).toMatch(/Version0\.9\.0.*Installed bysomeone else/s);
    const uninstall = card.getByRole('button', { name: 'Uninstall Fixture Mesh', exact: true });
    expect(await uninstall.isDisabled()).toBe(true);
    const note = card.getByText(/Uninstall is off: Fixture Mesh was installed by someone else/);
    await note.waitFor();
    expect(await uninstall.getAttribute('aria-describedby')).toBe(await note.getAttribute('id'));
    expect(await card.getByRole('button', { name: 'Install Fixture Mesh', exact: true }).count()).toBe(0);
    await shot('foreign');

    await kube('DELETE', '/api/v1/namespaces/fixture-system');
    await card.getByText('not installed', { exact: true }).waitFor({ timeout: 10_000 });
  });

  it('shows the code, probable cause and remedy of an install that fails, also on the operation’s own page', async () => {
    await fixtureCard().getByRole('button', { name: 'Install Fixture Mesh', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Install Fixture Mesh', exact: true });
    await dialog.getByLabel('Advanced options (optional)').fill('{"profile": "huge"}');
    await dialog.getByRole('button', { name: 'Install Fixture Mesh 1.0.0' }).click();
    const log = drawer();
    await operationIn(log, 'FAILED').waitFor({ timeout: 20_000 });
    const alert = log.getByRole('alert');
    expect(await alert.textContent()).toMatch(
      /The operation failed.*Unknown profile "huge".*CodeINVALID_REQUEST.*Probable cause.*does not accept.*Remediation.*Use one of default, minimal, demo/s,
    );
    await shot('install-failed');

    await log.getByRole('link', { name: 'Open on its own page' }).click();
    await heading('Operation').waitFor();
    await operationIn(page, 'FAILED').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/INVALID_REQUEST.*Remediation/s);
    expect(await page.getByRole('log').locator('.event[data-type="failed"]').count()).toBe(1);
    await shot('operation-page');
    await page.getByRole('link', { name: 'Meshes on this cluster' }).click();
    await heading('Meshes').waitFor();
    await fixtureCard().getByText('not installed', { exact: true }).waitFor();
  });

  it('cancels a slow install from its log', async () => {
    sim.setReadyDelay(60_000);
    try {
      await fixtureCard().getByRole('button', { name: 'Install Fixture Mesh', exact: true }).click();
      await page.getByRole('dialog', { name: 'Install Fixture Mesh', exact: true }).getByRole('button', { name: 'Install Fixture Mesh 1.0.0' }).click();
      const log = drawer();
      await log.locator('.event[data-type="waiting"]').first().waitFor({ timeout: 10_000 });
      const id = new URL(page.url()).searchParams.get('operation')!;
      const startedAt = Date.now();
      await log.getByRole('button', { name: 'Cancel', exact: true }).click();
      await operationIn(log, 'CANCELLED').waitFor({ timeout: 10_000 });
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      await log.getByText('Cancelled', { exact: true }).waitFor();
      await log.getByRole('log').getByText('Cancellation requested').waitFor();
      const { operation } = await graphql<{ operation: { status: string } }>(server.url, 'query($id: ID!) { operation(id: $id) { status } }', { id });
      expect(operation.status).toBe('CANCELLED');
      await shot('install-cancelled');
      await closeDrawer();
    } finally {
      sim.setReadyDelay(50);
    }
    // What was applied before the cancellation is Meshery's: it can be installed again or removed.
    const card = fixtureCard();
    await card.getByText('installed by Meshery', { exact: true }).waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: 'Uninstall Fixture Mesh', exact: true }).waitFor();
  });

  it('says "Reconnecting…" while the server is away and resumes the live status when it is back', async () => {
    await open(`/meshes/fixture?cluster=${contextId}`);
    const status = page.getByRole('region', { name: /^Status/ });
    const checkedAt = status.getByTestId('checked-at');
    await checkedAt.waitFor();
    await status.getByText('Live', { exact: true }).waitFor();

    await server.stop();
    await status.getByText('Reconnecting…', { exact: true }).waitFor({ timeout: 10_000 });
    await page.getByText('The connection to the Meshery server was lost').waitFor();
    await shot('status-reconnecting');
    const before = await checkedAt.getAttribute('datetime');

    server = await startServer({
      dataDir: server.dataDir,
      port: server.port,
      env: { MESHERY_PLUGINS_DIR: fixturePlugins, MESHERY_MESH_STATUS_INTERVAL_SECONDS: '1' },
    });
    await status.getByText('Live', { exact: true }).waitFor({ timeout: 20_000 });
    // The re-sent subscription starts with a fresh check.
    await expect.poll(() => checkedAt.getAttribute('datetime'), { timeout: 10_000 }).not.toBe(before);
    await status.getByRole('table', { name: 'Health checks' }).waitFor();
  });

  it('shows the meshes of each cluster on the dashboard', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await heading('Dashboard').waitFor();
    const meshes = page.getByRole('region', { name: 'Meshes', exact: true });
    await meshes.getByText(/^Fixture Mesh 1\.0\.0 · (healthy|unhealthy)$/).waitFor();
    await shot('dashboard');
    await meshes.getByRole('link', { name: 'Meshes on sim' }).click();
    await heading('Meshes').waitFor();
    expect(new URL(page.url()).searchParams.get('cluster')).toBe(contextId);
    expect(pageErrors).toEqual([]);
  });

  it('refuses to remove a cluster Meshery still manages objects on, and removes it anyway after a confirmation that they stay', async () => {
    const connections = async () => (await graphql<{ clusterConnections: { id: string }[] }>(server.url, 'query { clusterConnections { id } }')).clusterConnections;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clusters' }).click();
    await heading('Clusters').waitFor();
    const connected = page.getByRole('region', { name: 'Connected clusters' });
    // The installation cancelled above left Meshery's objects (and its inventory) on sim.
    await connected.getByRole('button', { name: 'Remove', exact: true }).click();
    await connected.getByRole('button', { name: 'Remove sim' }).click();
    const refusal = connected.getByRole('alert');
    await refusal.getByText('PRECONDITION_FAILED', { exact: true }).waitFor();
    expect(await refusal.textContent()).toMatch(/Meshery still manages \d+ object\(s\) on this cluster/);
    expect(await connections()).toHaveLength(1);

    await refusal.getByRole('button', { name: 'Remove anyway' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove sim anyway?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Removing the connection anyway makes Meshery forget them: the objects stay in the cluster/);
    // The safe choice has the focus, and keeps the connection.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep the connection');
    await shot('cluster-remove-anyway');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await connections()).toHaveLength(1);

    await refusal.getByRole('button', { name: 'Remove anyway' }).click();
    await dialog.getByRole('button', { name: 'Remove anyway' }).click();
    await connected.getByText('No cluster connected yet').waitFor();
    expect(await connections()).toEqual([]);
    // Meshery forgot them; the objects are still in the cluster.
    expect(sim.store.get('apps', 'deployments', 'fixture-system', 'fixture-control-plane')).toBeDefined();
    expect(pageErrors).toEqual([]);
  });
});
