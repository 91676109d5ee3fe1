import type { PluginConfig } from '@meshery/plugin-api';

/** The plugin configuration (manifest `configSchema`), with its defaults. */
export interface IstioSettings {
  /** A directory or base URL laid out as `<mirror>/<host>/<path>` of the official URLs. */
  readonly mirror?: string;
  /** An installed istioctl to use instead of the release archive's; its version must match. */
  readonly cliPath?: string;
  /** How long to wait for the control plane (and sample apps) to become ready. */
  readonly readinessTimeoutSeconds: number;
  /** How long one istioctl command may run. */
  readonly cliTimeoutSeconds: number;
  /** Versions offered besides the pinned ones. */
  readonly versions: readonly string[];
  /**
   * Pinned SHA-256 digests (lower-case hex) of release archives, keyed by `<version>/<platform>`
   * (`1.24.0/linux-amd64`) or by the archive's file name (`istio-1.24.0-linux-amd64.tar.gz`).
   */
  readonly checksums: Readonly<Record<string, string>>;
}

export const DEFAULT_READINESS_TIMEOUT_SECONDS = 300;
export const DEFAULT_CLI_TIMEOUT_SECONDS = 120;

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const positive = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;

/** Reads the settings; the host has already checked them against the manifest's schema. */
export function readIstioSettings(config: PluginConfig): IstioSettings {
  const mirror = nonEmpty(config.get('mirror'));
  const cliPath = nonEmpty(config.get('cliPath'));
  const versions = config.get<unknown>('versions');
  const checksums = config.get<unknown>('checksums');
  return {
    ...(mirror ? { mirror } : {}),
    ...(cliPath ? { cliPath } : {}),
    readinessTimeoutSeconds: positive(config.get('readinessTimeoutSeconds'), DEFAULT_READINESS_TIMEOUT_SECONDS),
    cliTimeoutSeconds: positive(config.get('cliTimeoutSeconds'), DEFAULT_CLI_TIMEOUT_SECONDS),
    versions: Array.isArray(versions) ? versions.filter((v): v is string => typeof v === 'string') : [],
    checksums: readChecksums(checksums),
  };
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

function readChecksums(value: unknown): Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, digest] of Object.entries(value as Record<string, unknown>)) {
    if (typeof digest === 'string' && SHA256_HEX.test(digest.trim())) out[key.trim()] = digest.trim().toLowerCase();
  }
  return Object.freeze(out);
}
