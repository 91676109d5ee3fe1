import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where `system start` keeps the pid, log and state files: MESHERY_DATA_DIR, else ~/.meshery. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env['MESHERY_DATA_DIR'] || path.join(os.homedir(), '.meshery'));
}

/** Files of a server started by `mesheryctl system start`. */
export function localServerFiles(dir: string): { pid: string; log: string; state: string } {
  return {
    pid: path.join(dir, 'meshery.pid'),
    log: path.join(dir, 'meshery.log'),
    state: path.join(dir, 'meshery-server.json'),
  };
}

/** What `system start` recorded about the server it started. */
export interface LocalServerState {
  readonly pid: number;
  readonly url?: string;
  readonly entry: string;
  readonly logFile: string;
  readonly startedAt: string;
}

/** True while a process with this pid exists (and may be signalled by us). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in the pid file, when there is one. */
export function readPid(dir: string): number | undefined {
  const file = localServerFiles(dir).pid;
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The state of the server `system start` started, when that server still runs. */
export function runningLocalServer(dir: string): LocalServerState | undefined {
  const pid = readPid(dir);
  if (pid === undefined || !isAlive(pid)) return undefined;
  try {
    const state = JSON.parse(readFileSync(localServerFiles(dir).state, 'utf8')) as LocalServerState;
    return state.pid === pid ? state : { pid, entry: '', logFile: localServerFiles(dir).log, startedAt: '' };
  } catch {
    return { pid, entry: '', logFile: localServerFiles(dir).log, startedAt: '' };
  }
}
