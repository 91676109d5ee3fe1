import { Module } from '@nestjs/common';
import { KubernetesModule } from '../kubernetes/kubernetes.module.js';
import { OperationsModule } from '../operations/operations.module.js';
import { PluginsModule } from '../plugins/plugins.module.js';
import { MeshesResolver } from './meshes.resolver.js';
import { MeshesService } from './meshes.service.js';

@Module({
  imports: [PluginsModule, OperationsModule, KubernetesModule],
  providers: [MeshesService, MeshesResolver],
})
export class MeshesModule {}
