import { packageTestConfig } from '../../vitest.shared.js';

export default packageTestConfig('create-plugin', { include: ['*.spec.ts'] });
