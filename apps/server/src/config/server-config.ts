import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { parse as parseYaml } from 'yaml';
import path from 'node:path';

/** The server's settings, read once from the environment at start. */
export interface ServerConfig {
  readonly version: string;
  readonly host: string;
  readonly port: number;
  /** Required on every request when the server listens on a non-loopback address. */
  readonly token?: string;
  readonly dataDir: string;
  /** PostgreSQL URL; SQLite in `dataDir` when absent. */
  readonly databaseUrl?: string;
  readonly sqlitePath: string;
  /** Where plugins are discovered, in order. */
  readonly pluginDirs: readonly string[];
  readonly nodeModulesDirs: readonly string[];
  /** Configuration per plugin id, and the file it was read from (if any). */
  readonly pluginConfig: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly pluginConfigFile?: string;
  /** MESHERY_SECRET_KEY: key of the credentials at rest; `<dataDir>/secret.key` when unset. */
  readonly secretKey?: string;
  /** The web console's production build, served at `/` when it exists. */
  readonly webDir: string;
  /** KUBECONFIG as the server was started with. */
  readonly kubeconfigEnv?: string;
  readonly performance: {
    readonly maxDurationSeconds: number;
    readonly maxConnections: number;
    readonly maxRate: number;
    readonly maxWarmupSeconds: number;
  };
  /**
   * The URL clients reach this server at, for links in exported documents. Unless
   * MESHERY_PUBLIC_URL sets it, it is completed with the real port once the server listens.
   */
  publicUrl: string;
  readonly publicUrlFromEnv: boolean;
  /** Release artifacts (mesh CLIs, sample apps): where to look first, and whether to go online. */
  readonly artifacts: {
    /** A directory, `file:` URL or http(s) URL laid out as `<mirror>/<host>/<path>` of the official addresses. */
    readonly mirror?: string;
    /** Never download from the official addresses (mirror and cache only). */
    readonly offline: boolean;
  };
  /** How often watched mesh statuses are checked again. */
  readonly meshStatusIntervalSeconds: number;
}

/** Nest injection token of {@link ServerConfig}. */
export const SERVER_CONFIG = Symbol('SERVER_CONFIG');

/** The version of this server, which plugins' `engines.meshery` ranges are checked against. */
export const SERVER_VERSION = '0.1.0';

/** A setting that cannot be used; the message says which and how to fix it. */
export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}="${raw}" is not valid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * Reads the configuration from environment variables:
 * `MESHERY_HOST` (127.0.0.1), `MESHERY_PORT` (9081), `MESHERY_TOKEN`, `MESHERY_DATA_DIR`
 * (~/.meshery), `MESHERY_DATABASE_URL`, `MESHERY_PLUGINS_DIR` (extra plugin directories,
 * separated by the platform's path delimiter), `MESHERY_MAX_TEST_DURATION_SECONDS` (3600),
 * `MESHERY_MAX_CONNECTIONS` (10000), `MESHERY_MAX_RATE` (1000000), `MESHERY_PUBLIC_URL`,
 * `MESHERY_PLUGIN_CONFIG` (a YAML or JSON file of `<pluginId>: { ... }`; `<dataDir>/plugins.yaml`
 * when it exists), `MESHERY_ARTIFACTS_MIRROR` (a directory or URL mirroring release artifacts),
 * `MESHERY_ARTIFACTS_OFFLINE` (`1`: never download from the internet),
 * `MESHERY_MESH_STATUS_INTERVAL_SECONDS` (10).
 */
export function loadServerConfig(env: NodeJS.ProcessEnv, workspaceRoot: string): ServerConfig {
  const host = env['MESHERY_HOST'] || '127.0.0.1';
  const port = integer(env, 'MESHERY_PORT', 9081, 0, 65535);
  const token = env['MESHERY_TOKEN'] || undefined;
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
  if (!loopback && !token) {
    throw new ConfigError(
      `MESHERY_HOST=${host} exposes the server beyond this machine, which needs a token: set MESHERY_TOKEN to a long random secret (clients send it as "Authorization: Bearer <token>")`,
    );
  }
  const dataDir = path.resolve(env['MESHERY_DATA_DIR'] || path.join(os.homedir(), '.meshery'));
  const databaseUrl = env['MESHERY_DATABASE_URL'] || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      `MESHERY_DATABASE_URL must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/meshery; unset it to use the embedded SQLite database`,
    );
  }
  const extraPluginDirs = (env['MESHERY_PLUGINS_DIR'] ?? '')
    .split(path.delimiter)
    .filter((dir) => dir.length > 0)
    .map((dir) => path.resolve(dir));
  const pluginConfigFile = env['MESHERY_PLUGIN_CONFIG']
    ? path.resolve(env['MESHERY_PLUGIN_CONFIG'])
    : existsSync(path.join(dataDir, 'plugins.yaml'))
      ? path.join(dataDir, 'plugins.yaml')
      : undefined;
  return {
    version: SERVER_VERSION,
    pluginConfig: pluginConfigFile ? readPluginConfig(pluginConfigFile) : {},
    ...(env['MESHERY_SECRET_KEY'] ? { secretKey: env['MESHERY_SECRET_KEY'] } : {}),
    ...(env['KUBECONFIG'] ? { kubeconfigEnv: env['KUBECONFIG'] } : {}),
    webDir: path.resolve(env['MESHERY_WEB_DIR'] || path.join(workspaceRoot, 'apps', 'web', 'dist')),
    ...(pluginConfigFile ? { pluginConfigFile } : {}),
    host,
    port,
    ...(token ? { token } : {}),
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    sqlitePath: path.join(dataDir, 'meshery.db'),
    pluginDirs: [path.join(workspaceRoot, 'plugins'), ...extraPluginDirs],
    nodeModulesDirs: [path.join(workspaceRoot, 'node_modules')],
    performance: {
      maxDurationSeconds: integer(env, 'MESHERY_MAX_TEST_DURATION_SECONDS', 3600, 1, 7 * 24 * 3600),
      maxConnections: integer(env, 'MESHERY_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
      maxRate: integer(env, 'MESHERY_MAX_RATE', 1_000_000, 1, 100_000_000),
      maxWarmupSeconds: integer(env, 'MESHERY_MAX_WARMUP_SECONDS', 600, 0, 3600),
    },
    publicUrl: (env['MESHERY_PUBLIC_URL'] || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/$/, ''),
    publicUrlFromEnv: Boolean(env['MESHERY_PUBLIC_URL']),
    artifacts: { ...(artifactsMirror(env) ? { mirror: artifactsMirror(env)! } : {}), offline: flag(env, 'MESHERY_ARTIFACTS_OFFLINE') },
    meshStatusIntervalSeconds: integer(env, 'MESHERY_MESH_STATUS_INTERVAL_SECONDS', 10, 1, 3600),
  };
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name}="${env[name]}" is not valid: expected 1/true or 0/false`);
}

/** The artifacts mirror: a URL as given, a directory resolved (it must exist). */
function artifactsMirror(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env['MESHERY_ARTIFACTS_MIRROR']?.trim();
  if (!raw) return undefined;
  if (/^(https?|file):/i.test(raw)) return raw;
  const dir = path.resolve(raw);
  if (!existsSync(dir)) {
    throw new ConfigError(`MESHERY_ARTIFACTS_MIRROR="${raw}" is not valid: ${dir} does not exist (give a directory laid out as <mirror>/<host>/<path> of the release URLs, or an http(s) URL)`);
  }
  return dir;
}

/** Reads `<pluginId>: { ...config }` from a YAML or JSON file. */
function readPluginConfig(file: string): Record<string, Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`plugin configuration file ${file} cannot be read (${(error as Error).message}); fix MESHERY_PLUGIN_CONFIG or create the file`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { maxAliasCount: 50 }) ?? {};
  } catch (error) {
    throw new ConfigError(`plugin configuration file ${file} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(parsed)) {
    throw new ConfigError(`plugin configuration file ${file} must map plugin ids to objects, e.g. "perf-autocannon: {}"`);
  }
  for (const [pluginId, value] of Object.entries(parsed)) {
    if (!isObject(value)) {
      throw new ConfigError(`plugin configuration file ${file}: the value of "${pluginId}" must be an object of settings`);
    }
  }
  return parsed as Record<string, Record<string, unknown>>;
}
