import type { PluginLogger } from './services.js';

/**
 * What the host hands to every long-running plugin action.
 *
 * The plugin must stop promptly when `signal` aborts and then reject with a `CANCELLED`
 * {@link PluginError} (or return a partial result where its contract says so). Progress goes
 * through `emit`, which never throws and never blocks.
 *
 * @typeParam TEvent - the typed progress events of this kind of action.
 *
 * @example
 * ```ts
 * async run(spec: LoadTestSpec, ctx: OperationContext<LoadTestProgress>) {
 *   ctx.logger.info('starting', { url: spec.url });
 *   ctx.signal.addEventListener('abort', () => engine.stop());
 *   ctx.emit({ type: 'progress', ...sample });
 * }
 * ```
 */
export interface OperationContext<TEvent = unknown> {
  /** Stable id of this operation, also shown to the user. */
  readonly operationId: string;
  /** Aborts when the user cancels or the host shuts down. */
  readonly signal: AbortSignal;
  /** A logger tagged with the plugin id and the operation id. */
  readonly logger: PluginLogger;
  /** Reports a progress event to the host (and on to subscribed clients). */
  emit(event: TEvent): void;
}
