import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, readSync } from 'node:fs';
import { Command } from 'commander';
import { ApiClient } from '../api-client.js';
import { resolveConnection, type GlobalOptions } from '../config.js';
import { durationOption } from '../duration.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { dataDir, isAlive, localServerFiles, readPid, runningLocalServer, type LocalServerState } from '../local-server.js';
import { keyValues, outputFormat, print, table } from '../output.js';
import { findServerEntry } from '../server-entry.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** False for a process that has exited but was not reaped yet (a zombie), where /proc tells. */
function running(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The command line of a process, where /proc tells (Linux). */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '';
  }
}

function readFrom(file: string, offset: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    if (size <= offset) return '';
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

interface StartOptions {
  foreground?: boolean;
  port?: string;
  dataDir?: string;
  wait: string;
  serverEntry?: string;
}

function entryOrFail(override: string | undefined): string {
  const { entry, tried } = findServerEntry(override);
  if (!entry) {
    throw new CliError(ExitCode.SYSTEM, 'cannot find the Meshery server to start', {
      cause: `None of these exists: ${tried.join(', ')}.`,
      remedy: 'Build it with "npm run build" at the repository root, or give its main.js with --server-entry FILE (or MESHERY_SERVER_ENTRY).',
    });
  }
  return entry;
}

function serverEnv(dir: string, port: string | undefined): NodeJS.ProcessEnv {
  if (port !== undefined && !/^\d+$/.test(port)) throw usageError(`--port "${port}" is not a port number`);
  return { ...process.env, MESHERY_DATA_DIR: dir, ...(port !== undefined ? { MESHERY_PORT: port } : {}) };
}

async function startForeground(dir: string, entry: string, env: NodeJS.ProcessEnv): Promise<void> {
  const files = localServerFiles(dir);
  // Its own process group: a terminal's Ctrl-C reaches only us, and we pass it on once.
  const child = spawn(process.execPath, [entry], { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  const pid = child.pid;
  if (!pid) throw new CliError(ExitCode.SYSTEM, `could not start ${process.execPath} ${entry}`);
  writeFileSync(files.pid, `${pid}\n`);
  const state: LocalServerState = { pid, entry, logFile: '(foreground: standard output)', startedAt: new Date().toISOString() };
  writeFileSync(files.state, `${JSON.stringify(state, null, 2)}\n`);
  // Record the address once the server prints it, so other commands find it.
  let startup: string | undefined = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (startup === undefined) return;
    startup += chunk.toString();
    const url = /listening on (https?:\/\/\S+) /.exec(startup)?.[1];
    if (url) {
      writeFileSync(files.state, `${JSON.stringify({ ...state, url }, null, 2)}\n`);
      startup = undefined;
    } else if (startup.length > 256 * 1024) {
      startup = undefined;
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  if (readPid(dir) === pid) {
    rmSync(files.pid, { force: true });
    rmSync(files.state, { force: true });
  }
  if (code !== 0) throw new CliError(ExitCode.SYSTEM, `the server exited with code ${code}`, { remedy: 'See its output above.' });
}

async function startBackground(dir: string, entry: string, env: NodeJS.ProcessEnv, waitSeconds: number, format: string): Promise<void> {
  const files = localServerFiles(dir);
  const logOffset = existsSync(files.log) ? statSync(files.log).size : 0;
  const logFd = openSync(files.log, 'a');
  let exitCode: number | null | undefined;
  let child;
  try {
    child = spawn(process.execPath, [entry], { detached: true, stdio: ['ignore', logFd, logFd], env, cwd: dir });
  } finally {
    closeSync(logFd);
  }
  const pid = child.pid;
  if (!pid) throw new CliError(ExitCode.SYSTEM, `could not start ${process.execPath} ${entry}`);
  child.once('exit', (code) => (exitCode = code));
  child.unref();
  writeFileSync(files.pid, `${pid}\n`);
  const state: LocalServerState = { pid, entry, logFile: files.log, startedAt: new Date().toISOString() };
  writeFileSync(files.state, `${JSON.stringify(state, null, 2)}\n`);

  const deadline = Date.now() + waitSeconds * 1000;
  let url: string | undefined;
  while (Date.now() < deadline) {
    if (exitCode !== undefined || !running(pid)) {
      rmSync(files.pid, { force: true });
      throw new CliError(ExitCode.SYSTEM, `the server exited during start (code ${exitCode ?? 'unknown'})`, {
        cause: 'See the end of its log below.',
        remedy: `Fix what the log says, then start again. Full log: ${files.log}`,
        lines: readFrom(files.log, logOffset).trim().split('\n').slice(-15),
      });
    }
    url ??= /listening on (https?:\/\/\S+) /.exec(readFrom(files.log, logOffset))?.[1];
    if (url) {
      try {
        const health = await new ApiClient({ url, timeoutMs: 2_000, stallTimeoutMs: 2_000, source: 'the started server' }).health();
        writeFileSync(files.state, `${JSON.stringify({ ...state, url }, null, 2)}\n`);
        const data = { pid, url, version: health.version, database: health.database, logFile: files.log, dataDir: dir };
        print(outputFormat(format), data, () => `Meshery server ${health.version} started (pid ${pid}) at ${url}\nData: ${dir}; log: ${files.log}`);
        return;
      } catch {
        // Not answering yet.
      }
    }
    await sleep(200);
  }
  // Never leave a half-started server behind.
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  rmSync(files.pid, { force: true });
  throw new CliError(ExitCode.SYSTEM, `the server did not become healthy within ${waitSeconds} s; it was stopped`, {
    cause: url ? `It listens on ${url} but /api/health did not answer.` : 'It never reported that it listens.',
    remedy: `Look at its log (${files.log}); raise --wait if the machine is slow.`,
    lines: readFrom(files.log, logOffset).trim().split('\n').slice(-10),
  });
}

async function stop(opts: { dataDir?: string; wait: string; force?: boolean }): Promise<void> {
  const dir = opts.dataDir ?? dataDir();
  const waitSeconds = durationOption('--wait', opts.wait);
  const files = localServerFiles(dir);
  const pid = readPid(dir);
  if (pid === undefined || !running(pid)) {
    rmSync(files.pid, { force: true });
    process.stdout.write(`No Meshery server started by mesheryctl is running (data directory ${dir}).\n`);
    return;
  }
  // Guard against a stale pid file whose pid now belongs to another program.
  const entry = runningLocalServer(dir)?.entry || 'main.js';
  const cmdline = commandLine(pid);
  if (cmdline !== undefined && !cmdline.includes(entry)) {
    throw new CliError(ExitCode.SYSTEM, `process ${pid} of ${files.pid} is not a Meshery server: ${cmdline.slice(0, 120)}`, {
      cause: 'The pid file is stale and the pid was reused by another process.',
      remedy: `Delete ${files.pid}; nothing was stopped.`,
    });
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + waitSeconds * 1000;
  while (Date.now() < deadline && running(pid)) await sleep(100);
  if (running(pid)) {
    if (!opts.force) {
      throw new CliError(ExitCode.SYSTEM, `the server (pid ${pid}) did not stop within ${waitSeconds} s of SIGTERM`, {
        cause: 'It may be finishing a long operation, or be hung.',
        remedy: 'Wait and run "mesheryctl system stop" again, or kill it with "mesheryctl system stop --force" (SIGKILL; running tests are marked interrupted at the next start).',
      });
    }
    process.kill(pid, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (Date.now() < killDeadline && running(pid)) await sleep(100);
    if (running(pid)) throw new CliError(ExitCode.SYSTEM, `the server (pid ${pid}) survived SIGKILL`);
  }
  rmSync(files.pid, { force: true });
  rmSync(files.state, { force: true });
  process.stdout.write(`Stopped the Meshery server (pid ${pid}).\n`);
}

async function status(opts: { output: string; dataDir?: string }, command: Command): Promise<void> {
  const format = outputFormat(opts.output);
  const local = runningLocalServer(opts.dataDir ?? dataDir());
  const globals = command.optsWithGlobals<GlobalOptions>();
  const connection = resolveConnection(globals, opts.dataDir ? { ...process.env, MESHERY_DATA_DIR: opts.dataDir } : process.env);
  const client = new ApiClient(connection);
  const health = await client.health();
  const { plugins } = await client.graphql<{
    plugins: { id: string; displayName?: string | null; version?: string | null; status: string; kinds: string[]; runtime?: string | null; reason?: string | null }[];
  }>(`query { plugins { id displayName version status kinds runtime reason } }`);
  const localPid = local && (local.url === undefined || local.url === connection.url) ? local.pid : undefined;
  const data = {
    url: connection.url,
    status: health.status,
    version: health.version,
    database: health.database,
    ...(localPid !== undefined ? { pid: localPid, logFile: local!.logFile } : {}),
    plugins,
  };
  print(format, data, () => {
    const overview = keyValues([
      ['server', connection.url],
      ['status', health.status],
      ['version', health.version],
      ['database', health.database],
      ...(localPid !== undefined ? ([['pid', localPid], ['log', local!.logFile]] as [string, string | number][]) : []),
    ]);
    const pluginTable =
      plugins.length > 0
        ? table(
            ['plugin', 'version', 'kinds', 'runtime', 'status', 'reason'],
            plugins.map((p) => [p.displayName ? `${p.displayName} (${p.id})` : p.id, p.version, p.kinds.join(', '), p.runtime, p.status, p.reason]),
          )
        : 'No plugins discovered.';
    return `${overview}\n${pluginTable}`;
  });
}

async function logs(opts: { follow?: boolean; tail?: string; dataDir?: string }): Promise<void> {
  const dir = opts.dataDir ?? dataDir();
  const files = localServerFiles(dir);
  if (!existsSync(files.log)) {
    throw new CliError(ExitCode.SYSTEM, `no server log at ${files.log}`, {
      cause: 'The server was not started with "mesheryctl system start" in this data directory.',
      remedy: 'Start it with "mesheryctl system start", or set MESHERY_DATA_DIR / --data-dir to where it was started.',
    });
  }
  const lines = opts.tail !== undefined ? Number(opts.tail) : undefined;
  if (lines !== undefined && (!Number.isInteger(lines) || lines < 0)) throw usageError(`--tail "${opts.tail}" must be a whole number`);
  process.stdout.write(lines !== undefined ? tail(files.log, lines) : readFileSync(files.log, 'utf8'));
  if (!opts.follow) return;
  let offset = statSync(files.log).size;
  const pid = readPid(dir);
  // Follow until Ctrl-C, or until the server exits.
  for (;;) {
    await sleep(300);
    const size = existsSync(files.log) ? statSync(files.log).size : 0;
    if (size < offset) offset = 0;
    if (size > offset) {
      process.stdout.write(readFrom(files.log, offset));
      offset = size;
    }
    if (pid === undefined || !running(pid)) {
      process.stderr.write('The server is not running; stopped following.\n');
      return;
    }
  }
}

/** `mesheryctl system ...`: the local server process. */
export function systemCommand(): Command {
  const system = new Command('system').description('start, stop and inspect a Meshery server on this machine');
  system
    .command('start')
    .description('start the server in the background (pid and log files in the data directory) and wait until it is healthy')
    .option('--foreground', 'run in the foreground, logging to the terminal, until Ctrl-C')
    .option('--port <port>', 'port to listen on (MESHERY_PORT; 9081 by default, 0 picks a free one)')
    .option('--data-dir <dir>', 'data directory (MESHERY_DATA_DIR; ~/.meshery by default)')
    .option('--wait <duration>', 'how long to wait for the server to become healthy', '60s')
    .option('--server-entry <file>', "the server's main.js (found beside the CLI in the workspace by default)")
    .option('-o, --output <format>', 'output format: table, json or yaml', 'table')
    .addHelpText(
      'after',
      '\nThe server is run as `node <entry>` with the environment of this command (MESHERY_* settings apply).\nThe entry is --server-entry, MESHERY_SERVER_ENTRY, apps/server/dist/main.js beside this package, or the @meshery/server package.',
    )
    .action(async (opts: StartOptions & { output: string }) => {
      const dir = opts.dataDir ?? dataDir();
      const waitSeconds = durationOption('--wait', opts.wait);
      mkdirSync(dir, { recursive: true });
      const env = serverEnv(dir, opts.port);
      const already = runningLocalServer(dir);
      if (already && running(already.pid)) {
        print(outputFormat(opts.output), { ...already, alreadyRunning: true }, () => `A Meshery server is already running (pid ${already.pid}${already.url ? ` at ${already.url}` : ''}).`);
        return;
      }
      const entry = entryOrFail(opts.serverEntry);
      if (opts.foreground) await startForeground(dir, entry, env);
      else await startBackground(dir, entry, env, waitSeconds, opts.output);
    });
  system
    .command('stop')
    .description('stop the server started by "system start" (SIGTERM, then wait)')
    .option('--data-dir <dir>', 'data directory it was started with')
    .option('--wait <duration>', 'how long to wait for it to exit', '20s')
    .option('--force', 'SIGKILL it when it has not exited in time')
    .action(stop);
  system
    .command('status')
    .description("the server's version, database and plugins")
    .option('--data-dir <dir>', 'data directory of a server started by "system start"')
    .option('-o, --output <format>', 'output format: table, json or yaml', 'table')
    .action(status);
  system
    .command('logs')
    .description('print the log of the server started by "system start"')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C or the server exits')
    .option('--tail <n>', 'only the last n lines')
    .option('--data-dir <dir>', 'data directory it was started with')
    .action(logs);
  return system;
}
