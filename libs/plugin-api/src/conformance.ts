import type { OperationContext } from './operation.js';

/**
 * A conformance suite: which specification it checks and at which version.
 *
 * @example
 * ```ts
 * const d: ConformanceSuiteDescriptor = { id: 'smi-traffic-split', displayName: 'SMI Traffic Split',
 *   specification: 'smi', specVersion: 'v1alpha4' };
 * ```
 */
export interface ConformanceSuiteDescriptor {
  readonly id: string;
  readonly displayName: string;
  /** e.g. `smi` or `gateway-api-mesh` (GAMMA). */
  readonly specification: string;
  readonly specVersion: string;
}

/**
 * One test of a suite.
 *
 * @example
 * ```ts
 * const t: ConformanceTestInfo = { id: 'traffic-split-weights', name: 'Weights are honoured', capability: 'traffic-split' };
 * ```
 */
export interface ConformanceTestInfo {
  readonly id: string;
  readonly name: string;
  /** The capability of the specification this test checks. */
  readonly capability: string;
}

/**
 * Where a suite runs: a cluster connection and the mesh under test.
 *
 * @example
 * ```ts
 * const target: ConformanceTarget = { contextId: 'b1f8…', mesh: 'linkerd', namespace: 'conformance' };
 * ```
 */
export interface ConformanceTarget {
  readonly contextId: string;
  readonly mesh: string;
  readonly namespace: string;
  /** Only these test ids; all when absent. */
  readonly tests?: readonly string[];
}

/**
 * A progress event of a conformance run.
 *
 * @example
 * ```ts
 * ctx.emit({ type: 'test-finished', testId: 'traffic-split-weights', outcome: 'passed' });
 * ```
 */
export type ConformanceEvent =
  | { readonly type: 'test-started'; readonly testId: string }
  | {
      readonly type: 'test-finished';
      readonly testId: string;
      readonly outcome: ConformanceOutcome;
    };

/**
 * The outcome of one test.
 *
 * @example
 * ```ts
 * const outcome: ConformanceOutcome = 'skipped';
 * ```
 */
export type ConformanceOutcome = 'passed' | 'failed' | 'skipped';

/**
 * A suite's report: per-test outcomes and the capability score.
 *
 * @example
 * ```ts
 * const passedShare = report.results.filter((r) => r.outcome === 'passed').length / report.results.length;
 * ```
 */
export interface ConformanceReport {
  readonly suite: ConformanceSuiteDescriptor;
  readonly results: readonly {
    readonly testId: string;
    readonly outcome: ConformanceOutcome;
    readonly message?: string;
    readonly durationMs: number;
  }[];
  /** Capabilities whose tests all passed, e.g. `{ 'traffic-split': 'full', 'traffic-access': 'partial' }`. */
  readonly capabilities: Readonly<Record<string, 'full' | 'partial' | 'none'>>;
}

/**
 * The conformance extension point.
 *
 * @example
 * ```ts
 * @injectable()
 * export class SmiTrafficSplitSuite implements ConformanceSuite { readonly descriptor = d; ... }
 * ```
 */
export interface ConformanceSuite {
  readonly descriptor: ConformanceSuiteDescriptor;
  listTests(): Promise<readonly ConformanceTestInfo[]>;
  run(target: ConformanceTarget, ctx: OperationContext<ConformanceEvent>): Promise<ConformanceReport>;
}
