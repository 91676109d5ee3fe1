import {
  PluginError,
  type LoadGenerator,
  type LoadTestProgress,
  type LoadTestResult,
  type LoadTestSpec,
  type OperationContext,
  type SerializedPluginError,
} from '@meshery/plugin-api';
import type { Registered } from '@meshery/plugin-host';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { PubSubEngine } from 'graphql-subscriptions';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Repository } from 'typeorm';
import { SERVER_CONFIG, type ServerConfig } from '../config/server-config.js';
import { apiError, invalidInput, notFound, type InputProblem } from '../graphql/api-error.js';
import { PUB_SUB } from '../pubsub/pubsub.module.js';
import { PluginsService } from '../plugins/plugins.service.js';
import type { RunPerformanceTestInput } from './dto/performance.inputs.js';
import { PerformanceResultLabelEntity } from './entities/performance-result-label.entity.js';
import {
  PerformanceResultEntity,
  type PerformanceEnvironment,
  type PerformanceRunStatus,
} from './entities/performance-result.entity.js';
import { LoadGeneratorsService } from './load-generators.service.js';
import { checkLoadTestSpec, generatorProblems } from './load-test-spec.validation.js';
import { profileSpec } from './performance-models.mapper.js';
import { checkLabels, PerformanceProfilesService } from './performance-profiles.service.js';

/** What subscribers of a run receive. */
export interface RunProgressEvent {
  readonly runId: string;
  readonly status: PerformanceRunStatus;
  readonly done: boolean;
  readonly sample?: LoadTestProgress;
  readonly result?: PerformanceResultEntity;
}

interface ActiveRun {
  readonly entity: PerformanceResultEntity;
  readonly controller: AbortController;
  /** Set when the server is shutting down: the run ends as `interrupted`. */
  interrupted: boolean;
  done: Promise<void>;
  persistSamples: Promise<unknown>;
}

/** How long a generator may take, after the test's own duration, to hand back its result. */
const GRACE_SECONDS = 30;
/** How long a generator may take to stop once aborted before the run is closed without it. */
const STOP_GRACE_MS = 5000;

/** The PubSub topic of a run's progress. */
export function runTopic(runId: string): string {
  return `performance-run:${runId}`;
}

/** Starts load tests in the background, streams their progress and stores their results. */
@Injectable()
export class PerformanceRunsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PerformanceRuns');
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    @InjectRepository(PerformanceResultEntity) private readonly results: Repository<PerformanceResultEntity>,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    private readonly profiles: PerformanceProfilesService,
    private readonly generators: LoadGeneratorsService,
    private readonly plugins: PluginsService,
  ) {}

  /** Runs left `running` by a server that died (SIGKILL, power loss) are closed as interrupted. */
  async onApplicationBootstrap(): Promise<void> {
    const stale = await this.results.find({ where: { status: 'running' } });
    for (const run of stale) {
      if (this.active.has(run.id)) continue;
      await this.results.update(
        { id: run.id },
        {
          status: 'interrupted',
          endedAt: run.samples.length > 0 ? run.endedAt ?? new Date().toISOString() : run.startedAt,
          failure: interruption('The server stopped unexpectedly while this test ran; it was found still running at the next start.'),
        },
      );
    }
    if (stale.length > 0) this.logger.warn(`${stale.length} run(s) left running by a previous server marked interrupted`);
  }

  /** On shutdown, running tests are stopped and stored as interrupted with what they measured. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const runs = [...this.active.values()];
    if (runs.length === 0) return;
    this.logger.warn(`Stopping ${runs.length} running test(s) (${signal ?? 'shutdown'}); they are stored as interrupted`);
    for (const run of runs) {
      run.interrupted = true;
      run.controller.abort();
    }
    await Promise.all(runs.map((run) => run.done));
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Validates the request, stores the run as `running` and starts it in the background. */
  async start(input: RunPerformanceTestInput): Promise<PerformanceResultEntity> {
    if ((input.profileId ? 1 : 0) + (input.spec ? 1 : 0) !== 1) {
      throw invalidInput('performance test request', [
        { field: input.profileId ? 'spec' : 'profileId', message: 'give exactly one of profileId (a saved profile) or spec (an inline test)' },
      ]);
    }
    const problems: InputProblem[] = [];
    let spec: LoadTestSpec | undefined;
    let generator: Registered<LoadGenerator>;
    let labels: Record<string, string> = {};
    let name: string;
    let profileId: string | null = null;
    if (input.profileId) {
      const profile = await this.profiles.get(input.profileId);
      profileId = profile.id;
      spec = profileSpec(profile);
      generator = this.generators.resolve(profile.loadGenerator, 'profileId');
      labels = { ...profile.labels };
      name = input.name ?? profile.name;
      // Limits may have been lowered since the profile was saved.
      const rechecked = checkLoadTestSpec(
        { ...spec, headers: Object.entries(spec.headers).map(([n, value]) => ({ name: n, value })) },
        this.config.performance,
        'profile.',
      );
      problems.push(...rechecked.problems);
    } else {
      const fields = input.spec!;
      const checked = checkLoadTestSpec({ ...fields, rate: fields.rate ?? null }, this.config.performance, 'spec.');
      problems.push(...checked.problems);
      spec = checked.spec;
      generator = this.generators.resolve(fields.loadGenerator, 'spec.loadGenerator');
      name = input.name ?? `${fields.method.toUpperCase()} ${fields.url}`;
    }
    const extraLabels = checkLabels(input.labels ?? [], 'labels');
    problems.push(...extraLabels.problems);
    labels = { ...labels, ...extraLabels.labels };
    if (spec) problems.push(...generatorProblems(spec, generator.provider.descriptor, input.profileId ? 'profile.' : 'spec.'));
    if (name.trim().length === 0 || name.length > 200) problems.push({ field: 'name', message: 'give a name of 1 to 200 characters' });
    if (problems.length > 0 || !spec) throw invalidInput('performance test request', problems);

    const id = randomUUID();
    const now = new Date().toISOString();
    const entity = this.results.create({
      id,
      name: name.trim(),
      status: 'running',
      source: 'run',
      profileId,
      testConfigId: profileId ?? randomUUID(),
      spec,
      loadModel: spec.rate === undefined ? 'closed-loop' : 'open-loop',
      labels,
      labelRows: Object.entries(labels).map(([key, value]) =>
        Object.assign(new PerformanceResultLabelEntity(), { resultId: id, key, value }),
      ),
      createdAt: now,
      startedAt: now,
      endedAt: null,
      environment: this.environment(generator),
      samples: [],
      failure: null,
      smp: null,
    });
    await this.results.save(entity);
    const run: ActiveRun = {
      entity,
      controller: new AbortController(),
      interrupted: false,
      done: Promise.resolve(),
      persistSamples: Promise.resolve(),
    };
    this.active.set(id, run);
    const startedSpec = spec;
    run.done = this.execute(run, generator, startedSpec).catch((error: unknown) => {
      this.logger.error(`run ${id} could not be stored: ${(error as Error).message}`);
    });
    return entity;
  }

  /** Stops a running test; resolves with the stored run once it has stopped (at most a few seconds). */
  async cancel(runId: string): Promise<PerformanceResultEntity> {
    const run = this.active.get(runId);
    if (!run) {
      const stored = await this.results.findOneBy({ id: runId });
      if (!stored) throw notFound('performance run', runId);
      throw apiError('PRECONDITION_FAILED', `Run ${runId} is not running (it is ${stored.status})`, {
        field: 'runId',
        probableCause: 'The test already finished, failed or was cancelled.',
        remediation: 'Nothing to cancel; its result is stored.',
      });
    }
    run.controller.abort();
    await run.done;
    return (await this.results.findOneBy({ id: runId })) ?? run.entity;
  }

  /** The last sample of a running test, for subscribers that join late. */
  lastSample(runId: string): LoadTestProgress | undefined {
    return this.active.get(runId)?.entity.samples.at(-1);
  }

  private environment(generator: Registered<LoadGenerator>): PerformanceEnvironment {
    const plugin = this.plugins.plugin(generator.pluginId);
    return {
      loadGenerator: generator.provider.descriptor.name,
      loadGeneratorVersion: generator.provider.descriptor.engineVersion,
      pluginId: generator.pluginId,
      ...(plugin?.version ? { pluginVersion: plugin.version } : {}),
      serverVersion: this.config.version,
      hostname: os.hostname(),
      platform: `${process.platform}-${process.arch}`,
      nodeVersion: process.version,
      cpus: os.availableParallelism(),
    };
  }

  private async execute(run: ActiveRun, generator: Registered<LoadGenerator>, spec: LoadTestSpec): Promise<void> {
    const { entity, controller } = run;
    const ctx: OperationContext<LoadTestProgress> = {
      operationId: entity.id,
      signal: controller.signal,
      logger: {
        debug: (m, f) => this.logger.debug(`[${entity.id}] ${m}${f ? ` ${JSON.stringify(f)}` : ''}`),
        info: (m, f) => this.logger.log(`[${entity.id}] ${m}${f ? ` ${JSON.stringify(f)}` : ''}`),
        warn: (m, f) => this.logger.warn(`[${entity.id}] ${m}${f ? ` ${JSON.stringify(f)}` : ''}`),
        error: (m, f) => this.logger.error(`[${entity.id}] ${m}${f ? ` ${JSON.stringify(f)}` : ''}`),
      },
      emit: (sample) => this.onSample(run, sample),
    };
    // Open loop waits up to the request timeout for the last answers after the measured phase.
    const budgetMs = (spec.durationSeconds + spec.warmupSeconds + spec.requestTimeoutSeconds + GRACE_SECONDS) * 1000;
    let outcome: { result: LoadTestResult } | { error: PluginError };
    try {
      outcome = { result: await withDeadline(generator.provider.run(spec, ctx), controller, budgetMs) };
    } catch (error) {
      outcome = { error: PluginError.from(error) };
    }
    await run.persistSamples;
    const endedAt = new Date().toISOString();
    let status: PerformanceRunStatus;
    if ('result' in outcome) {
      Object.assign(entity, resultColumns(outcome.result));
      entity.environment = { ...entity.environment, loadGeneratorVersion: outcome.result.engine.version };
      status = run.interrupted ? 'interrupted' : outcome.result.cancelled ? 'cancelled' : 'completed';
      if (run.interrupted) entity.failure = interruption('The server was stopped while this test ran.');
    } else {
      const error = outcome.error;
      status = run.interrupted ? 'interrupted' : error.code === 'CANCELLED' ? 'cancelled' : 'failed';
      entity.failure = run.interrupted ? interruption('The server was stopped while this test ran.') : error.toJSON();
      entity.endedAt = endedAt;
    }
    entity.status = status;
    entity.endedAt ??= endedAt;
    const { labelRows: _labels, smp: _smp, ...columns } = entity;
    await this.results.update({ id: entity.id }, columns);
    this.active.delete(entity.id);
    await this.pubSub.publish(runTopic(entity.id), {
      runId: entity.id,
      status,
      done: true,
      result: entity,
    } satisfies RunProgressEvent);
    this.logger.log(`run ${entity.id} ${status}`);
  }

  private onSample(run: ActiveRun, sample: LoadTestProgress): void {
    if (sample?.type !== 'progress') return;
    run.entity.samples.push(sample);
    const samples = [...run.entity.samples];
    // Keep what was measured even if the server dies (SIGKILL) mid-run; writes are serialised.
    run.persistSamples = run.persistSamples
      .then(() => this.results.update({ id: run.entity.id }, { samples }))
      .catch((error: unknown) => this.logger.warn(`could not store samples of ${run.entity.id}: ${(error as Error).message}`));
    void this.pubSub.publish(runTopic(run.entity.id), {
      runId: run.entity.id,
      status: 'running',
      done: false,
      sample,
    } satisfies RunProgressEvent);
  }
}

function interruption(message: string): SerializedPluginError {
  return {
    name: 'PluginError',
    code: 'CANCELLED',
    message,
    probableCause: 'The server was stopped or restarted during the test.',
    remediation: 'Run the test again; the samples gathered before the stop are kept with this run.',
  };
}

function resultColumns(result: LoadTestResult): Partial<PerformanceResultEntity> {
  const latency = result.latencyMs;
  return {
    loadModel: result.loadModel,
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    measuredDurationSeconds: result.measuredDurationSeconds,
    requests: result.requests,
    throughputRps: result.throughputRps,
    latencyMinMs: latency?.min ?? null,
    latencyMeanMs: latency?.mean ?? null,
    latencyStddevMs: latency?.stddev ?? null,
    latencyP50Ms: latency?.p50 ?? null,
    latencyP75Ms: latency?.p75 ?? null,
    latencyP90Ms: latency?.p90 ?? null,
    latencyP99Ms: latency?.p99 ?? null,
    latencyP999Ms: latency?.p999 ?? null,
    latencyMaxMs: latency?.max ?? null,
    statusCodes: { ...result.statusCodes },
    errors: result.errors,
    errorsByType: { ...result.errorsByType },
    timeouts: result.timeouts,
    bytesRead: result.bytesRead,
    bytesWritten: result.bytesWritten,
    histogram: result.histogram,
    openLoop: result.openLoop ?? null,
  };
}

/**
 * Resolves with the generator's result, aborting it when the time budget is spent and giving up
 * on it (TIMEOUT) when it does not stop soon after an abort.
 */
function withDeadline<T>(work: Promise<T>, controller: AbortController, budgetMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let stopTimer: NodeJS.Timeout | undefined;
    const giveUp = (): void => {
      stopTimer = setTimeout(
        () =>
          reject(
            new PluginError('TIMEOUT', 'The load generator did not stop within 5 s of being told to', {
              probableCause: 'The load-generator plugin is stuck or ignores cancellation.',
              remediation: 'Check the server log for the plugin’s messages; restart the server if it keeps using CPU.',
            }),
          ),
        STOP_GRACE_MS,
      );
    };
    const budget = setTimeout(() => {
      controller.abort();
    }, budgetMs);
    controller.signal.addEventListener('abort', giveUp, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(budget);
      if (stopTimer) clearTimeout(stopTimer);
      controller.signal.removeEventListener('abort', giveUp);
    });
  });
}
