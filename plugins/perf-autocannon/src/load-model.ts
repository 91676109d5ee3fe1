import { PluginError, type LoadModel, type LoadTestSpec } from '@meshery/plugin-api';

/**
 * How a spec's load model maps onto autocannon. This is the one place that decides how the
 * request rate is produced, so a proper open-loop scheduler can replace autocannon's
 * `overallRate` here without touching the measurement code.
 */
export interface LoadModelPlan {
  readonly loadModel: LoadModel;
  /** Connections autocannon opens. */
  readonly connections: number;
  /** autocannon's `overallRate` (requests per second over all connections), open loop only. */
  readonly overallRate?: number;
  /** Adjustments made to the spec, to log. */
  readonly notes: readonly string[];
}

/**
 * Closed loop (`spec.rate` absent): `connections` connections, each sending its next request as
 * soon as the previous answer arrives.
 *
 * Open loop (`spec.rate` set): autocannon's `overallRate`, which splits the rate over the
 * connections as whole requests per second per connection; each connection sends its share of a
 * second back to back, then waits for the next second. autocannon cannot use more connections
 * than requests per second, so `connections` is lowered to the rate when it is larger, and the
 * rate is rounded to a whole number.
 */
export function planLoadModel(spec: LoadTestSpec): LoadModelPlan {
  if (spec.rate === undefined) {
    return { loadModel: 'closed-loop', connections: spec.connections, notes: [] };
  }
  if (!Number.isFinite(spec.rate) || spec.rate < 1) {
    throw new PluginError('INVALID_REQUEST', `A rate of ${spec.rate} requests per second cannot be run by autocannon`, {
      field: 'spec.rate',
      probableCause: 'autocannon schedules whole requests per second per connection, so its lowest rate is 1 request per second.',
      remediation: 'Set a rate of 1 request per second or more, or omit it for a closed-loop test.',
    });
  }
  const notes: string[] = [];
  const overallRate = Math.round(spec.rate);
  if (overallRate !== spec.rate) notes.push(`rate ${spec.rate} rounded to ${overallRate} requests per second`);
  let connections = spec.connections;
  if (overallRate < connections) {
    connections = overallRate;
    notes.push(`connections lowered from ${spec.connections} to ${connections}, the rate, as autocannon needs at least 1 request per second per connection`);
  }
  return { loadModel: 'open-loop', connections, overallRate, notes };
}
