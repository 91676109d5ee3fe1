import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { OperationModel } from '../operations/models/operation.models.js';
import { toOperationModel } from '../operations/operations.resolver.js';
import { InstallMeshInput, MeshModel, MeshStatusModel, SampleAppInput } from './models/mesh.models.js';
import { MeshesService } from './meshes.service.js';

@Resolver(() => MeshModel)
export class MeshesResolver {
  constructor(private readonly meshesService: MeshesService) {}

  @Query(() => [MeshModel], { description: 'The meshes the loaded plugins manage, with their versions, actions and sample apps.' })
  meshes(): Promise<MeshModel[]> {
    return this.meshesService.meshes();
  }

  @Query(() => MeshStatusModel, { description: 'Health of a mesh on a cluster, check by check, whoever installed it.' })
  meshStatus(@Args('contextId', { type: () => ID }) contextId: string, @Args('mesh') mesh: string): Promise<MeshStatusModel> {
    return this.meshesService.status(contextId, mesh);
  }

  @Query(() => [MeshStatusModel], {
    description: 'Every known mesh’s status on a cluster: which are installed (by Meshery or anyone else) and at which version.',
  })
  detectedMeshes(@Args('contextId', { type: () => ID }) contextId: string): Promise<MeshStatusModel[]> {
    return this.meshesService.detect(contextId);
  }

  @Mutation(() => OperationModel, { description: 'Installs a mesh with its default configuration; follow it with operationEvents.' })
  async installMesh(@Args('input') input: InstallMeshInput): Promise<OperationModel> {
    return toOperationModel(await this.meshesService.install(input));
  }

  @Mutation(() => OperationModel, { description: 'Removes everything the installation created, and nothing else.' })
  async uninstallMesh(@Args('contextId', { type: () => ID }) contextId: string, @Args('mesh') mesh: string): Promise<OperationModel> {
    return toOperationModel(await this.meshesService.uninstall(contextId, mesh));
  }

  @Mutation(() => OperationModel, { description: 'Deploys a mesh’s sample app into a namespace (created when missing).' })
  async deploySampleApp(@Args('input') input: SampleAppInput): Promise<OperationModel> {
    return toOperationModel(await this.meshesService.deploySampleApp(input));
  }

  @Mutation(() => OperationModel, { description: 'Removes a deployed sample app (and its namespace if the deployment created it).' })
  async removeSampleApp(@Args('input') input: SampleAppInput): Promise<OperationModel> {
    return toOperationModel(await this.meshesService.deploySampleApp(input, true));
  }

  @Mutation(() => OperationModel, { description: 'Turns a mesh’s sidecar injection on or off for a namespace.' })
  async setNamespaceInjection(
    @Args('contextId', { type: () => ID }) contextId: string,
    @Args('namespace') namespace: string,
    @Args('mesh') mesh: string,
    @Args('enabled') enabled: boolean,
  ): Promise<OperationModel> {
    return toOperationModel(await this.meshesService.setInjection({ contextId, namespace, mesh, enabled }));
  }

  @Subscription(() => MeshStatusModel, {
    description: 'The mesh’s status now, then again whenever it changes (checked periodically and after every mesh action).',
    resolve: (status: MeshStatusModel) => status,
  })
  async meshStatusChanged(@Args('contextId', { type: () => ID }) contextId: string, @Args('mesh') mesh: string) {
    return this.meshesService.watch(contextId, mesh);
  }
}
