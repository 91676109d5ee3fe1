import { packageTestConfig } from '../../vitest.shared.js';

export default packageTestConfig('mesh-linkerd', { fileParallelism: false });
