import path from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The vitest settings every package shares: SWC so decorator metadata is emitted as tsc would,
 * and, when MESHERY_TEST_REPORT_DIR is set (CI), a JSON report per package for the run summary.
 */
export function packageTestConfig(name: string, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  const reportDir = process.env['MESHERY_TEST_REPORT_DIR'];
  return defineConfig({
    plugins: [
      swc.vite({
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
      }),
    ],
    test: {
      name,
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      reporters: reportDir ? ['default', 'json'] : ['default'],
      ...(reportDir ? { outputFile: { json: path.join(reportDir, `${name.replace(/[^a-z0-9-]/gi, '_')}.json`) } } : {}),
      ...overrides,
    },
  });
}
