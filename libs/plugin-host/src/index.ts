export * from './host-logger.js';
export * from './discovery.js';
export * from './compatibility.js';
export * from './plugin-config.js';
export { instantiatePlugin, importPluginEntry, systemClock, forwardingLogger, type PluginProviders, type PluginServices } from './instantiate.js';
export * from './plugin-host.js';
export { PluginWorkerConnection } from './plugin-worker-connection.js';
export type { ProviderDescriptors, WorkerInit } from './worker-protocol.js';
