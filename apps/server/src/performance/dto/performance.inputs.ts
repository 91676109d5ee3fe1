import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';

@InputType('LabelInput')
export class LabelInput {
  @Field() key!: string;
  @Field() value!: string;
}

@InputType('HttpHeaderInput')
export class HttpHeaderInput {
  @Field() name!: string;
  @Field() value!: string;
}

@InputType('LoadTestSpecInput', { description: 'What a load test does. Unset fields take the defaults shown.' })
export class LoadTestSpecInput {
  @Field({ description: 'http:// or https:// URL of the service under test.' }) url!: string;
  @Field({ defaultValue: 'GET' }) method!: string;
  @Field(() => [HttpHeaderInput], { defaultValue: [] }) headers!: HttpHeaderInput[];
  @Field({ nullable: true }) body?: string;
  @Field({ nullable: true }) contentType?: string;
  @Field(() => Int, { defaultValue: 10 }) connections!: number;
  @Field(() => Float, { defaultValue: 30 }) durationSeconds!: number;
  @Field(() => Float, { nullable: true, description: 'Target requests/s (open loop); omit for as fast as possible.' })
  rate?: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Warm-up before measuring, left out of the result. Default: 5 s for tests of 30 s or more, else none.',
  })
  warmupSeconds?: number | null;
  @Field(() => Float, { defaultValue: 10 }) requestTimeoutSeconds!: number;
  @Field({ nullable: true, description: 'Name of a load generator (see loadGenerators); the first available when omitted.' })
  loadGenerator?: string;
}

@InputType('CreatePerformanceProfileInput')
export class CreatePerformanceProfileInput extends LoadTestSpecInput {
  @Field() name!: string;
  @Field(() => [LabelInput], { defaultValue: [] }) labels!: LabelInput[];
}

@InputType('UpdatePerformanceProfileInput', { description: 'Only the fields given change.' })
export class UpdatePerformanceProfileInput {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) url?: string;
  @Field({ nullable: true }) method?: string;
  @Field(() => [HttpHeaderInput], { nullable: true }) headers?: HttpHeaderInput[];
  @Field({ nullable: true, description: 'Empty string removes the body.' }) body?: string;
  @Field({ nullable: true, description: 'Empty string removes the content type.' }) contentType?: string;
  @Field(() => Int, { nullable: true }) connections?: number;
  @Field(() => Float, { nullable: true }) durationSeconds?: number;
  @Field(() => Float, { nullable: true, description: '0 switches to as fast as possible.' }) rate?: number;
  @Field(() => Float, { nullable: true }) warmupSeconds?: number;
  @Field(() => Float, { nullable: true }) requestTimeoutSeconds?: number;
  @Field({ nullable: true }) loadGenerator?: string;
  @Field(() => [LabelInput], { nullable: true }) labels?: LabelInput[];
}

@InputType('RunPerformanceTestInput', { description: 'Give either profileId or spec.' })
export class RunPerformanceTestInput {
  @Field(() => ID, { nullable: true }) profileId?: string;
  @Field(() => LoadTestSpecInput, { nullable: true }) spec?: LoadTestSpecInput;
  @Field({ nullable: true, description: 'Name of the result; the profile name or the URL by default.' }) name?: string;
  @Field(() => [LabelInput], { nullable: true, description: 'Added to (and overriding) the profile labels.' })
  labels?: LabelInput[];
}

@InputType('PerformanceResultFilter')
export class PerformanceResultFilterInput {
  @Field(() => ID, { nullable: true }) profileId?: string;
  @Field(() => [LabelInput], { nullable: true, description: 'Results carrying all of these labels.' })
  labels?: LabelInput[];
  @Field({ nullable: true, description: 'ISO-8601; results started at or after.' }) startedAfter?: string;
  @Field({ nullable: true, description: 'ISO-8601; results started before.' }) startedBefore?: string;
  @Field(() => [String], { nullable: true, description: 'Statuses to include.' }) statuses?: string[];
}

export enum PerformanceResultSortField {
  STARTED_AT = 'startedAt',
  NAME = 'name',
  THROUGHPUT = 'throughputRps',
  LATENCY_P50 = 'latencyP50Ms',
  LATENCY_P99 = 'latencyP99Ms',
  REQUESTS = 'requests',
}
registerEnumType(PerformanceResultSortField, { name: 'PerformanceResultSortField' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType('PerformanceResultSort')
export class PerformanceResultSortInput {
  @Field(() => PerformanceResultSortField, { defaultValue: PerformanceResultSortField.STARTED_AT })
  field!: PerformanceResultSortField;
  @Field(() => SortDirection, { defaultValue: SortDirection.DESC }) direction!: SortDirection;
}
