import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import { SERVER_CONFIG, type ServerConfig } from '../config/server-config.js';
import { notFound } from '../graphql/api-error.js';
import { PUB_SUB } from '../pubsub/pubsub.module.js';
import {
  PerformanceResultFilterInput,
  PerformanceResultSortInput,
  RunPerformanceTestInput,
} from './dto/performance.inputs.js';
import {
  LoadGeneratorModel,
  PerformanceComparisonModel,
  PerformanceResultModel,
  PerformanceResultPageModel,
  PerformanceTestProgressModel,
  type PerformanceRunStatusModel,
} from './models/performance.models.js';
import { LoadGeneratorsService } from './load-generators.service.js';
import { toResultModel } from './performance-models.mapper.js';
import { PerformanceComparisonService } from './performance-comparison.service.js';
import { PerformanceResultsService } from './performance-results.service.js';
import { PerformanceRunsService, runTopic, type RunProgressEvent } from './performance-runs.service.js';
import { SmpImportService } from './smp/smp-import.service.js';

const FINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

@Resolver(() => PerformanceResultModel)
export class PerformanceResultsResolver {
  constructor(
    private readonly results: PerformanceResultsService,
    private readonly runs: PerformanceRunsService,
    private readonly generators: LoadGeneratorsService,
    private readonly smpImport: SmpImportService,
    private readonly comparison: PerformanceComparisonService,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  @Query(() => [LoadGeneratorModel], { description: 'Load generators of the loaded plugins and what each supports.' })
  loadGenerators(): LoadGeneratorModel[] {
    return this.generators.list().map(({ pluginId, provider: { descriptor: d } }) => ({
      name: d.name,
      displayName: d.displayName,
      pluginId,
      engineVersion: d.engineVersion,
      protocols: [...d.protocols],
      methods: [...d.methods],
      loadModels: [...d.loadModels],
      maxConnections: d.maxConnections,
      ...(d.maxRate !== undefined ? { maxRate: d.maxRate } : {}),
      supportsWarmup: d.supportsWarmup,
    }));
  }

  @Query(() => PerformanceResultPageModel, { description: 'Stored results, filtered, sorted and paginated.' })
  async performanceResults(
    @Args('filter', { type: () => PerformanceResultFilterInput, nullable: true }) filter?: PerformanceResultFilterInput,
    @Args('sort', { type: () => PerformanceResultSortInput, nullable: true }) sort?: PerformanceResultSortInput,
    @Args('limit', { type: () => Int, defaultValue: 50 }) limit = 50,
    @Args('offset', { type: () => Int, defaultValue: 0 }) offset = 0,
  ): Promise<PerformanceResultPageModel> {
    const page = await this.results.list(filter ?? {}, sort, limit, offset);
    return { items: page.items.map((r) => toResultModel(r, this.config.publicUrl)), total: page.total, limit, offset };
  }

  @Query(() => PerformanceResultModel)
  async performanceResult(@Args('id', { type: () => ID }) id: string): Promise<PerformanceResultModel> {
    return toResultModel(await this.results.get(id), this.config.publicUrl);
  }

  @Query(() => PerformanceComparisonModel, {
    description: 'Results side by side: per-metric values and differences from the first, and warnings (e.g. mixed load models).',
  })
  async comparePerformanceResults(@Args('ids', { type: () => [ID] }) ids: string[]): Promise<PerformanceComparisonModel> {
    const comparison = await this.comparison.compare(ids);
    return { ...comparison, results: comparison.results.map((r) => toResultModel(r, this.config.publicUrl)) };
  }

  @Mutation(() => PerformanceResultModel, {
    description: 'Starts a load test in the background and returns the run at once (status RUNNING).',
  })
  async runPerformanceTest(@Args('input') input: RunPerformanceTestInput): Promise<PerformanceResultModel> {
    return toResultModel(await this.runs.start(input), this.config.publicUrl);
  }

  @Mutation(() => PerformanceResultModel, {
    description: 'Stops a running test within a second; its partial result is kept with status CANCELLED.',
  })
  async cancelPerformanceTest(@Args('runId', { type: () => ID }) runId: string): Promise<PerformanceResultModel> {
    return toResultModel(await this.runs.cancel(runId), this.config.publicUrl);
  }

  @Mutation(() => Boolean)
  deletePerformanceResult(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.results.delete(id);
  }

  @Mutation(() => PerformanceResultModel, {
    description: 'Stores an SMP document (JSON or YAML: a PerformanceTestResult with its PerformanceTestConfig) as a result.',
  })
  async importPerformanceResult(@Args('document') document: string): Promise<PerformanceResultModel> {
    return toResultModel(await this.smpImport.import(document), this.config.publicUrl);
  }

  @Subscription(() => PerformanceTestProgressModel, {
    description: 'The current state at once, then a sample at least every second, then the final status with the result.',
    resolve: (event: PerformanceTestProgressModel) => event,
  })
  async performanceTestProgress(@Args('runId', { type: () => ID }) runId: string) {
    // Subscribe before reading the state, so no event falls between the two.
    const events = this.pubSub.asyncIterableIterator<RunProgressEvent>(runTopic(runId));
    const current = await this.results.find(runId);
    if (!current) {
      await events.return?.();
      throw notFound('performance run', runId);
    }
    return this.stream(events, current.id, current.status);
  }

  private async *stream(
    events: AsyncIterableIterator<RunProgressEvent>,
    runId: string,
    status: string,
  ): AsyncGenerator<PerformanceTestProgressModel> {
    try {
      if (FINAL.has(status) || !this.runs.isActive(runId)) {
        const stored = await this.results.get(runId);
        yield { runId, status: stored.status as PerformanceRunStatusModel, done: true, result: toResultModel(stored, this.config.publicUrl) };
        return;
      }
      const last = this.runs.lastSample(runId);
      yield { runId, status: 'running' as PerformanceRunStatusModel, done: false, ...(last ? { sample: last } : {}) };
      for await (const event of events) {
        yield {
          runId,
          status: event.status as PerformanceRunStatusModel,
          done: event.done,
          ...(event.sample ? { sample: event.sample } : {}),
          ...(event.result ? { result: toResultModel(event.result, this.config.publicUrl) } : {}),
        };
        if (event.done) return;
      }
    } finally {
      await events.return?.();
    }
  }
}
