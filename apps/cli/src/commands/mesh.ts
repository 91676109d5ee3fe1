import { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { ApiClient } from '../api-client.js';
import { clientOf, collect, readInput, sharedOption } from '../command-context.js';
import { resolveConnection, type GlobalOptions } from '../config.js';
import { durationOption } from '../duration.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { MESH_FIELDS, MESH_STATUS_FIELDS, OPERATION_FIELDS, type Mesh, type MeshStatus, type Operation } from '../mesh-model.js';
import { meshInstallOptions } from '../mesh-options.js';
import { outputFormat, print, type OutputFormat } from '../output.js';
import { resolveCluster, type ClusterConnection } from './cluster.js';
import { detectRows, meshRows, statusView } from './mesh-format.js';
import { followOperation } from './mesh-operation.js';

const OUTPUT_HELP = 'output format: table, json or yaml';
const CLUSTER_HELP = 'cluster connection: its id or its name (see "mesheryctl cluster list")';
const DEFAULT_WAIT = '10m';
const TIMEOUT_HELP = `how long to wait for the operation to end (default ${DEFAULT_WAIT}); past it, it is cancelled on the server and the command exits 8. Each request still gives up after the usual request timeout`;

const MESH_ID = /^[a-z0-9]([-a-z0-9]{0,62}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Checks a mesh argument before anything is sent. */
function meshId(value: string): string {
  if (!MESH_ID.test(value)) throw usageError(`"${value}" is not a mesh id`, 'Mesh ids are lower-case, e.g. istio or linkerd ("mesheryctl mesh list" shows them).');
  return value;
}

/** Checks a namespace name before anything is sent. */
function namespaceName(value: string): string {
  if (!DNS_LABEL.test(value)) {
    throw usageError(`--namespace "${value}" is not a valid namespace name`, 'Use lower-case letters, digits and "-", at most 63 characters, starting and ending with a letter or digit.');
  }
  return value;
}

interface WaitFlags {
  wait: boolean;
  timeout?: string;
  output: string;
}

/** How a command that starts an operation talks to the server and how long it waits. */
interface OperationRun {
  readonly client: ApiClient;
  readonly format: OutputFormat;
  readonly wait: boolean;
  readonly timeoutSeconds: number;
}

/**
 * The global --timeout bounds each request; written on the command line of a command that starts
 * an operation (where commander reads it, whatever its position), it bounds the wait for the
 * operation as well (default 10m), and requests keep the usual timeout when that is shorter. A
 * timeout from MESHERY_TIMEOUT or the config file is a request timeout only.
 */
function operationRun(command: Command, flags: WaitFlags): OperationRun {
  const format = outputFormat(flags.output);
  const given = flags.timeout ?? sharedOption(command, 'timeout');
  const timeoutSeconds = durationOption('--timeout', given ?? DEFAULT_WAIT);
  const { timeout: _requestTimeout, ...globals } = command.optsWithGlobals<GlobalOptions>();
  const usual = resolveConnection(globals);
  const connection = given === undefined ? usual : { ...usual, timeoutMs: Math.min(usual.timeoutMs, timeoutSeconds * 1000) };
  return { client: new ApiClient(connection), format, wait: flags.wait, timeoutSeconds };
}

/** Adds --no-wait, --timeout and -o to a command that starts an operation. */
function withWaitOptions(command: Command): Command {
  return command
    .option('--no-wait', 'return once the server has accepted the operation (prints its id) instead of following it')
    .option('--timeout <duration>', TIMEOUT_HELP)
    .option('-o, --output <format>', `${OUTPUT_HELP}; while following, json prints one JSON object per event and line`, 'table');
}

/**
 * Starts an operation with `start`, then follows it to its end (or, with --no-wait, prints it).
 * The client is closed afterwards whatever happens.
 */
async function runOperation(run: OperationRun, cluster: ClusterConnection, start: () => Promise<Operation>, checkWith: string): Promise<void> {
  try {
    const operation = await start();
    if (!run.wait) {
      print(run.format, operation, () => `Operation ${operation.id} started: ${operation.summary} on cluster ${cluster.name} (${cluster.id}). Not waiting; check with ${checkWith}.`);
      return;
    }
    process.stderr.write(`Operation ${operation.id} started: ${operation.summary} on cluster ${cluster.name} (${cluster.id})\n`);
    await followOperation(run.client, operation, { format: run.format, timeoutSeconds: run.timeoutSeconds, checkWith });
  } finally {
    await run.client.close();
  }
}

async function startOperation<K extends string>(client: ApiClient, field: K, mutation: string, variables: Record<string, unknown>): Promise<Operation> {
  const data = await client.graphql<Record<K, Operation>>(mutation, variables);
  return data[field];
}

function statusCommand(): Command {
  return new Command('status')
    .description("a mesh's health on a cluster, check by check, then where its sidecar injection is on and the sample apps Meshery deployed; exits 5 when it is not installed or not healthy")
    .argument('<mesh>', 'mesh id, e.g. istio')
    .requiredOption('--cluster <id|name>', CLUSTER_HELP)
    .option('-w, --watch', 'keep printing the status whenever it changes, until Ctrl-C (exits 130)')
    .option('-o, --output <format>', `${OUTPUT_HELP} (with --watch, json prints one status per line)`, 'table')
    .addHelpText(
      'after',
      `
Examples:
  mesheryctl mesh status istio --cluster kind-demo
  mesheryctl mesh status linkerd --cluster 3f0c7d2e-... -o json
  mesheryctl mesh status istio --cluster kind-demo --watch`,
    )
    .action(async (meshArg: string, opts: { cluster: string; watch?: boolean; output: string }, command: Command) => {
      const mesh = meshId(meshArg);
      const format = outputFormat(opts.output);
      const client = clientOf(command);
      try {
        const cluster = await resolveCluster(client, opts.cluster);
        if (opts.watch) {
          await watchStatus(client, cluster, mesh, format);
          return;
        }
        const { meshStatus: status } = await client.graphql<{ meshStatus: MeshStatus }>(
          `query Status($contextId: ID!, $mesh: String!) { meshStatus(contextId: $contextId, mesh: $mesh) { ${MESH_STATUS_FIELDS} } }`,
          { contextId: cluster.id, mesh },
        );
        print(format, status, () => statusView(status, cluster.name));
        const error = unhealthyError(status, cluster);
        if (error) throw error;
      } finally {
        await client.close();
      }
    });
}

/** Exit 5 for a mesh that is not installed or not healthy. */
function unhealthyError(status: MeshStatus, cluster: ClusterConnection): CliError | undefined {
  if (status.error) {
    return new CliError(ExitCode.NOT_HEALTHY, `the ${status.mesh} checks could not run on cluster ${cluster.name}: ${status.error.message}`, {
      code: status.error.code,
      ...(status.error.probableCause ? { cause: status.error.probableCause } : {}),
      ...(status.error.remediation ? { remedy: status.error.remediation } : {}),
    });
  }
  if (!status.installed) {
    return new CliError(ExitCode.NOT_HEALTHY, `${status.mesh} is not installed on cluster ${cluster.name}`, {
      remedy: `Install it with "mesheryctl mesh install ${status.mesh} --cluster ${cluster.name}".`,
    });
  }
  const failed = status.checks.filter((c) => !c.healthy);
  if (!status.healthy) {
    return new CliError(
      ExitCode.NOT_HEALTHY,
      `${status.mesh} on cluster ${cluster.name} is not healthy${failed.length > 0 ? `: ${failed.length} of ${status.checks.length} checks failed (${failed.map((c) => c.component).join(', ')})` : ''}`,
      { remedy: 'Follow the remediation of each failed check above.' },
    );
  }
  return undefined;
}

/** Prints the status, then each change, until Ctrl-C (exit 130) or a lost connection (exit 3). */
async function watchStatus(client: ApiClient, cluster: ClusterConnection, mesh: string, format: OutputFormat): Promise<void> {
  let first = true;
  const subscription = client.subscribe<{ meshStatusChanged: MeshStatus }>(
    `subscription Watch($contextId: ID!, $mesh: String!) { meshStatusChanged(contextId: $contextId, mesh: $mesh) { ${MESH_STATUS_FIELDS} } }`,
    { contextId: cluster.id, mesh },
    {
      describe: `the status of ${mesh} on cluster ${cluster.name}`,
      remedy: 'Run the command again once the server is back.',
      next: (data) => {
        const status = data.meshStatusChanged;
        if (format === 'json') process.stdout.write(`${JSON.stringify(status)}\n`);
        else if (format === 'yaml') process.stdout.write(`---\n${toYaml(status)}`);
        else process.stdout.write(`${first ? '' : '\n'}[${new Date(status.checkedAt).toTimeString().slice(0, 8)}] ${statusView(status, cluster.name)}\n`);
        first = false;
        return false;
      },
    },
  );
  let onSignal!: (signal: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const signal = await Promise.race([subscription.done.then(() => undefined), stopped]);
    if (signal) {
      throw new CliError(ExitCode.INTERRUPTED, `stopped watching ${mesh} on cluster ${cluster.name} (${signal})`);
    }
  } finally {
    subscription.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function sampleAppCommands(): Command {
  const sampleApp = new Command('sample-app').description("a mesh's sample applications (\"mesheryctl mesh list\" names them)");
  for (const action of ['deploy', 'remove'] as const) {
    withWaitOptions(
      sampleApp
        .command(action)
        .description(
          action === 'deploy'
            ? 'deploy a sample app into a namespace (created when missing) and wait until it is ready'
            : 'remove a sample app Meshery deployed (and its namespace, when the deployment created it)',
        )
        .argument('<mesh>', 'mesh id, e.g. istio')
        .argument('<app>', 'sample app name, e.g. bookinfo')
        .requiredOption('-n, --namespace <namespace>', 'namespace of the app')
        .requiredOption('--cluster <id|name>', CLUSTER_HELP),
    )
      .addHelpText(
        'after',
        `
Examples:
  mesheryctl mesh sample-app ${action} istio bookinfo --namespace bookinfo --cluster kind-demo
  mesheryctl mesh sample-app ${action} linkerd emojivoto -n emojivoto --cluster kind-demo -o json`,
      )
      .action(async (meshArg: string, app: string, opts: WaitFlags & { namespace: string; cluster: string }, command: Command) => {
        const mesh = meshId(meshArg);
        const namespace = namespaceName(opts.namespace);
        if (!app.trim()) throw usageError('the sample app name is empty', `"mesheryctl mesh list" shows the sample apps of ${mesh}.`);
        const run = operationRun(command, opts);
        const cluster = await resolveCluster(run.client, opts.cluster);
        const field = action === 'deploy' ? 'deploySampleApp' : 'removeSampleApp';
        await runOperation(
          run,
          cluster,
          () =>
            startOperation(run.client, field, `mutation App($input: SampleAppInput!) { ${field}(input: $input) { ${OPERATION_FIELDS} } }`, {
              input: { contextId: cluster.id, mesh, app, namespace },
            }),
          `"mesheryctl mesh status ${mesh} --cluster ${cluster.name}"`,
        );
      });
  }
  return sampleApp;
}

/** `mesheryctl mesh ...`: service mesh lifecycle on connected clusters. */
export function meshCommand(): Command {
  const mesh = new Command('mesh').description('service meshes: install, check, uninstall; sample apps and sidecar injection');

  mesh
    .command('list')
    .description('the meshes the server can manage, with their versions (the default marked) and sample apps')
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .action(async (opts: { output: string }, command: Command) => {
      const format = outputFormat(opts.output);
      const { meshes } = await clientOf(command).graphql<{ meshes: Mesh[] }>(`query { meshes { ${MESH_FIELDS} } }`);
      print(format, meshes, () => (meshes.length > 0 ? meshRows(meshes) : 'No mesh plugins are loaded ("mesheryctl system status" shows every plugin and why it did not load).'));
    });

  withWaitOptions(
    mesh
      .command('install')
      .description("install a mesh with its default configuration and follow the operation's events until it ends")
      .argument('<mesh>', 'mesh id, e.g. istio or linkerd')
      .requiredOption('--cluster <id|name>', CLUSTER_HELP)
      .option('--version <version>', "version to install (the plugin's default when absent; see \"mesheryctl mesh list\")")
      .option(
        '--option <name=value>',
        'mesh-specific option (repeatable); name.key=value sets a key inside a map option; true, false, null, numbers and JSON are typed ("1.20" in double quotes stays a string). The plugin\'s README lists its options',
        collect,
      )
      .option('--options-file <file>', 'mesh-specific options as a YAML or JSON mapping (- for stdin); --option values override it'),
  )
    .addHelpText(
      'after',
      `
Each event is printed as it happens: time, type (created, configured, unchanged, waiting, ready,
step, ...) and what happened. Exit codes: 0 installed, 4 refused by the server, 6 the installation
failed (with the server's code, probable cause and remediation), 7 cancelled by someone else,
8 not done within --timeout (cancelled), 130 Ctrl-C (the installation is cancelled on the server
first; run the command again to finish it).

Examples:
  mesheryctl mesh install istio --cluster kind-demo
  mesheryctl mesh install istio --cluster kind-demo --version 1.23.2 --option readinessTimeoutSeconds=600 --timeout 15m
  mesheryctl mesh install istio --cluster kind-demo --option set.meshConfig.accessLogFile=/dev/stdout
  mesheryctl mesh install linkerd --cluster 3f0c7d2e-... --options-file linkerd.yaml -o json > events.jsonl
  mesheryctl mesh install istio --cluster kind-demo --no-wait`,
    )
    .action(
      async (
        meshArg: string,
        opts: WaitFlags & { cluster: string; version?: string; option?: string[]; optionsFile?: string },
        command: Command,
      ) => {
        const mesh = meshId(meshArg);
        const version = opts.version ?? sharedOption(command, 'version');
        if (version !== undefined && !version.trim()) throw usageError('--version is empty', 'Leave it out for the default version.');
        const options = meshInstallOptions(opts.option, opts.optionsFile ? { text: readInput(opts.optionsFile), name: opts.optionsFile } : undefined);
        const run = operationRun(command, opts);
        const cluster = await resolveCluster(run.client, opts.cluster);
        const input = {
          contextId: cluster.id,
          mesh,
          ...(version ? { version: version.trim() } : {}),
          ...(Object.keys(options).length > 0 ? { options } : {}),
        };
        await runOperation(
          run,
          cluster,
          () => startOperation(run.client, 'installMesh', `mutation Install($input: InstallMeshInput!) { installMesh(input: $input) { ${OPERATION_FIELDS} } }`, { input }),
          `"mesheryctl mesh status ${mesh} --cluster ${cluster.name}"`,
        );
      },
    );

  withWaitOptions(
    mesh
      .command('uninstall')
      .description('remove everything Meshery installed for a mesh (and nothing else), following the operation')
      .argument('<mesh>', 'mesh id, e.g. istio')
      .requiredOption('--cluster <id|name>', CLUSTER_HELP),
  )
    .addHelpText(
      'after',
      `
A mesh installed by other means (istioctl, helm, ...) is left alone: the server refuses, saying what it found.

Examples:
  mesheryctl mesh uninstall istio --cluster kind-demo
  mesheryctl mesh uninstall linkerd --cluster kind-demo --no-wait -o json`,
    )
    .action(async (meshArg: string, opts: WaitFlags & { cluster: string }, command: Command) => {
      const mesh = meshId(meshArg);
      const run = operationRun(command, opts);
      const cluster = await resolveCluster(run.client, opts.cluster);
      await runOperation(
        run,
        cluster,
        () =>
          startOperation(run.client, 'uninstallMesh', `mutation Uninstall($contextId: ID!, $mesh: String!) { uninstallMesh(contextId: $contextId, mesh: $mesh) { ${OPERATION_FIELDS} } }`, {
            contextId: cluster.id,
            mesh,
          }),
        `"mesheryctl mesh status ${mesh} --cluster ${cluster.name}"`,
      );
    });

  mesh.addCommand(statusCommand());

  mesh
    .command('detect')
    .description('which meshes are on a cluster: version, namespace, and whether Meshery installed them')
    .requiredOption('--cluster <id|name>', CLUSTER_HELP)
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .addHelpText(
      'after',
      `
Examples:
  mesheryctl mesh detect --cluster kind-demo
  mesheryctl mesh detect --cluster kind-demo -o json | jq '.[] | select(.installed)'`,
    )
    .action(async (opts: { cluster: string; output: string }, command: Command) => {
      const format = outputFormat(opts.output);
      const client = clientOf(command);
      const cluster = await resolveCluster(client, opts.cluster);
      const { detectedMeshes } = await client.graphql<{ detectedMeshes: MeshStatus[] }>(
        `query Detect($contextId: ID!) { detectedMeshes(contextId: $contextId) { ${MESH_STATUS_FIELDS} } }`,
        { contextId: cluster.id },
      );
      print(format, detectedMeshes, () =>
        detectedMeshes.length > 0 ? `Meshes on cluster ${cluster.name} (${cluster.id}):\n${detectRows(detectedMeshes)}` : 'No mesh plugins are loaded, so nothing can be detected.',
      );
    });

  mesh.addCommand(sampleAppCommands());

  withWaitOptions(
    mesh
      .command('inject')
      .description("turn a mesh's sidecar injection on (--enable) or off (--disable) for a namespace")
      .argument('<mesh>', 'mesh id, e.g. istio')
      .requiredOption('-n, --namespace <namespace>', 'the namespace (it must exist)')
      .requiredOption('--cluster <id|name>', CLUSTER_HELP)
      .option('--enable', 'turn injection on')
      .option('--disable', 'turn injection off'),
  )
    .addHelpText(
      'after',
      `
Only the namespace's label changes: pods running now get (or lose) their sidecar when restarted.

Examples:
  mesheryctl mesh inject istio --namespace bookinfo --cluster kind-demo --enable
  mesheryctl mesh inject linkerd -n emojivoto --cluster kind-demo --disable`,
    )
    .action(async (meshArg: string, opts: WaitFlags & { namespace: string; cluster: string; enable?: boolean; disable?: boolean }, command: Command) => {
      const mesh = meshId(meshArg);
      const namespace = namespaceName(opts.namespace);
      if (Boolean(opts.enable) === Boolean(opts.disable)) {
        throw usageError(opts.enable ? 'give either --enable or --disable, not both' : 'say whether to turn injection on or off: --enable or --disable', `e.g. mesheryctl mesh inject ${mesh} --namespace ${namespace} --cluster ${opts.cluster} --enable`);
      }
      const run = operationRun(command, opts);
      const cluster = await resolveCluster(run.client, opts.cluster);
      await runOperation(
        run,
        cluster,
        () =>
          startOperation(
            run.client,
            'setNamespaceInjection',
            `mutation Inject($contextId: ID!, $namespace: String!, $mesh: String!, $enabled: Boolean!) { setNamespaceInjection(contextId: $contextId, namespace: $namespace, mesh: $mesh, enabled: $enabled) { ${OPERATION_FIELDS} } }`,
            { contextId: cluster.id, namespace, mesh, enabled: Boolean(opts.enable) },
          ),
        `"mesheryctl mesh status ${mesh} --cluster ${cluster.name}"`,
      );
    });

  mesh.addHelpText(
    'after',
    `
Every mesh action runs on the server as an operation; the command prints its events as they happen
and ends with it. --cluster takes a connection's id or name ("mesheryctl cluster list").

Examples:
  mesheryctl mesh list
  mesheryctl mesh install istio --cluster kind-demo
  mesheryctl mesh status istio --cluster kind-demo
  mesheryctl mesh sample-app deploy istio bookinfo --namespace bookinfo --cluster kind-demo
  mesheryctl mesh inject istio --namespace bookinfo --cluster kind-demo --enable
  mesheryctl mesh uninstall istio --cluster kind-demo`,
  );
  return mesh;
}
