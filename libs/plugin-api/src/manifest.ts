import { z } from 'zod';

/**
 * The kinds of extension a plugin can provide.
 *
 * @example
 * ```ts
 * const kinds: PluginKind[] = ['load-generator'];
 * ```
 */
export type PluginKind = 'mesh-lifecycle' | 'load-generator' | 'conformance';

/**
 * Every {@link PluginKind}.
 *
 * @example
 * ```ts
 * for (const kind of PLUGIN_KINDS) console.log(kind);
 * ```
 */
export const PLUGIN_KINDS: readonly PluginKind[] = Object.freeze([
  'mesh-lifecycle',
  'load-generator',
  'conformance',
]);

/**
 * Where the host runs a plugin's code: on the server's main thread, or in a worker thread of its
 * own (for CPU-heavy plugins such as load generators). The contract is the same in both.
 *
 * @example
 * ```ts
 * const runtime: PluginRuntime = 'worker';
 * ```
 */
export type PluginRuntime = 'in-process' | 'worker';

/**
 * The static manifest a plugin package carries in its `package.json` under the key `"meshery"`.
 * The host reads and checks it before running any plugin code.
 *
 * @example
 * ```json
 * {
 *   "name": "@acme/meshery-perf-k6",
 *   "version": "1.2.0",
 *   "main": "./dist/index.js",
 *   "meshery": {
 *     "pluginId": "perf-k6",
 *     "displayName": "k6 load generator",
 *     "apiVersion": 1,
 *     "engines": { "meshery": ">=0.1.0 <1.0.0" },
 *     "kinds": ["load-generator"],
 *     "capabilities": { "load-generator": ["http", "closed-loop"] },
 *     "runtime": "worker",
 *     "configSchema": { "type": "object" }
 *   }
 * }
 * ```
 */
export interface PluginManifest {
  /** Unique id, kebab-case, e.g. `perf-autocannon`. */
  readonly pluginId: string;
  /** Human-readable name shown in the console. */
  readonly displayName: string;
  /** Optional one-line description. */
  readonly description?: string;
  /** The plugin-contract major the plugin was built for ({@link PLUGIN_API_VERSION}). */
  readonly apiVersion: number;
  /** Semver ranges of the hosts this plugin accepts. */
  readonly engines: { readonly meshery: string };
  /** What the plugin provides. */
  readonly kinds: readonly PluginKind[];
  /** Free-form capability names per kind, shown to users and used for feature checks. */
  readonly capabilities: Readonly<Partial<Record<PluginKind, readonly string[]>>>;
  /** Where the plugin's code runs. */
  readonly runtime: PluginRuntime;
  /** A JSON Schema (draft 2020-12 subset) of the plugin's configuration object. */
  readonly configSchema?: Readonly<Record<string, unknown>>;
}

const kebabCase = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const manifestSchema = z
  .object({
    pluginId: z
      .string()
      .min(2)
      .max(64)
      .regex(kebabCase, 'must be kebab-case, e.g. "perf-autocannon"'),
    displayName: z.string().min(1).max(100),
    description: z.string().max(500).optional(),
    apiVersion: z.number().int().positive(),
    engines: z.object({ meshery: z.string().min(1) }),
    kinds: z.array(z.enum(['mesh-lifecycle', 'load-generator', 'conformance'])).min(1),
    capabilities: z
      .partialRecord(
        z.enum(['mesh-lifecycle', 'load-generator', 'conformance']),
        z.array(z.string().min(1)),
      )
      .default({}),
    runtime: z.enum(['in-process', 'worker']),
    configSchema: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    for (const kind of Object.keys(manifest.capabilities)) {
      if (!manifest.kinds.includes(kind as PluginKind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['capabilities', kind],
          message: `lists capabilities for kind "${kind}", which is not in "kinds"`,
        });
      }
    }
  });

/**
 * The outcome of {@link validatePluginManifest}: the typed manifest, or every problem found,
 * each naming the field at fault.
 *
 * @example
 * ```ts
 * const checked = validatePluginManifest(pkg.meshery);
 * if (!checked.ok) console.error(checked.problems.join('; '));
 * ```
 */
export type ManifestValidation =
  | { readonly ok: true; readonly manifest: PluginManifest }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks a value read from a `package.json` `"meshery"` key against the manifest shape.
 *
 * @example
 * ```ts
 * const pkg = JSON.parse(await readFile('package.json', 'utf8'));
 * const checked = validatePluginManifest(pkg.meshery);
 * if (checked.ok) console.log(checked.manifest.pluginId);
 * ```
 */
export function validatePluginManifest(value: unknown): ManifestValidation {
  if (value === undefined || value === null) {
    return { ok: false, problems: ['the package.json has no "meshery" manifest object'] };
  }
  const parsed = manifestSchema.safeParse(value);
  if (parsed.success) return { ok: true, manifest: parsed.data as PluginManifest };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? `meshery.${issue.path.join('.')}` : 'meshery';
      return `${where}: ${issue.message}`;
    }),
  };
}
