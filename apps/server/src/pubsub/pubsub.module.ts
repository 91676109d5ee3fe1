import { Global, Module } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';

/** Injection token of the PubSub engine that carries subscription events. */
export const PUB_SUB = Symbol('PUB_SUB');

/**
 * The in-process PubSub. A Redis-backed engine can be provided under the same token so that
 * several replicas share subscriptions.
 */
@Global()
@Module({
  providers: [{ provide: PUB_SUB, useFactory: () => new PubSub() }],
  exports: [PUB_SUB],
})
export class PubSubModule {}
