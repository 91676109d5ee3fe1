import path from 'node:path';
import { defineConfig } from 'vitest/config';

const reportDir = process.env['MESHERY_TEST_REPORT_DIR'];

/**
 * Unit tests of the pure helpers (src) and the browser tests (test), which start the real server
 * and drive Debian's chromium against the production build. One file at a time: the machine is
 * small and the browser tests time a live run.
 */
export default defineConfig({
  test: {
    name: '@meshery/web',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: reportDir ? ['default', 'json'] : ['default'],
    ...(reportDir ? { outputFile: { json: path.join(reportDir, '_meshery_web.json') } } : {}),
  },
});
