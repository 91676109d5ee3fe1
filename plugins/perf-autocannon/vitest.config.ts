import { packageTestConfig } from '../../vitest.shared.js';

// Load tests measure time: run the files one after the other, never two load tests at once.
export default packageTestConfig('perf-autocannon', { fileParallelism: false });
