import { Command } from 'commander';
import type { ApiClient } from '../api-client.js';
import { clientOf, readInput } from '../command-context.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { keyValues, outputFormat, print, table } from '../output.js';

const OUTPUT_HELP = 'output format: table, json or yaml';
const CONNECTION_FIELDS = 'id name contextName clusterName server defaultNamespace source createdAt';

export interface ClusterConnection {
  id: string;
  name: string;
  contextName: string;
  clusterName: string;
  server: string;
  defaultNamespace?: string | null;
  source: string;
  createdAt: string;
}

interface ClusterInfo {
  contextId: string;
  reachable: boolean;
  serverVersion?: string | null;
  platform?: string | null;
  nodeCount?: number | null;
  error?: { code: string; message: string; probableCause?: string | null; remediation?: string | null } | null;
}

/**
 * A cluster connection by id, or else by exact name (the value of a --cluster option). An unknown
 * one is an API error (exit 4) that lists the connections; a name two connections share, a usage
 * error that lists their ids.
 */
export async function resolveCluster(client: ApiClient, idOrName: string): Promise<ClusterConnection> {
  const { clusterConnections } = await client.graphql<{ clusterConnections: ClusterConnection[] }>(
    `query { clusterConnections { ${CONNECTION_FIELDS} } }`,
  );
  const byId = clusterConnections.find((c) => c.id === idOrName);
  if (byId) return byId;
  const byName = clusterConnections.filter((c) => c.name === idOrName);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw usageError(`${byName.length} cluster connections are named "${idOrName}"`, `Give the id instead: ${byName.map((c) => c.id).join(', ')}.`);
  }
  const known = clusterConnections.map((c) => `${c.name} (${c.id})`);
  throw new CliError(ExitCode.API_ERROR, `No cluster connection with id or name "${idOrName}"`, {
    code: 'NOT_FOUND',
    cause: known.length > 0 ? `The server knows ${known.length === 1 ? 'one connection' : `${known.length} connections`}: ${known.join(', ')}.` : 'The server has no cluster connections.',
    remedy:
      known.length > 0
        ? 'Give one of those names or ids to --cluster ("mesheryctl cluster list" shows them).'
        : 'Connect one with "mesheryctl cluster add --kubeconfig FILE", then give its name or id to --cluster.',
  });
}

/** `mesheryctl cluster ...`: Kubernetes clusters the server manages (one kubeconfig context each). */
export function clusterCommand(): Command {
  const cluster = new Command('cluster').description('Kubernetes clusters the server is connected to');
  cluster
    .command('add')
    .description("connect a cluster: upload a kubeconfig, or use the one the server finds (KUBECONFIG, ~/.kube/config)")
    .option('--kubeconfig <file>', 'kubeconfig to upload (- for stdin); credentials are stored encrypted and never returned')
    .option('--context <name>', "context of the kubeconfig (its current context by default)")
    .option('--name <name>', 'name of the connection (the context name by default)')
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .action(async (opts: { kubeconfig?: string; context?: string; name?: string; output: string }, command: Command) => {
      const format = outputFormat(opts.output);
      const input = {
        ...(opts.kubeconfig ? { kubeconfig: readInput(opts.kubeconfig) } : {}),
        ...(opts.context ? { context: opts.context } : {}),
        ...(opts.name ? { name: opts.name } : {}),
      };
      const { addClusterConnection: added } = await clientOf(command).graphql<{ addClusterConnection: ClusterConnection }>(
        `mutation Add($input: AddClusterConnectionInput!) { addClusterConnection(input: $input) { ${CONNECTION_FIELDS} } }`,
        { input },
      );
      print(format, added, () => `Connected cluster ${added.id} (${added.name}, ${added.server}).`);
    });
  cluster
    .command('list')
    .description('list connected clusters')
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .action(async (opts: { output: string }, command: Command) => {
      const format = outputFormat(opts.output);
      const { clusterConnections } = await clientOf(command).graphql<{ clusterConnections: ClusterConnection[] }>(
        `query { clusterConnections { ${CONNECTION_FIELDS} } }`,
      );
      print(format, clusterConnections, () =>
        clusterConnections.length > 0
          ? table(
              ['id', 'name', 'context', 'cluster', 'server', 'namespace', 'source', 'created'],
              clusterConnections.map((c) => [c.id, c.name, c.contextName, c.clusterName, c.server, c.defaultNamespace, c.source, c.createdAt]),
            )
          : 'No clusters connected. Add one with "mesheryctl cluster add --kubeconfig FILE".',
      );
    });
  cluster
    .command('remove')
    .description('disconnect a cluster (nothing in the cluster is touched); refused while Meshery manages objects there')
    .argument('<id>', 'connection id')
    .option('--force', 'disconnect even though Meshery manages objects there (mesh installations, applied manifests): forget them, leave them in the cluster')
    .action(async (id: string, opts: { force?: boolean }, command: Command) => {
      await clientOf(command).graphql(`mutation Remove($id: ID!, $force: Boolean!) { removeClusterConnection(id: $id, force: $force) }`, { id, force: opts.force === true });
      process.stdout.write(`Removed cluster connection ${id}.\n`);
    });
  cluster
    .command('info')
    .description("the cluster's server version and node count, or why it cannot be reached")
    .argument('<id>', 'connection id')
    .option('-o, --output <format>', OUTPUT_HELP, 'table')
    .action(async (id: string, opts: { output: string }, command: Command) => {
      const format = outputFormat(opts.output);
      const { clusterInfo: info } = await clientOf(command).graphql<{ clusterInfo: ClusterInfo }>(
        `query Info($id: ID!) { clusterInfo(contextId: $id) { contextId reachable serverVersion platform nodeCount error { code message probableCause remediation } } }`,
        { id },
      );
      print(format, info, () =>
        keyValues([
          ['connection', info.contextId],
          ['reachable', info.reachable ? 'yes' : 'no'],
          ['server version', info.serverVersion],
          ['platform', info.platform],
          ['nodes', info.nodeCount],
          ...(info.error
            ? ([
                ['error', `${info.error.code}: ${info.error.message}`],
                ['probable cause', info.error.probableCause],
                ['remediation', info.error.remediation],
              ] as [string, string | null | undefined][])
            : []),
        ]),
      );
    });
  return cluster;
}
