/**
 * The major version of the plugin contract that this package describes.
 *
 * A plugin's manifest names the contract major it was built for in `apiVersion`; the host refuses
 * a plugin whose `apiVersion` it does not implement, before running any of the plugin's code.
 *
 * @example
 * ```ts
 * if (manifest.apiVersion !== PLUGIN_API_VERSION) throw new Error('built for another contract');
 * ```
 */
export const PLUGIN_API_VERSION = 1;
