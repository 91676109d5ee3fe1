import type { PluginConfig } from '@meshery/plugin-api';

/**
 * The plugin's configuration (manifest `configSchema`), read once. The host validates it against
 * the schema and fills in its defaults; the fallbacks here only matter for hosts that do not.
 */
export interface LinkerdSettings {
  /** Extra releases to offer besides the pinned ones. */
  readonly versions: readonly string[];
  /** An artifacts mirror (directory or URL) tried before the host-wide one. */
  readonly mirror?: string;
  /** A linkerd CLI already installed, used instead of downloading one. */
  readonly cliPath?: string;
  /** How long to wait for the control plane (and sample apps) to become ready. */
  readonly readinessTimeoutSeconds: number;
  /** How long one run of the CLI may take. */
  readonly cliTimeoutSeconds: number;
  readonly trustAnchorValidityDays: number;
  readonly issuerValidityDays: number;
  /** Pinned SHA-256 digests of the sample applications' manifests, by app name. */
  readonly sampleAppSha256: Readonly<Record<string, string>>;
  /**
   * Pinned SHA-256 digests (hex) of CLI files, by file name (`linkerd2-cli-<version>-<platform>`):
   * a pinned CLI is verified against it instead of the `.sha256` file published beside it.
   */
  readonly checksums: Readonly<Record<string, string>>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

function digests(value: unknown): Record<string, string> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter((e): e is [string, string] => typeof e[1] === 'string' && SHA256_HEX.test(e[1]))
          .map(([name, hex]) => [name, hex.toLowerCase()]),
      )
    : {};
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Reads the plugin configuration. */
export function readSettings(config: PluginConfig): LinkerdSettings {
  const versions = config.get<unknown>('versions');
  const mirror = text(config.get('mirror'));
  const cliPath = text(config.get('cliPath'));
  return {
    versions: Array.isArray(versions) ? versions.filter((v): v is string => typeof v === 'string') : [],
    ...(mirror ? { mirror } : {}),
    ...(cliPath ? { cliPath } : {}),
    readinessTimeoutSeconds: positive(config.get('readinessTimeoutSeconds'), 300),
    cliTimeoutSeconds: positive(config.get('cliTimeoutSeconds'), 120),
    trustAnchorValidityDays: positive(config.get('trustAnchorValidityDays'), 3650),
    issuerValidityDays: positive(config.get('issuerValidityDays'), 365),
    sampleAppSha256: digests(config.get<unknown>('sampleAppSha256')),
    checksums: digests(config.get<unknown>('checksums')),
  };
}
