import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ErrorInfoModel } from '../../graphql/error-info.model.js';

@ObjectType('Label', { description: 'A key/value label, e.g. mesh=istio.' })
export class LabelModel {
  @Field() key!: string;
  @Field() value!: string;
}

@ObjectType('HttpHeader')
export class HttpHeaderModel {
  @Field() name!: string;
  @Field() value!: string;
}

@ObjectType('Count', { description: 'A count per key, e.g. responses per status code.' })
export class CountModel {
  @Field() key!: string;
  @Field(() => Float) count!: number;
}

@ObjectType('LoadGenerator', { description: 'A load generator offered by a plugin, and what it supports.' })
export class LoadGeneratorModel {
  @Field({ description: 'Name used to pick this generator in a test.' }) name!: string;
  @Field() displayName!: string;
  @Field() pluginId!: string;
  @Field() engineVersion!: string;
  @Field(() => [String]) protocols!: string[];
  @Field(() => [String]) methods!: string[];
  @Field(() => [String], { description: 'closed-loop and/or open-loop' }) loadModels!: string[];
  @Field(() => Int) maxConnections!: number;
  @Field(() => Float, { nullable: true }) maxRate?: number;
  @Field() supportsWarmup!: boolean;
}

@ObjectType('LoadTestSpec', { description: 'What a load test does.' })
export class LoadTestSpecModel {
  @Field() url!: string;
  @Field() method!: string;
  @Field(() => [HttpHeaderModel]) headers!: HttpHeaderModel[];
  @Field({ nullable: true }) body?: string;
  @Field({ nullable: true }) contentType?: string;
  @Field(() => Int) connections!: number;
  @Field(() => Float) durationSeconds!: number;
  @Field(() => Float, { nullable: true, description: 'Target requests/s; null means as fast as possible.' })
  rate?: number;
  @Field(() => Float) warmupSeconds!: number;
  @Field(() => Float) requestTimeoutSeconds!: number;
  @Field({ nullable: true }) loadGenerator?: string;
}

@ObjectType('PerformanceProfile', { description: 'A saved load test.' })
export class PerformanceProfileModel extends LoadTestSpecModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => [LabelModel]) labels!: LabelModel[];
  @Field({ description: 'ISO-8601 UTC' }) createdAt!: string;
  @Field({ description: 'ISO-8601 UTC' }) updatedAt!: string;
}

@ObjectType('LatencySummary', { description: 'Latency statistics in milliseconds.' })
export class LatencySummaryModel {
  @Field(() => Float) minMs!: number;
  @Field(() => Float) meanMs!: number;
  @Field(() => Float, { nullable: true, description: 'Unknown for some imported results.' }) stddevMs?: number;
  @Field(() => Float) p50Ms!: number;
  @Field(() => Float, { nullable: true, description: 'Unknown for some imported results.' }) p75Ms?: number;
  @Field(() => Float) p90Ms!: number;
  @Field(() => Float) p99Ms!: number;
  @Field(() => Float, { nullable: true, description: 'Unknown for some imported results.' }) p999Ms?: number;
  @Field(() => Float) maxMs!: number;
}

@ObjectType('LatencyHistogram', {
  description: 'The full latency histogram, HdrHistogram V2 compressed and base64 encoded, values in microseconds.',
})
export class LatencyHistogramModel {
  @Field() encoding!: string;
  @Field() unit!: string;
  @Field(() => Float) lowestDiscernibleValue!: number;
  @Field(() => Float) highestTrackableValue!: number;
  @Field(() => Int) significantDigits!: number;
  @Field() data!: string;
}

@ObjectType('SendLateness', { description: 'How late sends left relative to the open-loop schedule.' })
export class SendLatenessModel {
  @Field(() => Float) meanMs!: number;
  @Field(() => Float) p50Ms!: number;
  @Field(() => Float) p99Ms!: number;
  @Field(() => Float) maxMs!: number;
}

@ObjectType('GeneratorDelay', { description: 'The load generator’s own lateness during the measured phase, sampled every 10 ms.' })
export class GeneratorDelayModel {
  @Field(() => Float) p99Ms!: number;
  @Field(() => Float) maxMs!: number;
}

@ObjectType('OpenLoopStats', {
  description:
    'Open loop: latency and histogram of the result are measured from each request’s intended send time (corrected for coordinated omission); these are the schedule kept and the uncorrected service time.',
})
export class OpenLoopStatsModel {
  @Field(() => Float, { description: 'Requests per second asked for.' }) targetRate!: number;
  @Field(() => Float, { description: 'Requests per second actually sent.' }) achievedRate!: number;
  @Field(() => Float) scheduledSends!: number;
  @Field(() => Float, { description: 'Sends later than lateThresholdMs.' }) lateSends!: number;
  @Field(() => Float) lateThresholdMs!: number;
  @Field(() => SendLatenessModel) lateness!: SendLatenessModel;
  @Field(() => LatencySummaryModel, { nullable: true, description: 'Actual send to response, not corrected.' })
  serviceTime?: LatencySummaryModel;
  @Field(() => LatencyHistogramModel) serviceTimeHistogram!: LatencyHistogramModel;
  @Field(() => GeneratorDelayModel, {
    nullable: true,
    description: 'How long the generator’s own thread was held up (GC, a busy CPU): responses that arrived meanwhile were recorded late by up to this much.',
  })
  generatorDelay?: GeneratorDelayModel;
}

@ObjectType('PerformanceEnvironment', { description: 'What produced a result.' })
export class PerformanceEnvironmentModel {
  @Field({ nullable: true }) loadGenerator?: string;
  @Field({ nullable: true }) loadGeneratorVersion?: string;
  @Field({ nullable: true }) pluginId?: string;
  @Field({ nullable: true }) pluginVersion?: string;
  @Field({ nullable: true }) serverVersion?: string;
  @Field({ nullable: true }) hostname?: string;
  @Field({ nullable: true }) platform?: string;
  @Field({ nullable: true }) nodeVersion?: string;
  @Field(() => Int, { nullable: true }) cpus?: number;
}

@ObjectType('ProgressSample', { description: 'A progress sample of a running test.' })
export class ProgressSampleModel {
  @Field({ description: 'warmup or measure' }) phase!: string;
  @Field(() => Float) elapsedSeconds!: number;
  @Field(() => Float) requests!: number;
  @Field(() => Float) errors!: number;
  @Field(() => Float) currentRps!: number;
  @Field(() => Float, { nullable: true }) latencyP50Ms?: number | null;
  @Field(() => Float, { nullable: true }) latencyP99Ms?: number | null;
}


export enum PerformanceRunStatusModel {
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
  INTERRUPTED = 'interrupted',
}
registerEnumType(PerformanceRunStatusModel, {
  name: 'PerformanceRunStatus',
  description: 'INTERRUPTED: the server stopped while the test ran; the samples gathered until then are kept.',
});

@ObjectType('PerformanceResult', { description: 'A performance test run and its measurements.' })
export class PerformanceResultModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => PerformanceRunStatusModel) status!: PerformanceRunStatusModel;
  @Field({ description: 'run or import' }) source!: string;
  @Field(() => ID, { nullable: true }) profileId?: string;
  @Field(() => LoadTestSpecModel, { nullable: true, description: 'Null for an imported result without its configuration.' })
  spec?: LoadTestSpecModel;
  @Field({ nullable: true, description: 'closed-loop or open-loop' }) loadModel?: string;
  @Field(() => [LabelModel]) labels!: LabelModel[];
  @Field({ description: 'ISO-8601 UTC' }) createdAt!: string;
  @Field({ description: 'ISO-8601 UTC' }) startedAt!: string;
  @Field({ nullable: true, description: 'ISO-8601 UTC' }) endedAt?: string;
  @Field(() => Float, { nullable: true }) measuredDurationSeconds?: number;
  @Field(() => Float, { nullable: true, description: 'Responses received.' }) requests?: number;
  @Field(() => Float, { nullable: true, description: 'Responses per second.' }) throughputRps?: number;
  @Field(() => LatencySummaryModel, { nullable: true }) latency?: LatencySummaryModel;
  @Field(() => [CountModel], { description: 'Responses per HTTP status code.' }) statusCodes!: CountModel[];
  @Field(() => Float, { nullable: true, description: 'Requests without a response.' }) errors?: number;
  @Field(() => [CountModel]) errorsByType!: CountModel[];
  @Field(() => Float, { nullable: true }) timeouts?: number;
  @Field(() => Float, { nullable: true }) bytesRead?: number;
  @Field(() => Float, { nullable: true }) bytesWritten?: number;
  @Field(() => LatencyHistogramModel, { nullable: true }) histogram?: LatencyHistogramModel;
  @Field(() => OpenLoopStatsModel, { nullable: true, description: 'Open-loop runs only.' }) openLoop?: OpenLoopStatsModel;
  @Field(() => PerformanceEnvironmentModel) environment!: PerformanceEnvironmentModel;
  @Field(() => [ProgressSampleModel]) samples!: ProgressSampleModel[];
  @Field(() => ErrorInfoModel, { nullable: true }) failure?: ErrorInfoModel;
  @Field({ description: 'Download link of the SMP document (JSON).' }) smpJsonUrl!: string;
  @Field({ description: 'Download link of the SMP document (YAML).' }) smpYamlUrl!: string;
}

@ObjectType('PerformanceResultPage')
export class PerformanceResultPageModel {
  @Field(() => [PerformanceResultModel]) items!: PerformanceResultModel[];
  @Field(() => Int, { description: 'Results matching the filter, over all pages.' }) total!: number;
  @Field(() => Int) limit!: number;
  @Field(() => Int) offset!: number;
}

@ObjectType('PerformanceTestProgress', {
  description: 'A live update of a run: a sample while it runs, then the final status with the result.',
})
export class PerformanceTestProgressModel {
  @Field(() => ID) runId!: string;
  @Field(() => PerformanceRunStatusModel) status!: PerformanceRunStatusModel;
  @Field({ description: 'True on the last event of the run.' }) done!: boolean;
  @Field(() => ProgressSampleModel, { nullable: true }) sample?: ProgressSampleModel;
  @Field(() => PerformanceResultModel, { nullable: true }) result?: PerformanceResultModel;
}

@ObjectType('MetricComparison', { description: 'One metric across the compared results.' })
export class MetricComparisonModel {
  @Field({ description: 'e.g. p99Ms, throughputRps' }) metric!: string;
  @Field(() => [Float], { nullable: 'items', description: 'The value per result, in the order of the results; null when unknown.' })
  values!: (number | null)[];
  @Field(() => [Float], {
    nullable: 'items',
    description: 'Difference from the first result in percent, per result; null when either value is unknown.',
  })
  differencesPercent!: (number | null)[];
}

@ObjectType('PerformanceComparison', { description: 'Several results side by side; the first is the baseline.' })
export class PerformanceComparisonModel {
  @Field(() => [PerformanceResultModel]) results!: PerformanceResultModel[];
  @Field(() => [MetricComparisonModel]) metrics!: MetricComparisonModel[];
  @Field(() => [String], { description: 'What makes the comparison misleading, e.g. mixed load models.' })
  warnings!: string[];
}
