import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKubeSim, type KubeSim } from '@meshery/kube-sim';
import { closedPort } from '@meshery/plugin-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli, spawnCli, startServer, tempDir, type CliRun, type ServerProcess } from './support/processes.js';

/**
 * mesheryctl mesh against a real server process and kube-sim, with the fixture mesh plugin of
 * test/fixtures/plugins/mesh-fixture (a Deployment and a ConfigMap in fixture-system, applied
 * through the server's Kubernetes engine). The tests run in order: each starts from where the
 * previous one left the cluster.
 */

const TOKEN = 'cli-mesh-test-token';
const fixturePlugins = fileURLToPath(new URL('./fixtures/plugins', import.meta.url));

let sim: KubeSim;
let server: ServerProcess;
let env: Record<string, string>;
let clusterId: string;

const cli = (args: string[], options?: Parameters<typeof runCli>[2]): Promise<CliRun> => runCli(args, env, options);

function expectExit(run: CliRun, code: number): void {
  if (run.code !== code) throw new Error(`expected exit ${code}, got ${run.code} (${run.signal ?? 'no signal'})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
}

function json<T = any>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n--- stderr:\n${run.stderr}`);
  }
}

/** Every stdout line as JSON (the events of an operation with -o json). */
function jsonLines<T = any>(run: CliRun): T[] {
  return run.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`not a JSON line: ${line}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
      }
    });
}

/** GraphQL straight to the server, to check what the CLI did. */
async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

const operationStatus = async (id: string) =>
  (await gql<{ operation: { status: string } }>(`query O($id: ID!) { operation(id: $id) { status } }`, { id })).operation.status;

const operationIdOf = (run: { stderr: string } | string) => {
  const text = typeof run === 'string' ? run : run.stderr;
  const match = /Operation ([0-9a-f-]{36}) started/.exec(text);
  if (!match) throw new Error(`no operation id in:\n${text}`);
  return match[1]!;
};

const namespaceLabels = (name: string) => (sim.store.get('', 'namespaces', '', name)?.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
const controlPlane = () => sim.store.get('apps', 'deployments', 'fixture-system', 'fixture-control-plane') as { spec?: { replicas?: number } } | undefined;

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  sim = await startKubeSim({ readyDelayMs: 50 });
  server = await startServer({ MESHERY_TOKEN: TOKEN, MESHERY_PLUGINS_DIR: fixturePlugins, MESHERY_MESH_STATUS_INTERVAL_SECONDS: '1' });
  const home = await tempDir('meshery-cli-mesh-');
  const configFile = path.join(home, 'config.yaml');
  await writeFile(configFile, `current: test\nservers:\n  test:\n    url: ${server.url}\n    token: ${TOKEN}\n`);
  env = { HOME: home, MESHERY_CONFIG: configFile, MESHERY_DATA_DIR: path.join(home, 'data') };
  const kubeconfig = path.join(home, 'kubeconfig.yaml');
  await writeFile(kubeconfig, sim.kubeconfig, { mode: 0o600 });
  const added = await cli(['cluster', 'add', '--kubeconfig', kubeconfig, '--name', 'sim', '-o', 'json']);
  expectExit(added, 0);
  clusterId = json<{ id: string }>(added).id;
});

afterAll(async () => {
  await server?.stop();
  await sim?.close();
  await removeTempDirs();
});

describe('mesheryctl mesh: the lifecycle of a mesh on a cluster', () => {
  it('mesh list shows the fixture mesh, its versions with the default marked, and its sample app', async () => {
    const table = await cli(['mesh', 'list']);
    expectExit(table, 0);
    expect(table.stdout).toMatch(/│ fixture\s+│ Fixture mesh\s+│ 1\.1\.0 \(default\), 1\.0\.0\s+│ hello\s+│ mesh-fixture\s+│/);

    const listed = await cli(['mesh', 'list', '-o', 'json']);
    expectExit(listed, 0);
    expect(json<{ mesh: string }[]>(listed).find((m) => m.mesh === 'fixture')).toEqual({
      mesh: 'fixture',
      displayName: 'Fixture mesh',
      pluginId: 'mesh-fixture',
      operations: ['install', 'uninstall', 'status', 'sample-apps', 'injection'],
      versions: [
        { version: '1.1.0', default: true },
        { version: '1.0.0', default: false },
      ],
      defaultVersion: '1.1.0',
      sampleApps: [{ name: 'hello', displayName: 'Hello', description: 'One Deployment and its Service' }],
    });
  });

  it('status of a mesh that is not installed exits 5 and says how to install it', async () => {
    const run = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim']);
    expectExit(run, 5);
    expect(run.stdout).toContain('fixture is not installed on cluster sim');
    expect(run.stderr).toContain('remediation: Install it with "mesheryctl mesh install fixture --cluster sim".');
  });

  it('install prints each event as it happens and exits 0 when done; the options reach the plugin', async () => {
    const optionsFile = path.join(await tempDir('meshery-cli-options-'), 'options.yaml');
    await writeFile(optionsFile, 'replicas: 3\ndelaySeconds: 0\n');
    const run = await cli(['mesh', 'install', 'fixture', '--cluster', 'sim', '--version', '1.0.0', '--options-file', optionsFile, '--option', 'replicas=2']);
    expectExit(run, 0);
    expect(run.stderr).toMatch(/Operation [0-9a-f-]{36} started: Install Fixture mesh 1\.0\.0 on cluster sim \(/);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d {2}step {7}Applying fixture mesh 1\.0\.0 into fixture-system$/);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ created {4}Namespace fixture-system created$/),
        expect.stringMatching(/ created {4}Deployment fixture-system\/fixture-control-plane created$/),
        expect.stringMatching(/ ready {6}Deployment fixture-system\/fixture-control-plane is ready/),
      ]),
    );
    expect(lines.at(-1)).toMatch(/ done {7}Fixture mesh 1\.0\.0 installed and healthy$/);
    expect(controlPlane()?.spec?.replicas).toBe(2);
  });

  it('status of the installed mesh shows every check passing and exits 0; by id and as JSON too', async () => {
    const run = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim']);
    expectExit(run, 0);
    expect(run.stdout).toContain('fixture on cluster sim: installed (version 1.0.0 in fixture-system), managed by Meshery, healthy');
    expect(run.stdout).toMatch(/│ ✔ │ control plane\s+│ 2\/2 replicas ready\s+│/);
    expect(run.stdout).toMatch(/│ ✔ │ configuration\s+│ ConfigMap fixture-system\/fixture-config present\s+│/);
    expect(run.stdout).not.toContain('✖');
    // After the checks: no namespace has injection on yet, no sample app is deployed.
    expect(run.stdout.trimEnd().split('\n').slice(-2)).toEqual(['Injection on in: none', 'Sample apps: none']);

    const byId = await cli(['mesh', 'status', 'fixture', '--cluster', clusterId, '-o', 'json']);
    expectExit(byId, 0);
    expect(json(byId)).toMatchObject({
      contextId: clusterId,
      mesh: 'fixture',
      installed: true,
      version: '1.0.0',
      namespace: 'fixture-system',
      managedByMeshery: true,
      healthy: true,
      injectionNamespaces: [],
      sampleApps: [],
    });
  });

  it('detect lists every known mesh on the cluster: the fixture installed by Meshery', async () => {
    const run = await cli(['mesh', 'detect', '--cluster', 'sim']);
    expectExit(run, 0);
    expect(run.stdout).toMatch(/│ fixture\s+│ yes\s+│ 1\.0\.0\s+│ fixture-system\s+│ Meshery\s+│ yes\s+│/);
    const detected = await cli(['mesh', 'detect', '--cluster', 'sim', '-o', 'yaml']);
    expectExit(detected, 0);
    expect(detected.stdout).toContain('mesh: fixture\n  installed: true\n  version: 1.0.0\n  namespace: fixture-system\n  managedByMeshery: true');
  });

  it('inject --enable labels the namespace in the cluster, --disable removes the label', async () => {
    const enabled = await cli(['mesh', 'inject', 'fixture', '--namespace', 'default', '--cluster', 'sim', '--enable']);
    expectExit(enabled, 0);
    expect(enabled.stdout).toMatch(/ done {7}Fixture mesh injection for namespace default enabled$/m);
    expect(namespaceLabels('default')['fixture.meshery.io/inject']).toBe('enabled');
    const on = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim']);
    expectExit(on, 0);
    expect(on.stdout).toContain('\nInjection on in: default\n');
    const onYaml = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim', '-o', 'yaml']);
    expectExit(onYaml, 0);
    expect(onYaml.stdout).toContain('injectionNamespaces:\n  - default\nsampleApps: []\n');

    const disabled = await cli(['mesh', 'inject', 'fixture', '-n', 'default', '--cluster', 'sim', '--disable']);
    expectExit(disabled, 0);
    expect(namespaceLabels('default')).not.toHaveProperty('fixture.meshery.io/inject');
    const off = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim']);
    expectExit(off, 0);
    expect(off.stdout).toContain('\nInjection on in: none\n');
  });

  it('inject --no-wait -o json prints the running operation and returns; the operation then ends on its own', async () => {
    const run = await cli(['mesh', 'inject', 'fixture', '-n', 'default', '--cluster', 'sim', '--enable', '--no-wait', '-o', 'json']);
    expectExit(run, 0);
    const operation = json<{ id: string; kind: string; status: string; summary: string }>(run);
    expect(operation).toMatchObject({ kind: 'set-injection', summary: 'Enable Fixture mesh injection for namespace default' });
    await until(async () => (await operationStatus(operation.id)) === 'SUCCEEDED', 'the injection operation');
    expect(namespaceLabels('default')['fixture.meshery.io/inject']).toBe('enabled');
  });

  it('sample-app deploy -o json prints one JSON event per line and deploys; remove takes it away again', async () => {
    const deployed = await cli(['mesh', 'sample-app', 'deploy', 'fixture', 'hello', '--namespace', 'hello-demo', '--cluster', 'sim', '-o', 'json']);
    expectExit(deployed, 0);
    const events = jsonLines<{ operationId: string; seq: number; type: string; summary: string }>(deployed);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.operationId))).toEqual(new Set([operationIdOf(deployed)]));
    expect(events.at(-1)).toMatchObject({ type: 'done', summary: 'hello deployed into hello-demo' });
    expect(sim.store.get('apps', 'deployments', 'hello-demo', 'hello')).toBeDefined();
    expect(sim.store.get('', 'services', 'hello-demo', 'hello')).toBeDefined();

    // Status names it (and the namespace the previous test left with injection on).
    const status = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim']);
    expectExit(status, 0);
    expect(status.stdout).toContain('\nInjection on in: default\nSample apps:\n');
    expect(status.stdout).toMatch(/│ app\s+│ namespace\s+│ state\s+│\n│ hello │ hello-demo │ ready │/);
    expect(status.stdout).not.toContain('not ready');
    const statusJson = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim', '-o', 'json']);
    expectExit(statusJson, 0);
    expect(json(statusJson)).toMatchObject({ injectionNamespaces: ['default'], sampleApps: [{ app: 'hello', namespace: 'hello-demo', ready: true }] });

    const removed = await cli(['mesh', 'sample-app', 'remove', 'fixture', 'hello', '-n', 'hello-demo', '--cluster', 'sim']);
    expectExit(removed, 0);
    expect(removed.stdout).toMatch(/ deleted {4}Deployment hello-demo\/hello deleted$/m);
    await until(() => sim.store.get('', 'namespaces', '', 'hello-demo') === undefined, 'the sample namespace to go');
    expect(sim.store.get('apps', 'deployments', 'hello-demo', 'hello')).toBeUndefined();
    const after = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim', '-o', 'json']);
    expectExit(after, 0);
    expect(json(after)).toMatchObject({ injectionNamespaces: ['default'], sampleApps: [] });
  });

  it('status shows a sample app as not ready while its deployment runs and after it was cut short; remove still takes it away', async () => {
    sim.setReadyDelay(60_000);
    const deploy = spawnCli(['mesh', 'sample-app', 'deploy', 'fixture', 'hello', '-n', 'slow-demo', '--cluster', 'sim'], env);
    try {
      await deploy.waitFor(/ waiting {4}waiting for Deployment slow-demo\/hello to be ready/);
      const running = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim', '-o', 'json']);
      expectExit(running, 0);
      expect(json(running).sampleApps).toEqual([{ app: 'hello', namespace: 'slow-demo', ready: false }]);
    } finally {
      // Ctrl-C cancels the deployment on the server: it is cut short.
      deploy.child.kill('SIGINT');
      sim.setReadyDelay(50);
    }
    expectExit(await deploy.done, 130);

    const cut = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim']);
    expectExit(cut, 0);
    expect(cut.stdout).toMatch(/│ hello │ slow-demo │ not ready │/);
    expect(cut.stdout).toContain('not ready: its deployment is under way or was cut short (deploy it again to finish it, or remove it)');

    const removed = await cli(['mesh', 'sample-app', 'remove', 'fixture', 'hello', '-n', 'slow-demo', '--cluster', 'sim']);
    expectExit(removed, 0);
    await until(() => sim.store.get('', 'namespaces', '', 'slow-demo') === undefined, 'the sample namespace to go');
    const after = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim']);
    expectExit(after, 0);
    expect(after.stdout).toContain('\nSample apps: none');
  });

  it('status of a broken mesh marks the failed check with its remediation and exits 5', async () => {
    const response = await fetch(`${sim.url}/api/v1/namespaces/fixture-system/configmaps/fixture-config`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${sim.token}` },
    });
    expect(response.status).toBe(200);
    const run = await cli(['mesh', 'status', 'fixture', '--cluster', 'sim']);
    expectExit(run, 5);
    expect(run.stdout).toContain('managed by Meshery, NOT healthy');
    expect(run.stdout).toMatch(/│ ✔ │ control plane\s+│ 2\/2 replicas ready\s+│\s+│/);
    expect(run.stdout).toMatch(/│ ✖ │ configuration\s+│ ConfigMap fixture-system\/fixture-config is missing\s+│ Install the mesh again to restore it: mesheryctl mesh install fixture\s+│/);
    expect(run.stderr).toContain('Error: fixture on cluster sim is not healthy: 1 of 2 checks failed (configuration)');
  });

  it('uninstall removes what the installation created, after which status exits 5 again', async () => {
    const run = await cli(['mesh', 'uninstall', 'fixture', '--cluster', 'sim']);
    expectExit(run, 0);
    expect(run.stdout).toMatch(/ deleted {4}Deployment fixture-system\/fixture-control-plane deleted$/m);
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/ done {7}Fixture mesh removed$/);
    await until(() => sim.store.get('', 'namespaces', '', 'fixture-system') === undefined, 'fixture-system to go');
    expect(controlPlane()).toBeUndefined();
    expectExit(await cli(['mesh', 'status', 'fixture', '--cluster', 'sim']), 5);
  });
});

describe('mesheryctl mesh: failures', () => {
  it('an install the plugin refuses exits 6 with the code, probable cause and remediation', async () => {
    const run = await cli(['mesh', 'install', 'fixture', '--cluster', 'sim', '--version', '9.9.9']);
    expectExit(run, 6);
    expect(run.stdout).toMatch(/ failed {5}Fixture mesh 9\.9\.9 is not a version this plugin can install \[UNSUPPORTED_VERSION\]$/m);
    expect(run.stderr).toContain(`Error: operation ${operationIdOf(run)} failed: Fixture mesh 9.9.9 is not a version this plugin can install`);
    expect(run.stderr).toContain('code:        UNSUPPORTED_VERSION');
    expect(run.stderr).toContain('cause:       The plugin ships releases 1.1.0 and 1.0.0 only.');
    expect(run.stderr).toContain('remediation: Pick one of the versions "mesheryctl mesh list" shows');
    expect(await operationStatus(operationIdOf(run))).toBe('FAILED');
  });

  it('with -o json a failed install still prints JSON lines, the last one the failure', async () => {
    const run = await cli(['mesh', 'install', 'fixture', '--cluster', 'sim', '--option', 'colour=blue', '-o', 'json']);
    expectExit(run, 6);
    const events = jsonLines(run);
    expect(events.at(-1)).toMatchObject({ type: 'failed', error: { code: 'INVALID_REQUEST', message: 'Unknown install option "colour"', remediation: 'Use replicas or delaySeconds.' } });
  });

  it('Ctrl-C during a slow install cancels the operation on the server and exits 130', async () => {
    const install = spawnCli(['mesh', 'install', 'fixture', '--cluster', 'sim', '--option', 'delaySeconds=60'], env);
    await install.waitFor(/Downloading fixture mesh 1\.1\.0 \(60 s\)/);
    const id = operationIdOf(install.stderr());
    install.child.kill('SIGINT');
    const run = await install.done;
    expectExit(run, 130);
    expect(run.elapsedMs).toBeLessThan(15_000);
    expect(run.stderr).toContain(`SIGINT: cancelling operation ${id} on the server`);
    expect(run.stderr).toContain(`Error: interrupted: operation ${id} (Install Fixture mesh) was cancelled on the server`);
    expect(run.stdout).toMatch(/ failed {5}.*\[CANCELLED\]$/m);
    expect(await operationStatus(id)).toBe('CANCELLED');
    expect(controlPlane()).toBeUndefined();
  });

  it('an install that outlives --timeout is cancelled on the server and exits 8', async () => {
    const run = await cli(['mesh', 'install', 'fixture', '--cluster', 'sim', '--option', 'delaySeconds=60', '--timeout', '1s']);
    expectExit(run, 8);
    expect(run.elapsedMs).toBeLessThan(10_000);
    const id = operationIdOf(run);
    expect(run.stderr).toContain(`Error: operation ${id} (Install Fixture mesh) did not end within 1s (--timeout)`);
    expect(run.stderr).toContain(`operation ${id} was cancelled on the server.`);
    await until(async () => (await operationStatus(id)) === 'CANCELLED', 'the operation to be cancelled');
  });

  it('status --watch prints the status, then each change, until Ctrl-C (exit 130)', async () => {
    const watch = spawnCli(['mesh', 'status', 'fixture', '--cluster', 'sim', '--watch', '-o', 'json'], env);
    await watch.waitFor(/"installed":false/);
    const install = await cli(['mesh', 'install', 'fixture', '--cluster', 'sim']);
    expectExit(install, 0);
    await watch.waitFor(/"installed":true.*"healthy":true/);
    watch.child.kill('SIGINT');
    const run = await watch.done;
    expectExit(run, 130);
    const statuses = jsonLines<{ installed: boolean; healthy: boolean; version: string | null }>(run);
    expect(statuses[0]).toMatchObject({ installed: false });
    expect(statuses.at(-1)).toMatchObject({ installed: true, healthy: true, version: '1.1.0' });
    expect(run.stderr).toContain('stopped watching fixture on cluster sim (SIGINT)');
    expectExit(await cli(['mesh', 'uninstall', 'fixture', '--cluster', 'sim']), 0);
  });

  it('an unknown cluster name is an API error (exit 4) that names the connections there are', async () => {
    const run = await cli(['mesh', 'install', 'fixture', '--cluster', 'no-such-cluster']);
    expectExit(run, 4);
    expect(run.stderr).toContain('Error: No cluster connection with id or name "no-such-cluster"');
    expect(run.stderr).toContain('code:        NOT_FOUND');
    expect(run.stderr).toContain(`cause:       The server knows one connection: sim (${clusterId}).`);
    expect(run.stderr).toContain('mesheryctl cluster list');
  });

  it('an unknown mesh is refused by the server (exit 4) with the meshes it has', async () => {
    const run = await cli(['mesh', 'status', 'consul', '--cluster', 'sim']);
    expectExit(run, 4);
    expect(run.stderr).toContain('code:        INVALID_REQUEST');
    expect(run.stderr).toMatch(/no loaded plugin manages "consul"; available: .*fixture/);
  });
});

describe('mesheryctl mesh: bad input is refused before any request (exit 2)', () => {
  // A closed port: a command that sent anything would fail with exit 3 instead.
  let offline: string[];
  beforeAll(async () => {
    offline = ['--server', `http://127.0.0.1:${await closedPort()}`];
  });

  it.each([
    [['mesh', 'install', 'fixture'], "required option '--cluster <id|name>' not specified"],
    [['mesh', 'install', 'Fixture', '--cluster', 'sim'], '"Fixture" is not a mesh id'],
    [['mesh', 'install', 'fixture', '--cluster', 'sim', '--option', 'replicas'], '--option "replicas" is not NAME=VALUE'],
    [['mesh', 'install', 'fixture', '--cluster', 'sim', '--option', 'list=[a, b'], '--option "list=[a, b": the value [a, b is neither JSON nor YAML flow'],
    [['mesh', 'install', 'fixture', '--cluster', 'sim', '--options-file', '/no/such/file.yaml'], 'cannot read /no/such/file.yaml'],
    [['mesh', 'install', 'fixture', '--cluster', 'sim', '--timeout', 'soon'], '--timeout "soon" is not a duration'],
    [['mesh', 'inject', 'fixture', '--namespace', 'default', '--cluster', 'sim'], 'say whether to turn injection on or off: --enable or --disable'],
    [['mesh', 'inject', 'fixture', '--namespace', 'default', '--cluster', 'sim', '--enable', '--disable'], 'give either --enable or --disable, not both'],
    [['mesh', 'sample-app', 'deploy', 'fixture', 'hello', '--namespace', 'Hello_World', '--cluster', 'sim'], '--namespace "Hello_World" is not a valid namespace name'],
    [['mesh', 'status', 'fixture', '--cluster', 'sim', '-o', 'xml'], '-o "xml" is not an output format'],
    [['mesh', 'detect'], "required option '--cluster <id|name>' not specified"],
    [['mesh', 'list', '--version', '2'], '--version takes no value here ("2")'],
  ])('%j', async (args, message) => {
    const run = await cli([...offline, ...args]);
    expectExit(run, 2);
    expect(run.stderr).toContain(message);
  });

  it('an options file that is not a mapping is refused, naming the file', async () => {
    const file = path.join(await tempDir('meshery-cli-options-'), 'options.yaml');
    await writeFile(file, '- replicas\n- 2\n');
    const run = await cli([...offline, 'mesh', 'install', 'fixture', '--cluster', 'sim', '--options-file', file]);
    expectExit(run, 2);
    expect(run.stderr).toContain(`--options-file ${file} must hold a mapping of option names to values, not a list`);
  });
});
