import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli, tempDir, type CliRun } from './support/processes.js';

let dataDir: string;
let env: Record<string, string>;

const pidFile = () => path.join(dataDir, 'meshery.pid');

/** Running, and not a zombie waiting for init to reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

function expectExit(run: CliRun, code: number): void {
  if (run.code !== code) throw new Error(`expected exit ${code}, got ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
}

beforeAll(async () => {
  dataDir = await tempDir('meshery-cli-system-');
  // MESHERY_PORT=0: the started server picks a free port, which `system start` reads from its log.
  env = { HOME: dataDir, MESHERY_CONFIG: path.join(dataDir, 'none.yaml'), MESHERY_DATA_DIR: dataDir, MESHERY_PORT: '0' };
});

afterAll(async () => {
  // Whatever happened, leave no server behind.
  if (existsSync(pidFile())) {
    const pid = Number(readFileSync(pidFile(), 'utf8'));
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
  }
  await removeTempDirs();
});

describe('mesheryctl system', () => {
  it('starts the server in the background, reports its status and log, and stops it', async () => {
    const started = await runCli(['system', 'start', '-o', 'json', '--wait', '45s'], env, { killAfterMs: 60_000 });
    expectExit(started, 0);
    const info = JSON.parse(started.stdout) as { pid: number; url: string; version: string; database: string; logFile: string };
    expect(info).toMatchObject({ version: '0.1.0', database: 'sqlite', logFile: path.join(dataDir, 'meshery.log') });
    expect(Number(readFileSync(pidFile(), 'utf8'))).toBe(info.pid);
    expect(alive(info.pid)).toBe(true);

    // Starting again finds it running.
    const again = await runCli(['system', 'start'], env);
    expectExit(again, 0);
    expect(again.stdout).toContain(`already running (pid ${info.pid} at ${info.url})`);

    // No --server: commands find the server `system start` started.
    const status = await runCli(['system', 'status', '-o', 'json'], env);
    expectExit(status, 0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      url: info.url,
      pid: info.pid,
      version: '0.1.0',
      database: 'sqlite',
      plugins: expect.arrayContaining([expect.objectContaining({ id: 'perf-autocannon', status: 'LOADED' })]),
    });
    const table = await runCli(['system', 'status'], env);
    expectExit(table, 0);
    expect(table.stdout).toMatch(/perf-autocannon.*LOADED/);

    const logs = await runCli(['system', 'logs', '--tail', '20'], env);
    expectExit(logs, 0);
    expect(logs.stdout).toContain(`listening on ${info.url}`);

    const stopped = await runCli(['system', 'stop'], env, { killAfterMs: 40_000 });
    expectExit(stopped, 0);
    expect(stopped.stdout).toContain(`Stopped the Meshery server (pid ${info.pid})`);
    expect(alive(info.pid)).toBe(false);
    expect(existsSync(pidFile())).toBe(false);

    // Stopped: status cannot reach it (exit 3), stop again is a no-op, logs -f returns at once.
    const down = await runCli(['--timeout', '3s', 'system', 'status'], env);
    expectExit(down, 3);
    expect(down.stderr).toContain('cannot reach the Meshery server at http://127.0.0.1:9081');
    expectExit(await runCli(['system', 'stop'], env), 0);
    const follow = await runCli(['system', 'logs', '-f', '--tail', '1'], env, { killAfterMs: 10_000 });
    expectExit(follow, 0);
    expect(follow.stderr).toContain('stopped following');
  });
});
