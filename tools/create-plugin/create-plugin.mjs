#!/usr/bin/env node
// Writes a complete Meshery plugin skeleton (manifest, entry, provider, spec, README) that builds
// and passes its own test. Usage:
//   node tools/create-plugin/create-plugin.mjs --id perf-k6 --kind load-generator [--dir plugins/perf-k6]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const KINDS = ['load-generator', 'mesh-lifecycle', 'conformance'];

/** Renders the skeleton's files as { relativePath: content }. */
export function renderPlugin({ id, kind, displayName }) {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) {
    throw new Error(`--id "${id}" must be kebab-case, e.g. perf-k6`);
  }
  if (!KINDS.includes(kind)) throw new Error(`--kind "${kind}" must be one of ${KINDS.join(', ')}`);
  const className = id.replace(/(^|-)([a-z0-9])/g, (_, __, c) => c.toUpperCase());
  const vars = { id, kind, displayName: displayName ?? className, className };
  const fill = (text) => text.replace(/__(\w+)__/g, (_, name) => vars[name]);
  const template = (name) => fill(readFileSync(path.join(here, 'templates', kind, name), 'utf8'));
  const common = (name) => fill(readFileSync(path.join(here, 'templates', 'common', name), 'utf8'));
  return {
    'package.json': common('package.json.tmpl'),
    'tsconfig.json': common('tsconfig.json.tmpl'),
    'tsconfig.build.json': common('tsconfig.build.json.tmpl'),
    'vitest.config.ts': common('vitest.config.ts.tmpl'),
    'README.md': common('README.md.tmpl'),
    'src/index.ts': template('index.ts.tmpl'),
    [`src/${id}-provider.ts`]: template('provider.ts.tmpl'),
    [`test/${id}.spec.ts`]: template('spec.ts.tmpl'),
  };
}

/** Writes the skeleton into `dir`, refusing to overwrite an existing plugin. */
export function createPlugin(options) {
  const dir = path.resolve(options.dir);
  if (existsSync(path.join(dir, 'package.json'))) {
    throw new Error(`${dir} already holds a package.json; choose another --dir`);
  }
  const files = renderPlugin(options);
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return Object.keys(files).map((f) => path.join(dir, f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const { values } = parseArgs({
      options: { id: { type: 'string' }, kind: { type: 'string', default: 'load-generator' }, dir: { type: 'string' }, name: { type: 'string' } },
    });
    if (!values.id) throw new Error('--id is required, e.g. --id perf-k6');
    if (values.kind !== 'load-generator') {
      throw new Error(`--kind ${values.kind}: only load-generator skeletons exist so far`);
    }
    const written = createPlugin({ id: values.id, kind: values.kind, dir: values.dir ?? path.join('plugins', values.id), displayName: values.name });
    console.log(`Wrote ${written.length} files:\n  ${written.join('\n  ')}\nNext: npm install && npm run build && npm test`);
  } catch (error) {
    console.error(`create-plugin: ${error.message}`);
    process.exit(2);
  }
}
