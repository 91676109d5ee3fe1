#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { clusterCommand } from './commands/cluster.js';
import { meshCommand } from './commands/mesh.js';
import { perfCommand } from './commands/perf.js';
import { systemCommand } from './commands/system.js';
import { DEFAULT_STALL_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS } from './config.js';
import { CliError, ExitCode, formatError, usageError } from './exit-codes.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The whole command tree. */
export function buildProgram(): Command {
  const program = new Command('mesheryctl')
    .description('Meshery from the terminal and CI pipelines: run and check performance tests, manage the server and clusters.')
    // Commander reads a program option wherever it stands on the command line, so `mesh install
    // --version <v>` arrives here too: without a value it prints mesheryctl's version, with one it
    // is the value of the command that declares --version (see sharedOption).
    .addOption(new Option('-v, --version [version]', 'print the version of mesheryctl (on "mesh install": the mesh version to install)'))
    .option('--server <url>', 'server URL (default: the config file\'s current server, else http://127.0.0.1:9081)')
    .option('--server-name <name>', 'a server named in the config file (~/.meshery/config.yaml or MESHERY_CONFIG)')
    .option('--token <token>', 'API token, sent as "Authorization: Bearer <token>" (or MESHERY_TOKEN)')
    .addOption(new Option('--timeout <duration>', `timeout of each request (default ${DEFAULT_TIMEOUT_SECONDS}s)`).env('MESHERY_TIMEOUT'))
    .option('--stall-timeout <duration>', `fail a run that reports no progress for this long (default ${DEFAULT_STALL_TIMEOUT_SECONDS}s)`)
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 2 usage error, 3 server unreachable (or connection lost), 4 API error,
5 threshold violated or mesh not healthy, 6 run or mesh operation failed, 7 run or operation
cancelled on the server, 8 run stalled or operation not done within --timeout,
9 system start/stop failed, 130 interrupted (Ctrl-C; a running test or mesh operation is
cancelled), 1 internal error.`,
    );
  program.on('option:version', (value: string | null) => {
    if (value !== null) return;
    process.stdout.write(`${version}\n`);
    throw new CommanderError(0, 'commander.version', version);
  });
  program.hook('preAction', (_program, action) => {
    const value: unknown = program.opts()['version'];
    if (typeof value === 'string' && !action.options.some((option) => option.long === '--version')) {
      throw usageError(`--version takes no value here ("${value}")`, 'Only "mesh install --version <version>" takes one; "mesheryctl --version" prints the version of mesheryctl.');
    }
  });
  program.addCommand(systemCommand());
  program.addCommand(perfCommand());
  program.addCommand(clusterCommand());
  program.addCommand(meshCommand());
  configure(program);
  return program;
}

/** The same error handling on every command: no process.exit inside commander, usage errors on stderr. */
function configure(command: Command): void {
  command.exitOverride().showHelpAfterError('(add --help for usage)').allowExcessArguments(false);
  for (const sub of command.commands) configure(sub);
}

function exit(code: number): never {
  // Let stdout and stderr drain before leaving.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  // Safety net: never hang on a stuck stream.
  setTimeout(() => process.exit(code), 2_000).unref();
  return undefined as never;
}

async function main(argv: string[]): Promise<void> {
  // A reader that went away (`mesheryctl ... | head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(ExitCode.OK);
      throw error;
    });
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    exit(ExitCode.OK);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print and succeed; anything else is a usage error (already printed).
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0;
      exit(ok ? ExitCode.OK : ExitCode.USAGE);
    } else if (error instanceof CliError) {
      process.stderr.write(formatError(error));
      exit(error.exitCode);
    } else {
      process.stderr.write(`Error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug in mesheryctl; please report it.\n`);
      exit(ExitCode.INTERNAL);
    }
  }
}

await main(process.argv);
