import { PluginError, type SerializedPluginError } from '@meshery/plugin-api';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { PubSubEngine } from 'graphql-subscriptions';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { apiError, notFound } from '../graphql/api-error.js';
import { PUB_SUB } from '../pubsub/pubsub.module.js';
import { OperationEventEntity } from './entities/operation-event.entity.js';
import { OperationEntity, type OperationStatus } from './entities/operation.entity.js';

/** An event as an operation's work reports it. */
export interface OperationEventInput {
  readonly type: string;
  readonly summary: string;
  readonly object?: { apiVersion: string; kind: string; name: string; namespace?: string };
  readonly error?: SerializedPluginError;
}

/** What subscribers of an operation receive. */
export interface OperationTopicMessage {
  readonly event: OperationEventEntity;
  readonly operation: OperationEntity;
}

export function operationTopic(id: string): string {
  return `operation:${id}`;
}

const FINAL: readonly OperationStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export function isFinal(status: string): boolean {
  return (FINAL as readonly string[]).includes(status);
}

interface Running {
  readonly entity: OperationEntity;
  readonly controller: AbortController;
  seq: number;
  /** A user asked to cancel (as opposed to the server stopping). */
  cancelRequested: boolean;
  writes: Promise<unknown>;
  done: Promise<void>;
}

/**
 * Long-running actions: each is stored with its events in order, streamed to subscribers as they
 * happen, and ends succeeded, failed (with code, probable cause and remedy), cancelled, or
 * interrupted (when the server stops).
 */
@Injectable()
export class OperationsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Operations');
  private readonly running = new Map<string, Running>();

  constructor(
    @InjectRepository(OperationEntity) private readonly operations: Repository<OperationEntity>,
    @InjectRepository(OperationEventEntity) private readonly events: Repository<OperationEventEntity>,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stale = await this.operations.find({ where: { status: 'running' } });
    for (const operation of stale) {
      const error: SerializedPluginError = {
        name: 'PluginError',
        code: 'CANCELLED',
        message: 'The server stopped while this operation ran.',
        probableCause: 'The server was stopped or restarted.',
        remediation: 'Run the operation again; applying is idempotent and resumes where it stopped.',
      };
      const endedAt = new Date().toISOString();
      // Its history ends like every other operation's, with a final event, so a client following
      // it (operationEvents) sees the end.
      const last = await this.events.maximum('seq', { operationId: operation.id });
      await this.events.insert(
        this.events.create({ operationId: operation.id, seq: (last ?? 0) + 1, at: endedAt, type: 'failed', summary: error.message, object: null, error }),
      );
      await this.operations.update({ id: operation.id }, { status: 'interrupted', endedAt, error });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const run of this.running.values()) run.controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /**
   * Stores a new operation and runs `work` in the background; returns the operation at once.
   * `work` reports events through `emit` and throws a PluginError to fail.
   */
  async start(
    init: { kind: string; summary: string; contextId?: string; dryRun?: boolean; id?: string },
    work: (ctx: { id: string; signal: AbortSignal; emit: (event: OperationEventInput) => void }) => Promise<string>,
  ): Promise<OperationEntity> {
    const entity = this.operations.create({
      id: init.id ?? randomUUID(),
      kind: init.kind,
      status: 'running',
      contextId: init.contextId ?? null,
      summary: init.summary.slice(0, 500),
      dryRun: init.dryRun ?? false,
      createdAt: new Date().toISOString(),
      endedAt: null,
      error: null,
    });
    await this.operations.insert(entity);
    // What the caller is told: the operation as it started (the work may end before the answer goes out).
    const started = this.operations.create({ ...entity });
    const run: Running = { entity, controller: new AbortController(), seq: 0, cancelRequested: false, writes: Promise.resolve(), done: Promise.resolve() };
    this.running.set(entity.id, run);
    const emit = (event: OperationEventInput): void => this.record(run, event);
    run.done = (async () => {
      let status: OperationStatus;
      let error: SerializedPluginError | null = null;
      let summary: string;
      try {
        summary = await work({ id: entity.id, signal: run.controller.signal, emit });
        status = 'succeeded';
      } catch (thrown) {
        let failure = PluginError.from(thrown);
        // However the work noticed the abort (a request torn down, a wait cut short), the outcome
        // is the user's cancel or the server's stop, not a fault of the work.
        if (run.cancelRequested && failure.code !== 'CANCELLED') {
          failure = new PluginError('CANCELLED', 'Cancelled by the user', {
            probableCause: `cancelOperation was called while: ${failure.message}`,
            remediation: 'Run the operation again to finish it (applying converges), or remove what it applied.',
          });
        } else if (run.controller.signal.aborted && failure.code !== 'CANCELLED') {
          failure = new PluginError('CANCELLED', 'The server stopped while this operation ran', {
            probableCause: `The server was stopped while: ${failure.message}`,
            remediation: 'Run the operation again; applying is idempotent and resumes where it stopped.',
          });
        }
        error = failure.toJSON();
        status = run.cancelRequested ? 'cancelled' : run.controller.signal.aborted ? 'interrupted' : failure.code === 'CANCELLED' ? 'cancelled' : 'failed';
        summary = failure.message;
      }
      this.record(run, { type: status === 'succeeded' ? 'done' : 'failed', summary, ...(error ? { error } : {}) }, { status, error });
      await run.writes;
      this.running.delete(entity.id);
    })().catch((e: unknown) => this.logger.error(`operation ${entity.id} could not be stored: ${(e as Error).message}`));
    return started;
  }

  /**
   * Asks a running operation to stop: its work sees the abort signal and ends `cancelled`, with
   * the events showing what was done before. Fails when the operation is not running.
   */
  async cancel(id: string): Promise<OperationEntity> {
    const run = this.running.get(id);
    if (!run) {
      const operation = await this.get(id);
      throw apiError('PRECONDITION_FAILED', `Operation ${id} is not running (it is ${operation.status})`, {
        probableCause: 'It ended before the cancellation arrived.',
        remediation: 'Nothing to cancel; see its events for what it did.',
      });
    }
    run.cancelRequested = true;
    this.record(run, { type: 'info', summary: 'Cancellation requested' });
    run.controller.abort(new PluginError('CANCELLED', 'Cancelled by the user'));
    return run.entity;
  }

  async get(id: string): Promise<OperationEntity> {
    const operation = await this.operations.findOneBy({ id });
    if (!operation) throw notFound('operation', id);
    return operation;
  }

  list(limit: number, offset: number, contextId?: string): Promise<[OperationEntity[], number]> {
    return this.operations.findAndCount({
      where: contextId ? { contextId } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  eventsOf(id: string): Promise<OperationEventEntity[]> {
    return this.events.find({ where: { operationId: id }, order: { seq: 'ASC' } });
  }

  /** Waits for a running operation to end (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  private record(run: Running, input: OperationEventInput, end?: { status: OperationStatus; error: SerializedPluginError | null }): void {
    const event = this.events.create({
      operationId: run.entity.id,
      seq: ++run.seq,
      at: new Date().toISOString(),
      type: input.type,
      summary: input.summary,
      object: input.object ?? null,
      error: input.error ?? null,
    });
    if (end) {
      run.entity.status = end.status;
      run.entity.error = end.error;
      run.entity.endedAt = event.at;
    }
    const snapshot = { ...run.entity };
    // Events are written in order, each before it is published, so a subscriber that replays the
    // stored events and then follows the live ones sees every event once.
    run.writes = run.writes
      .then(async () => {
        await this.events.insert(event);
        if (end) await this.operations.update({ id: run.entity.id }, { status: end.status, error: end.error, endedAt: event.at });
        await this.pubSub.publish(operationTopic(run.entity.id), { event, operation: snapshot } satisfies OperationTopicMessage);
      })
      .catch((error: unknown) => this.logger.error(`event of ${run.entity.id} not stored: ${(error as Error).message}`));
  }
}
