import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let cached: string | undefined;

/** The version of the autocannon package this plugin loads, read from its own package.json. */
export function autocannonVersion(): string {
  if (cached === undefined) {
    const manifest = require('autocannon/package.json') as { version?: unknown };
    cached = typeof manifest.version === 'string' ? manifest.version : 'unknown';
  }
  return cached;
}
