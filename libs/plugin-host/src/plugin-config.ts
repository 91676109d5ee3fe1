import type { PluginManifest } from '@meshery/plugin-api';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** The outcome of checking a plugin's configuration against its manifest's `configSchema`. */
export type PluginConfigCheck =
  | { readonly ok: true; readonly config: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks configuration values against the manifest's `configSchema` (JSON Schema 2020-12), with
 * the schema's defaults filled in. A plugin without a schema accepts any object.
 */
export function checkPluginConfig(
  manifest: PluginManifest,
  values: Readonly<Record<string, unknown>>,
): PluginConfigCheck {
  const config = structuredClone({ ...values });
  if (!manifest.configSchema) return { ok: true, config };
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false });
  let validate;
  try {
    validate = ajv.compile(manifest.configSchema);
  } catch (error) {
    return {
      ok: false,
      problems: [`the manifest's configSchema is not a valid JSON Schema (${(error as Error).message}); the plugin author must fix it`],
    };
  }
  if (validate(config)) return { ok: true, config };
  return {
    ok: false,
    problems: (validate.errors ?? []).map((error) => {
      const where = error.instancePath === '' ? 'the configuration' : error.instancePath.slice(1).replaceAll('/', '.');
      const extra =
        error.keyword === 'additionalProperties'
          ? ` ("${String((error.params as { additionalProperty?: string }).additionalProperty)}")`
          : '';
      return `${where} ${error.message ?? 'is invalid'}${extra}`;
    }),
  };
}
