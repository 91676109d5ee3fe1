import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import { invalidInput } from '../graphql/api-error.js';
import { PUB_SUB } from '../pubsub/pubsub.module.js';
import type { OperationEventEntity } from './entities/operation-event.entity.js';
import type { OperationEntity } from './entities/operation.entity.js';
import { OperationEventModel, OperationModel, OperationPageModel, type OperationStatusModel } from './models/operation.models.js';
import { isFinal, operationTopic, OperationsService, type OperationTopicMessage } from './operations.service.js';

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;

export function toOperationModel(operation: OperationEntity): OperationModel {
  return defined({
    id: operation.id,
    kind: operation.kind,
    status: operation.status as OperationStatusModel,
    contextId: operation.contextId,
    summary: operation.summary,
    dryRun: operation.dryRun,
    createdAt: operation.createdAt,
    endedAt: operation.endedAt,
    error: operation.error ? defined({ ...operation.error }) : undefined,
    inventoryId: operation.kind === 'apply-manifest' && !operation.dryRun ? operation.id : undefined,
  }) as OperationModel;
}

export function toEventModel(event: OperationEventEntity): OperationEventModel {
  return defined({
    operationId: event.operationId,
    seq: event.seq,
    at: event.at,
    type: event.type,
    summary: event.summary,
    object: event.object ?? undefined,
    error: event.error ? defined({ ...event.error }) : undefined,
  }) as OperationEventModel;
}

@Resolver(() => OperationModel)
export class OperationsResolver {
  constructor(
    private readonly operationsService: OperationsService,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
  ) {}

  @Query(() => OperationPageModel, { description: 'Operations, newest first.' })
  async operations(
    @Args('limit', { type: () => Int, defaultValue: 50 }) limit: number,
    @Args('offset', { type: () => Int, defaultValue: 0 }) offset: number,
    @Args('contextId', { type: () => ID, nullable: true }) contextId?: string,
  ): Promise<OperationPageModel> {
    if (limit < 1 || limit > 200 || offset < 0) {
      throw invalidInput('operations query', [{ field: limit < 1 || limit > 200 ? 'limit' : 'offset', message: 'limit must be 1 to 200, offset 0 or more' }]);
    }
    const [items, total] = await this.operationsService.list(limit, offset, contextId);
    return { items: items.map(toOperationModel), total };
  }

  @Query(() => OperationModel)
  async operation(@Args('id', { type: () => ID }) id: string): Promise<OperationModel> {
    return toOperationModel(await this.operationsService.get(id));
  }

  @Mutation(() => OperationModel, {
    description: 'Stops a running operation; it ends cancelled, its events showing what was done before (re-running converges).',
  })
  async cancelOperation(@Args('id', { type: () => ID }) id: string): Promise<OperationModel> {
    return toOperationModel(await this.operationsService.cancel(id));
  }

  @ResolveField(() => [OperationEventModel])
  async events(@Parent() operation: OperationModel): Promise<OperationEventModel[]> {
    return (await this.operationsService.eventsOf(operation.id)).map(toEventModel);
  }

  @Subscription(() => OperationEventModel, {
    description: 'Every event of the operation: those already stored, then the new ones as they happen, until it ends.',
    resolve: (event: OperationEventModel) => event,
  })
  async operationEvents(@Args('operationId', { type: () => ID }) operationId: string) {
    const live = this.pubSub.asyncIterableIterator<OperationTopicMessage>(operationTopic(operationId));
    try {
      await this.operationsService.get(operationId);
    } catch (error) {
      await live.return?.();
      throw error;
    }
    return this.stream(operationId, live);
  }

  private async *stream(id: string, live: AsyncIterableIterator<OperationTopicMessage>): AsyncGenerator<OperationEventModel> {
    try {
      let seen = 0;
      const stored = await this.operationsService.eventsOf(id);
      for (const event of stored) {
        seen = event.seq;
        yield toEventModel(event);
      }
      const operation = await this.operationsService.get(id);
      if (isFinal(operation.status)) {
        // Ended before the subscription; its last stored event is its end (operations the server
        // marked interrupted at start got one too). Anything that ended between the two reads
        // above is in the store by now.
        for (const event of await this.operationsService.eventsOf(id)) {
          if (event.seq > seen) yield toEventModel(event);
        }
        return;
      }
      for await (const message of live) {
        if (message.event.seq <= seen) continue;
        seen = message.event.seq;
        yield toEventModel(message.event);
        if (isFinal(message.operation.status)) return;
      }
    } finally {
      await live.return?.();
    }
  }
}
