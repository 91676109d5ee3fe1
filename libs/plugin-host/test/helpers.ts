import type { LoadTestProgress, LoadTestResult, OperationContext, PluginLogger } from '@meshery/plugin-api';
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostLogLevel, HostLogSink } from '../src/index.js';

/** The fixture plugin packages (a directory a server can also use as MESHERY_PLUGINS_DIR). */
export const FIXTURE_PLUGINS_DIR = fileURLToPath(new URL('./fixtures/plugins/', import.meta.url)).replace(/\/$/, '');

export const fixture = (name: string): string => path.join(FIXTURE_PLUGINS_DIR, name);

/** The environment variable the fixtures read to leave `<name>.imported` marker files. */
export const MARKER_DIR_ENV = 'MESHERY_FIXTURE_MARKER_DIR';

export interface LogLine {
  readonly level: HostLogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A host log sink that keeps the lines in memory. */
export function memorySink(): HostLogSink & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { lines, log: (level, message, fields) => lines.push({ level, message, fields }) };
}

export const tempDir = (prefix: string): Promise<string> => mkdtemp(path.join(os.tmpdir(), `meshery-${prefix}-`));

/** Names of the fixtures whose module code ran, from the marker files in `dir`. */
export async function importedFixtures(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.imported')).map((f) => f.replace(/\.imported$/, '')).sort();
}

const silentLogger: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** An operation context as the server would pass, collecting events. */
export function operation(operationId = 'op-1'): {
  ctx: OperationContext<LoadTestProgress>;
  events: LoadTestProgress[];
  controller: AbortController;
} {
  const controller = new AbortController();
  const events: LoadTestProgress[] = [];
  return {
    controller,
    events,
    ctx: { operationId, signal: controller.signal, logger: silentLogger, emit: (e) => events.push(e) },
  };
}

/** What the fixtures add to a LoadTestResult. */
export type FixtureResult = LoadTestResult & {
  readonly fixture: {
    readonly threadId: number;
    readonly abortSeen?: boolean;
    readonly pluginId?: string;
    readonly greeting?: unknown;
    readonly config?: Readonly<Record<string, unknown>>;
    readonly hostInfo?: Readonly<Record<string, unknown>>;
    readonly dataDirExists?: boolean;
  };
};

export function spec(url: string, durationSeconds = 0.1) {
  return {
    url,
    method: 'GET' as const,
    headers: {},
    connections: 1,
    durationSeconds,
    warmupSeconds: 0,
    requestTimeoutSeconds: 5,
  };
}

/** Resolves when `check` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
