import { packageTestConfig } from '../../vitest.shared.js';

// The suites start real server processes and load tests: one file at a time keeps the machine calm.
export default packageTestConfig('cli', { fileParallelism: false });
