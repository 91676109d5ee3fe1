import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { durationOption } from './duration.js';
import { usageError } from './exit-codes.js';
import { dataDir, runningLocalServer } from './local-server.js';

/** The server a fresh `npm start` (or `mesheryctl system start`) listens on. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:9081';
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_STALL_TIMEOUT_SECONDS = 15;

/** Options every command accepts. */
export interface GlobalOptions {
  server?: string;
  serverName?: string;
  token?: string;
  timeout?: string;
  stallTimeout?: string;
}

/** One named server of the config file. */
export interface ServerEntry {
  url: string;
  token?: string;
}

/**
 * `~/.meshery/config.yaml` (or MESHERY_CONFIG):
 *
 * ```yaml
 * current: local
 * servers:
 *   local: { url: http://127.0.0.1:9081 }
 *   ci: { url: http://meshery.ci.internal:9081, token: s3cret }
 * timeout: 30s
 * stallTimeout: 15s
 * ```
 */
export interface CliConfigFile {
  current?: string;
  servers: Record<string, ServerEntry>;
  timeout?: string;
  stallTimeout?: string;
}

/** Where the server is and how long to wait for it. */
export interface Connection {
  readonly url: string;
  readonly token?: string;
  readonly timeoutMs: number;
  readonly stallTimeoutMs: number;
  /** How the URL was chosen, for messages. */
  readonly source: string;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env['MESHERY_CONFIG'] || path.join(os.homedir(), '.meshery', 'config.yaml'));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the config file; an absent file is an empty config, a malformed one a usage error. */
export function loadConfigFile(file: string): CliConfigFile {
  if (!existsSync(file)) return { servers: {} };
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'), { maxAliasCount: 10 }) ?? {};
  } catch (error) {
    throw usageError(`the config file ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, 'Fix or remove the file.');
  }
  if (!isObject(parsed)) throw usageError(`the config file ${file} must be a YAML mapping`, 'See "Command line" in the README for its shape.');
  const servers: Record<string, ServerEntry> = {};
  const rawServers = parsed['servers'] ?? {};
  if (!isObject(rawServers)) throw usageError(`"servers" in ${file} must be a mapping of name: { url, token }`);
  for (const [name, entry] of Object.entries(rawServers)) {
    if (!isObject(entry) || typeof entry['url'] !== 'string') {
      throw usageError(`server "${name}" in ${file} has no url`, `Give it as  ${name}: { url: http://127.0.0.1:9081 }`);
    }
    servers[name] = { url: entry['url'], ...(typeof entry['token'] === 'string' ? { token: entry['token'] } : {}) };
  }
  const str = (key: string): string | undefined => {
    const value = parsed[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const current = str('current');
  const timeout = str('timeout');
  const stallTimeout = str('stallTimeout');
  return {
    servers,
    ...(current ? { current } : {}),
    ...(timeout ? { timeout } : {}),
    ...(stallTimeout ? { stallTimeout } : {}),
  };
}

function checkUrl(url: string, from: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`${from} "${url}" is not a URL`, `Give the server's address, e.g. ${DEFAULT_SERVER_URL}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`${from} "${url}" must be an http:// or https:// URL`, `Give the server's address, e.g. ${DEFAULT_SERVER_URL}`);
  }
  return url.replace(/\/+$/, '');
}

/**
 * Picks the server, in order: --server URL, --server-name NAME (config file), MESHERY_SERVER,
 * the config file's `current`, the server `mesheryctl system start` started, then
 * http://127.0.0.1:9081. The token: --token, the chosen config entry's token, MESHERY_TOKEN.
 */
export function resolveConnection(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Connection {
  const file = configPath(env);
  const config = loadConfigFile(file);
  let url: string;
  let token: string | undefined;
  let source: string;
  if (options.server) {
    url = checkUrl(options.server, '--server');
    source = '--server';
  } else if (options.serverName) {
    const entry = config.servers[options.serverName];
    if (!entry) {
      const known = Object.keys(config.servers);
      throw usageError(
        `no server named "${options.serverName}" in ${file}`,
        known.length > 0 ? `Use one of: ${known.join(', ')}; or add it under "servers".` : `Add it under "servers" in ${file}, or give --server URL.`,
      );
    }
    url = checkUrl(entry.url, `server "${options.serverName}" url`);
    token = entry.token;
    source = `server "${options.serverName}" of ${file}`;
  } else if (env['MESHERY_SERVER']) {
    url = checkUrl(env['MESHERY_SERVER'], 'MESHERY_SERVER');
    source = 'MESHERY_SERVER';
  } else if (config.current) {
    const entry = config.servers[config.current];
    if (!entry) throw usageError(`"current: ${config.current}" in ${file} names no server under "servers"`);
    url = checkUrl(entry.url, `server "${config.current}" url`);
    token = entry.token;
    source = `current server "${config.current}" of ${file}`;
  } else {
    const local = runningLocalServer(dataDir(env));
    url = local?.url ?? DEFAULT_SERVER_URL;
    source = local?.url ? `the server started by "mesheryctl system start" (pid ${local.pid})` : 'the default address';
  }
  token = options.token || token || env['MESHERY_TOKEN'] || undefined;
  const timeout = options.timeout ?? env['MESHERY_TIMEOUT'] ?? config.timeout;
  const stall = options.stallTimeout ?? config.stallTimeout;
  return {
    url,
    ...(token ? { token } : {}),
    timeoutMs: (timeout !== undefined ? durationOption('--timeout', timeout) : DEFAULT_TIMEOUT_SECONDS) * 1000,
    stallTimeoutMs: (stall !== undefined ? durationOption('--stall-timeout', stall) : DEFAULT_STALL_TIMEOUT_SECONDS) * 1000,
    source,
  };
}
