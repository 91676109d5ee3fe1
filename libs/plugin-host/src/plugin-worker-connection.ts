import {
  PluginError,
  type ConformanceSuite,
  type LoadGenerator,
  type MeshProvider,
  type OperationContext,
  type PluginKind,
} from '@meshery/plugin-api';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HostLogSink } from './host-logger.js';
import type { PluginProviders } from './instantiate.js';
import {
  EXTENSION_POINT_METHODS,
  type HostToWorkerMessage,
  type InvocationReply,
  type ProviderDescriptors,
  type WorkerInit,
  type WorkerToHostMessage,
} from './worker-protocol.js';

function workerEntry(): URL {
  const beside = new URL('./plugin-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  // Running from TypeScript sources (tests): use the compiled worker.
  return new URL('../dist/plugin-worker.js', import.meta.url);
}

interface PendingCall {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: PluginError) => void;
  readonly ctx?: OperationContext;
}

/** How long a worker may take to load its plugin and register its providers. */
const START_TIMEOUT_MS = 30_000;

/**
 * The host side of a plugin that runs in its own worker thread. It starts the worker, hands
 * out proxies that look like in-process providers, and restarts the worker on the next call if
 * it died (the calls under way when it died fail with an `INTERNAL` error naming the plugin).
 */
export class PluginWorkerConnection {
  private worker: Worker | undefined;
  private starting: Promise<ProviderDescriptors> | undefined;
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingCall>();
  /** Every worker thread not yet exited, including one still loading the plugin. */
  private readonly live = new Set<Worker>();
  private stopped = false;

  constructor(
    private readonly init: WorkerInit,
    private readonly sink: HostLogSink,
    private readonly onUnexpectedExit: (reason: string) => void,
  ) {}

  /** Starts the worker and returns proxies for the providers the plugin registered. */
  async start(): Promise<PluginProviders> {
    const descriptors = await this.ensureWorker();
    const proxy = <T>(kind: PluginKind, index: number, descriptor: object): T => {
      const target: Record<string, unknown> = { descriptor };
      for (const [method, takesContext] of Object.entries(EXTENSION_POINT_METHODS[kind])) {
        target[method] = (...args: unknown[]) => {
          const ctx = takesContext ? (args.pop() as OperationContext) : undefined;
          return this.invoke(kind, index, method, args, ctx);
        };
      }
      return Object.freeze(target) as T;
    };
    return {
      loadGenerators: descriptors.loadGenerators.map((d, i) => proxy<LoadGenerator>('load-generator', i, d)),
      meshProviders: descriptors.meshProviders.map((d, i) => proxy<MeshProvider>('mesh-lifecycle', i, d)),
      conformanceSuites: descriptors.conformanceSuites.map((d, i) =>
        proxy<ConformanceSuite>('conformance', i, d),
      ),
    };
  }

  /** Stops the worker; calls under way fail with `CANCELLED`. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.worker = undefined;
    this.failPending(new PluginError('CANCELLED', `Plugin "${this.init.manifest.pluginId}" was stopped`));
    // Every live thread, also one still loading (a restart under way) that `worker` does not hold yet.
    await Promise.all([...this.live].map((w) => w.terminate()));
  }

  private ensureWorker(): Promise<ProviderDescriptors> {
    if (this.starting) return this.starting;
    this.starting = new Promise<ProviderDescriptors>((resolve, reject) => {
      const pluginId = this.init.manifest.pluginId;
      const worker = new Worker(workerEntry(), { workerData: this.init, name: `plugin:${pluginId}` });
      this.live.add(worker);
      let ready = false;
      const timer = setTimeout(() => {
        reject(new Error(`plugin "${pluginId}" did not finish loading in its worker within ${START_TIMEOUT_MS / 1000} s`));
        void worker.terminate();
      }, START_TIMEOUT_MS);
      worker.on('message', (message: WorkerToHostMessage) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            clearTimeout(timer);
            if (this.stopped) {
              reject(new PluginError('CANCELLED', `Plugin "${pluginId}" was stopped`));
              void worker.terminate();
              return;
            }
            this.worker = worker;
            resolve(message.descriptors);
            return;
          case 'init-failed':
            clearTimeout(timer);
            reject(new Error(message.message));
            void worker.terminate();
            return;
          default:
            this.onMessage(message);
        }
      });
      worker.on('error', (error) => {
        this.sink.log('error', `plugin worker error: ${error.message}`, { pluginId, stack: error.stack });
        if (!ready) {
          clearTimeout(timer);
          reject(error);
        }
      });
      worker.on('exit', (code) => {
        this.live.delete(worker);
        if (this.worker === worker) this.worker = undefined;
        this.starting = undefined;
        if (!ready) {
          clearTimeout(timer);
          reject(new Error(`plugin "${pluginId}" worker exited with code ${code} while loading`));
          return;
        }
        if (this.stopped) return;
        const reason = `the worker thread of plugin "${pluginId}" stopped unexpectedly (exit code ${code})`;
        this.failPending(
          new PluginError('INTERNAL', `Plugin "${pluginId}" crashed: ${reason}`, {
            probableCause: 'A bug in the plugin, or it ran out of memory.',
            remediation: 'Check the server log for the plugin’s last messages; the plugin is restarted on its next use.',
          }),
        );
        this.onUnexpectedExit(reason);
      });
    });
    this.starting.catch(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async invoke(
    kind: PluginKind,
    index: number,
    method: string,
    args: unknown[],
    ctx: OperationContext | undefined,
  ): Promise<unknown> {
    if (this.stopped) {
      throw new PluginError('PRECONDITION_FAILED', `Plugin "${this.init.manifest.pluginId}" is stopped`);
    }
    if (ctx?.signal.aborted) throw new PluginError('CANCELLED', 'Cancelled before it started');
    try {
      await this.ensureWorker();
    } catch (error) {
      if (this.stopped) throw new PluginError('CANCELLED', `Plugin "${this.init.manifest.pluginId}" was stopped`);
      throw new PluginError('INTERNAL', `Plugin "${this.init.manifest.pluginId}" could not be restarted: ${(error as Error).message}`);
    }
    const worker = this.worker;
    if (!worker) throw new PluginError('INTERNAL', `Plugin "${this.init.manifest.pluginId}" has no worker`);
    const requestId = this.nextRequestId++;
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = (): void => this.send(worker, { type: 'abort', requestId });
      const settle = <V>(fn: (v: V) => void) => (v: V) => {
        ctx?.signal.removeEventListener('abort', onAbort);
        fn(v);
      };
      this.pending.set(requestId, { resolve: settle(resolve), reject: settle(reject), ...(ctx ? { ctx } : {}) });
      ctx?.signal.addEventListener('abort', onAbort, { once: true });
      this.send(worker, {
        type: 'invoke',
        requestId,
        provider: { kind, index },
        method,
        args,
        ...(ctx ? { operationId: ctx.operationId } : {}),
      });
    });
  }

  private send(worker: Worker, message: HostToWorkerMessage): void {
    worker.postMessage(message);
  }

  private onMessage(message: WorkerToHostMessage): void {
    const pluginId = this.init.manifest.pluginId;
    switch (message.type) {
      case 'reply': {
        const call = this.pending.get(message.requestId);
        if (!call) return;
        this.pending.delete(message.requestId);
        settleReply(call, message.reply);
        return;
      }
      case 'event':
        this.pending.get(message.requestId)?.ctx?.emit(message.event);
        return;
      case 'log':
        this.sink.log(message.level, message.message, {
          ...message.fields,
          pluginId,
          ...(message.operationId ? { operationId: message.operationId } : {}),
        });
        return;
      default:
        return;
    }
  }

  private failPending(error: PluginError): void {
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }
}

function settleReply(call: PendingCall, reply: InvocationReply): void {
  if (reply.ok) call.resolve(reply.value);
  else call.reject(PluginError.fromJSON(reply.error));
}
