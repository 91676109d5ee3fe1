import type { PluginManifest } from '@meshery/plugin-api';
import semver from 'semver';

/**
 * Why a plugin with a valid manifest cannot run on this host, or `null` when it can. Decided
 * from the static manifest alone, before any plugin code runs.
 */
export function incompatibilityReason(
  manifest: PluginManifest,
  host: { readonly version: string; readonly apiVersions: readonly number[] },
): string | null {
  if (!host.apiVersions.includes(manifest.apiVersion)) {
    return (
      `built for plugin API v${manifest.apiVersion}, but this server implements ` +
      `v${host.apiVersions.join(', v')}; install a release of the plugin built for ` +
      `v${host.apiVersions.at(-1)}`
    );
  }
  const range = semver.validRange(manifest.engines.meshery);
  if (range === null) {
    return `engines.meshery "${manifest.engines.meshery}" is not a valid semver range; the plugin author must fix the manifest`;
  }
  if (!semver.satisfies(host.version, range, { includePrerelease: true })) {
    return (
      `requires Meshery ${manifest.engines.meshery}, but this server is ${host.version}; ` +
      `use a plugin release that accepts ${host.version} or a server in that range`
    );
  }
  return null;
}
