import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where plugins are looked for.
 * - `package`: one plugin package directory (tests, `--plugin` style loading).
 * - `directory`: every sub-directory holding a package.json is a plugin candidate (workspace
 *   `plugins/*`, `MESHERY_PLUGINS_DIR`); one without a manifest is reported, not skipped.
 * - `node-modules`: installed packages (and `@scope/*` packages) whose package.json carries a
 *   `"meshery"` key.
 */
export type PluginSource =
  | { readonly kind: 'package'; readonly path: string }
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 'node-modules'; readonly path: string };

/** A package found by discovery, before its manifest is checked. */
export interface DiscoveredPackage {
  /** Real path of the package directory. */
  readonly dir: string;
  readonly packageJson: Readonly<Record<string, unknown>>;
  /** The source that found it, for messages. */
  readonly source: PluginSource;
}

async function isDirectory(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}

async function readPackageJson(dir: string): Promise<Record<string, unknown> | 'missing' | Error> {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'package.json'), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    // It exists but cannot be read (EACCES, EISDIR, ...): report it rather than skip it silently.
    return new Error(`package.json could not be read: ${(error as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return new Error('package.json is not a JSON object');
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    return new Error(`package.json is not valid JSON: ${(error as Error).message}`);
  }
}

async function childDirectories(dir: string): Promise<string[]> {
  if (!(await isDirectory(dir))) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const dirs: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(full)))) dirs.push(full);
  }
  return dirs.sort();
}

/** A package.json that could not be read, reported as a failed plugin. */
export interface UnreadablePackage {
  readonly dir: string;
  readonly source: PluginSource;
  readonly problem: string;
}

/**
 * Finds plugin packages in the given sources. The same package reached twice (a workspace
 * plugin is also linked into node_modules) is returned once, from the first source.
 */
export async function discoverPluginPackages(
  sources: readonly PluginSource[],
): Promise<{ packages: DiscoveredPackage[]; unreadable: UnreadablePackage[] }> {
  const seen = new Set<string>();
  const packages: DiscoveredPackage[] = [];
  const unreadable: UnreadablePackage[] = [];

  const consider = async (dir: string, source: PluginSource): Promise<void> => {
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) return;
    const packageJson = await readPackageJson(real);
    if (packageJson === 'missing') return;
    if (packageJson instanceof Error) {
      if (source.kind !== 'node-modules') {
        seen.add(real);
        unreadable.push({ dir: real, source, problem: packageJson.message });
      }
      return;
    }
    if (source.kind === 'node-modules' && !('meshery' in packageJson)) return;
    seen.add(real);
    packages.push({ dir: real, packageJson, source });
  };

  for (const source of sources) {
    if (source.kind === 'package') {
      await consider(source.path, source);
      continue;
    }
    if (source.kind === 'directory') {
      for (const dir of await childDirectories(source.path)) await consider(dir, source);
      continue;
    }
    for (const dir of await childDirectories(source.path)) {
      if (path.basename(dir).startsWith('@')) {
        for (const scoped of await childDirectories(dir)) await consider(scoped, source);
      } else {
        await consider(dir, source);
      }
    }
  }
  return { packages, unreadable };
}

/**
 * The module a plugin package's entry resolves to: `exports["."]` (its `import` or `default`
 * condition), then `main`, then `index.js`.
 */
export function resolvePluginEntry(dir: string, packageJson: Readonly<Record<string, unknown>>): string {
  const exportsField = packageJson['exports'];
  let target: unknown;
  if (typeof exportsField === 'string') target = exportsField;
  else if (exportsField && typeof exportsField === 'object') {
    const dot = (exportsField as Record<string, unknown>)['.'] ?? exportsField;
    if (typeof dot === 'string') target = dot;
    else if (dot && typeof dot === 'object') {
      const conditions = dot as Record<string, unknown>;
      target = conditions['import'] ?? conditions['default'] ?? conditions['node'];
    }
  }
  if (typeof target !== 'string' && typeof packageJson['main'] === 'string') target = packageJson['main'];
  return path.resolve(dir, typeof target === 'string' ? target : 'index.js');
}
