import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { OperationModel } from '../operations/models/operation.models.js';
import { toOperationModel } from '../operations/operations.resolver.js';
import { ClusterConnectionsService } from './cluster-connections.service.js';
import type { ClusterConnectionEntity } from './entities/cluster-connection.entity.js';
import { KubernetesService } from './kubernetes.service.js';
import {
  AddClusterConnectionInput,
  ApplyManifestInput,
  ClusterConnectionModel,
  ClusterInfoModel,
  DeleteManifestInput,
  InventoryObjectModel,
  KubeconfigContextModel,
} from './models/kubernetes.models.js';

function toConnectionModel(c: ClusterConnectionEntity): ClusterConnectionModel {
  return {
    id: c.id,
    name: c.name,
    contextName: c.contextName,
    clusterName: c.clusterName,
    server: c.server,
    ...(c.defaultNamespace ? { defaultNamespace: c.defaultNamespace } : {}),
    source: c.source,
    createdAt: c.createdAt,
  };
}

@Resolver()
export class KubernetesResolver {
  constructor(
    private readonly connections: ClusterConnectionsService,
    private readonly kubernetes: KubernetesService,
  ) {}

  @Query(() => [ClusterConnectionModel])
  async clusterConnections(): Promise<ClusterConnectionModel[]> {
    return (await this.connections.list()).map(toConnectionModel);
  }

  @Query(() => [KubeconfigContextModel], { description: 'Contexts of the kubeconfig the server finds (KUBECONFIG or ~/.kube/config).' })
  discoveredKubeconfigContexts(): KubeconfigContextModel[] {
    return this.connections.discoveredContexts();
  }

  @Query(() => ClusterInfoModel, { description: 'Server version and node count, or why the cluster cannot be reached.' })
  async clusterInfo(@Args('contextId', { type: () => ID }) contextId: string): Promise<ClusterInfoModel> {
    return { contextId, ...(await this.connections.info(contextId)) };
  }

  @Query(() => [InventoryObjectModel], { description: 'What an apply operation applied and has not removed yet.' })
  async inventory(@Args('inventoryId', { type: () => ID }) inventoryId: string): Promise<InventoryObjectModel[]> {
    return (await this.kubernetes.inventoryOf(inventoryId)).map((row) => ({
      apiVersion: row.apiVersion,
      kind: row.kind,
      name: row.name,
      ...(row.namespace ? { namespace: row.namespace } : {}),
      ...(row.uid ? { uid: row.uid } : {}),
      appliedAt: row.appliedAt,
    }));
  }

  @Mutation(() => ClusterConnectionModel)
  async addClusterConnection(@Args('input') input: AddClusterConnectionInput): Promise<ClusterConnectionModel> {
    return toConnectionModel(await this.connections.add(input));
  }

  @Mutation(() => Boolean, {
    description:
      'Removes a cluster connection. Refused while Meshery still manages objects there (mesh installations, applied manifests) unless force is true, which forgets them and leaves the objects in the cluster.',
  })
  removeClusterConnection(
    @Args('id', { type: () => ID }) id: string,
    @Args('force', { type: () => Boolean, defaultValue: false }) force: boolean,
  ): Promise<boolean> {
    return this.kubernetes.removeConnection(id, force);
  }

  @Mutation(() => OperationModel, {
    description: 'Server-side applies a manifest (field manager "meshery") in dependency order; returns the operation at once. Follow it with operationEvents.',
  })
  async applyManifest(@Args('input') input: ApplyManifestInput): Promise<OperationModel> {
    return toOperationModel(await this.kubernetes.applyManifest(input));
  }

  @Mutation(() => OperationModel, { description: 'Deletes the objects a manifest names, in reverse dependency order.' })
  async deleteManifest(@Args('input') input: DeleteManifestInput): Promise<OperationModel> {
    return toOperationModel(await this.kubernetes.deleteManifest(input));
  }

  @Mutation(() => OperationModel, { description: 'Deletes exactly the objects an apply operation recorded (its inventory), and nothing else.' })
  async deleteInventory(
    @Args('contextId', { type: () => ID }) contextId: string,
    @Args('inventoryId', { type: () => ID }) inventoryId: string,
    @Args('dryRun', { defaultValue: false }) dryRun: boolean,
  ): Promise<OperationModel> {
    return toOperationModel(await this.kubernetes.deleteInventory({ contextId, inventoryId, dryRun }));
  }
}
