import { PluginError, type LoadModel, type LoadTestSpec } from '@meshery/plugin-api';

/**
 * How a spec's load is offered. This plugin drives autocannon's per-connection clients itself
 * (see `autocannon-connection.ts`), so neither model needs autocannon's own rate limiting.
 */
export interface LoadModelPlan {
  readonly loadModel: LoadModel;
  /** Keep-alive connections opened. */
  readonly connections: number;
  /** Open loop: the target rate, requests per second over all connections. */
  readonly rate?: number;
  /** Adjustments made to the spec, to log. */
  readonly notes: readonly string[];
}

/**
 * Closed loop (`spec.rate` absent): `connections` connections, each sending its next request as
 * soon as the previous answer arrives.
 *
 * Open loop (`spec.rate` set): one schedule of sends evenly spaced at `1 / rate` seconds, each
 * dispatched at its time to a free connection, latency measured from the intended send time
 * (see `open-loop-schedule.ts`). Any positive rate is accepted, fractions included; the number
 * of connections is kept as given (it bounds how many requests can be in flight at once).
 */
export function planLoadModel(spec: LoadTestSpec): LoadModelPlan {
  if (spec.rate === undefined) {
    return { loadModel: 'closed-loop', connections: spec.connections, notes: [] };
  }
  if (!Number.isFinite(spec.rate) || spec.rate <= 0) {
    throw new PluginError('INVALID_REQUEST', `A rate of ${spec.rate} requests per second cannot be scheduled`, {
      field: 'spec.rate',
      probableCause: 'An open-loop rate must be a number of requests per second greater than 0.',
      remediation: 'Set a rate greater than 0, or omit it for a closed-loop test.',
    });
  }
  return { loadModel: 'open-loop', connections: spec.connections, rate: spec.rate, notes: [] };
}
