import { packageTestConfig } from '../../vitest.shared.js';

export default packageTestConfig('mesh-istio', { fileParallelism: false });
