import {
  HTTP_METHODS,
  PluginError,
  PluginTokens,
  type Clock,
  type LoadGenerator,
  type LoadGeneratorDescriptor,
  type LoadTestProgress,
  type LoadTestResult,
  type LoadTestSpec,
  type OperationContext,
  type PluginLogger,
} from '@meshery/plugin-api';
import { inject, injectable } from 'tsyringe';
import { autocannonVersion } from './engine-version.js';
import { planLoadModel } from './load-model.js';
import { LoadTestRun } from './load-test-run.js';
import { MAX_CONNECTIONS, buildRequestOptions } from './request-options.js';

/** Largest open-loop rate accepted, in requests per second. */
export const MAX_RATE = 1_000_000;

/**
 * HTTP load generator built on autocannon, run by the host in the plugin's worker thread.
 *
 * @example
 * ```ts
 * registrar.addLoadGenerator(AutocannonLoadGenerator);
 * ```
 */
@injectable()
export class AutocannonLoadGenerator implements LoadGenerator {
  readonly descriptor: LoadGeneratorDescriptor;

  constructor(
    @inject(PluginTokens.logger) private readonly logger: PluginLogger,
    @inject(PluginTokens.clock) private readonly clock: Clock,
  ) {
    this.descriptor = Object.freeze({
      name: 'autocannon',
      displayName: 'Autocannon',
      engineVersion: autocannonVersion(),
      protocols: Object.freeze(['http', 'https'] as const),
      methods: Object.freeze([...HTTP_METHODS]),
      loadModels: Object.freeze(['closed-loop', 'open-loop'] as const),
      maxConnections: MAX_CONNECTIONS,
      maxRate: MAX_RATE,
      supportsWarmup: true,
    });
    this.logger.debug('autocannon load generator ready', { engineVersion: this.descriptor.engineVersion });
  }

  /**
   * Runs one load test. Resolves with the measured result, also when cancelled (then with what
   * was measured until the cancel and `cancelled: true`). Throws a `PluginError`:
   * `INVALID_REQUEST` for a spec autocannon cannot run at all, `CANCELLED` when the signal had
   * already aborted before the test started.
   */
  async run(spec: LoadTestSpec, ctx: OperationContext<LoadTestProgress>): Promise<LoadTestResult> {
    const request = buildRequestOptions(spec);
    const plan = planLoadModel(spec);
    if (plan.rate !== undefined && plan.rate > MAX_RATE) {
      throw new PluginError('INVALID_REQUEST', `A rate of ${spec.rate} requests per second is above this generator's limit`, {
        field: 'spec.rate',
        probableCause: `This generator schedules at most ${MAX_RATE} requests per second.`,
        remediation: `Set a rate of at most ${MAX_RATE}.`,
      });
    }
    if (ctx.signal.aborted) {
      throw new PluginError('CANCELLED', 'The load test was cancelled before it started', {
        probableCause: 'The operation was cancelled (or the server stopped) before the test began.',
        remediation: 'Start the test again.',
      });
    }
    for (const note of plan.notes) ctx.logger.warn(note);
    ctx.logger.info('load test starting', {
      url: request.url,
      method: request.method,
      loadModel: plan.loadModel,
      connections: plan.connections,
      ...(plan.rate !== undefined ? { rate: plan.rate } : {}),
      warmupSeconds: spec.warmupSeconds,
      durationSeconds: spec.durationSeconds,
    });
    return new LoadTestRun({
      spec,
      request,
      plan,
      ctx,
      clock: this.clock,
      engine: { name: this.descriptor.name, version: this.descriptor.engineVersion },
    }).start();
  }
}
