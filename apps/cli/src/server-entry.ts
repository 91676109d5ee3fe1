import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the server's entry point is, in order: `--server-entry` / MESHERY_SERVER_ENTRY; the
 * workspace sibling of this package (`apps/cli/dist/` → `apps/server/dist/main.js`); the
 * installed `@meshery/server` package. Returns every candidate tried, and the first that exists.
 */
export function findServerEntry(override?: string, env: NodeJS.ProcessEnv = process.env): { entry?: string; tried: string[] } {
  const candidates: string[] = [];
  const explicit = override ?? env['MESHERY_SERVER_ENTRY'];
  if (explicit) {
    const resolved = path.resolve(explicit);
    return existsSync(resolved) ? { entry: resolved, tried: [resolved] } : { tried: [resolved] };
  }
  candidates.push(fileURLToPath(new URL('../../server/dist/main.js', import.meta.url)));
  try {
    candidates.push(fileURLToPath(import.meta.resolve('@meshery/server')));
  } catch {
    // Not installed beside the CLI.
  }
  const entry = candidates.find((candidate) => existsSync(candidate));
  return entry ? { entry, tried: candidates } : { tried: candidates };
}
