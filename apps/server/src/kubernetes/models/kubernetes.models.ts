import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ErrorInfoModel } from '../../graphql/error-info.model.js';

@ObjectType('ClusterConnection', { description: 'A connected cluster (one kubeconfig context). Credentials are never returned.' })
export class ClusterConnectionModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() contextName!: string;
  @Field() clusterName!: string;
  @Field({ description: 'API server URL' }) server!: string;
  @Field({ nullable: true }) defaultNamespace?: string;
  @Field({ description: '"upload", or the kubeconfig file the server found it in' }) source!: string;
  @Field() createdAt!: string;
}

@ObjectType('KubeconfigContext', { description: 'A context in a kubeconfig the server found (KUBECONFIG, ~/.kube/config).' })
export class KubeconfigContextModel {
  @Field() name!: string;
  @Field() cluster!: string;
  @Field() server!: string;
  @Field() user!: string;
  @Field({ nullable: true }) namespace?: string;
  @Field() source!: string;
  @Field() current!: boolean;
}

@ObjectType('ClusterInfo')
export class ClusterInfoModel {
  @Field(() => ID) contextId!: string;
  @Field() reachable!: boolean;
  @Field({ nullable: true }) serverVersion?: string;
  @Field({ nullable: true }) platform?: string;
  @Field(() => Int, { nullable: true }) nodeCount?: number;
  @Field(() => ErrorInfoModel, { nullable: true }) error?: ErrorInfoModel;
}

@ObjectType('InventoryObject', { description: 'An object an apply operation created or configured.' })
export class InventoryObjectModel {
  @Field() apiVersion!: string;
  @Field() kind!: string;
  @Field() name!: string;
  @Field({ nullable: true }) namespace?: string;
  @Field({ nullable: true }) uid?: string;
  @Field() appliedAt!: string;
}

@InputType('AddClusterConnectionInput', {
  description: 'Upload a kubeconfig, or leave it out to use the kubeconfig the server finds. The context defaults to its current context.',
})
export class AddClusterConnectionInput {
  @Field({ nullable: true }) kubeconfig?: string;
  @Field({ nullable: true }) context?: string;
  @Field({ nullable: true, description: 'Defaults to the context name.' }) name?: string;
}

@InputType('ApplyManifestInput')
export class ApplyManifestInput {
  @Field(() => ID) contextId!: string;
  @Field({ description: 'Multi-document YAML (or JSON), at most 4 MiB.' }) manifest!: string;
  @Field({ nullable: true, description: 'For namespaced objects that name none; "default" otherwise.' }) namespace?: string;
  @Field({ defaultValue: false, description: 'Report what would change without changing anything.' }) dryRun!: boolean;
  @Field({ defaultValue: false, description: 'Take ownership of fields another field manager owns.' }) force!: boolean;
  @Field({ defaultValue: true, description: 'Wait for workloads to be ready.' }) wait!: boolean;
  @Field(() => Int, { nullable: true, description: 'Readiness timeout; 300 by default.' }) timeoutSeconds?: number;
}

@InputType('DeleteManifestInput')
export class DeleteManifestInput {
  @Field(() => ID) contextId!: string;
  @Field() manifest!: string;
  @Field({ nullable: true }) namespace?: string;
  @Field({ defaultValue: false }) dryRun!: boolean;
}
