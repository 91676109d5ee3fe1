import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ErrorInfoModel } from '../../graphql/error-info.model.js';

export enum OperationStatusModel {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
  INTERRUPTED = 'interrupted',
}
registerEnumType(OperationStatusModel, { name: 'OperationStatus' });

@ObjectType('KubeObjectRef', { description: 'A Kubernetes object.' })
export class KubeObjectRefModel {
  @Field() apiVersion!: string;
  @Field() kind!: string;
  @Field() name!: string;
  @Field({ nullable: true }) namespace?: string;
}

@ObjectType('OperationEvent', { description: 'Something that happened during an operation.' })
export class OperationEventModel {
  @Field(() => ID) operationId!: string;
  @Field(() => Int, { description: 'Order within the operation, from 1.' }) seq!: number;
  @Field({ description: 'ISO-8601 UTC' }) at!: string;
  @Field({
    description:
      'Kubernetes objects: created, configured, unchanged, deleted, absent, waiting, ready; retrying, info; a plugin’s step; artifact (downloads); and last, done or failed.',
  })
  type!: string;
  @Field() summary!: string;
  @Field(() => KubeObjectRefModel, { nullable: true }) object?: KubeObjectRefModel;
  @Field(() => ErrorInfoModel, { nullable: true }) error?: ErrorInfoModel;
}

@ObjectType('Operation', { description: 'A long-running action and its history.' })
export class OperationModel {
  @Field(() => ID) id!: string;
  @Field() kind!: string;
  @Field(() => OperationStatusModel) status!: OperationStatusModel;
  @Field(() => ID, { nullable: true }) contextId?: string;
  @Field() summary!: string;
  @Field() dryRun!: boolean;
  @Field({ description: 'ISO-8601 UTC' }) createdAt!: string;
  @Field({ nullable: true }) endedAt?: string;
  @Field(() => ErrorInfoModel, { nullable: true }) error?: ErrorInfoModel;
  @Field(() => ID, { nullable: true, description: 'For apply operations: the inventory a later removal deletes.' })
  inventoryId?: string;
}

@ObjectType('OperationPage')
export class OperationPageModel {
  @Field(() => [OperationModel]) items!: OperationModel[];
  @Field(() => Int) total!: number;
}
