/**
 * Entry of the worker thread that hosts one plugin whose manifest says `runtime: "worker"`.
 * It loads the plugin exactly as the host does in-process and serves invocations from the
 * host over typed messages.
 */
import 'reflect-metadata';
import { PluginError, type LogFields, type OperationContext } from '@meshery/plugin-api';
import { parentPort, workerData } from 'node:worker_threads';
import { forwardingLogger, instantiatePlugin, type PluginProviders } from './instantiate.js';
import {
  EXTENSION_POINT_METHODS,
  type HostToWorkerMessage,
  type ProviderAddress,
  type WorkerInit,
  type WorkerToHostMessage,
} from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('plugin-worker must run in a worker thread');
const init = workerData as WorkerInit;

function post(message: WorkerToHostMessage): void {
  try {
    port!.postMessage(message);
  } catch {
    // A value that cannot be cloned (e.g. a function in log fields): send its JSON form.
    port!.postMessage(JSON.parse(JSON.stringify(message)) as WorkerToHostMessage);
  }
}

const logLine =
  (operationId?: string) =>
  (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: LogFields) =>
    post({ type: 'log', level, message, fields, ...(operationId ? { operationId } : {}) });

const aborters = new Map<number, AbortController>();

function providerAt(providers: PluginProviders, address: ProviderAddress): object | undefined {
  switch (address.kind) {
    case 'load-generator':
      return providers.loadGenerators[address.index];
    case 'mesh-lifecycle':
      return providers.meshProviders[address.index];
    case 'conformance':
      return providers.conformanceSuites[address.index];
  }
}

async function invoke(providers: PluginProviders, message: Extract<HostToWorkerMessage, { type: 'invoke' }>) {
  const takesContext = EXTENSION_POINT_METHODS[message.provider.kind][message.method];
  const provider = providerAt(providers, message.provider) as Record<string, unknown> | undefined;
  const method = provider?.[message.method];
  if (takesContext === undefined || typeof method !== 'function') {
    throw new PluginError('INTERNAL', `No method ${message.provider.kind}.${message.method} in this plugin`);
  }
  const args: unknown[] = [...message.args];
  if (takesContext) {
    const controller = new AbortController();
    aborters.set(message.requestId, controller);
    const operationId = message.operationId ?? String(message.requestId);
    const ctx: OperationContext = {
      operationId,
      signal: controller.signal,
      logger: forwardingLogger(logLine(operationId)),
      emit: (event: unknown) => post({ type: 'event', requestId: message.requestId, event }),
    };
    args.push(ctx);
  }
  return (method as (...a: unknown[]) => unknown).apply(provider, args);
}

async function main(): Promise<void> {
  let providers: PluginProviders;
  try {
    ({ providers } = await instantiatePlugin(init.entryPath, init.manifest, {
      logger: forwardingLogger(logLine()),
      config: init.config,
      hostInfo: init.hostInfo,
    }));
  } catch (error) {
    post({ type: 'init-failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port!.on('message', (message: HostToWorkerMessage) => {
    if (message.type === 'abort') {
      aborters.get(message.requestId)?.abort();
      return;
    }
    invoke(providers, message).then(
      (value) => post({ type: 'reply', requestId: message.requestId, reply: { ok: true, value } }),
      (error: unknown) =>
        post({
          type: 'reply',
          requestId: message.requestId,
          reply: { ok: false, error: PluginError.from(error).toJSON() },
        }),
    ).finally(() => aborters.delete(message.requestId));
  });
  post({
    type: 'ready',
    descriptors: {
      loadGenerators: providers.loadGenerators.map((p) => p.descriptor),
      meshProviders: providers.meshProviders.map((p) => p.descriptor),
      conformanceSuites: providers.conformanceSuites.map((p) => p.descriptor),
    },
  });
}

void main();
