export * from './api-discovery.js';
export * from './apply-engine.js';
export * from './apply-order.js';
export * from './engine-kubernetes-service.js';
export * from './inventory.js';
export * from './kube-api-client.js';
export * from './manifest.js';
export * from './readiness.js';
