export * from './plugin-test-host.js';
export * from './http-target.js';
export * from './mirror.js';
