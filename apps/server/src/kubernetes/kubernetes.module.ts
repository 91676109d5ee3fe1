import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OperationsModule } from '../operations/operations.module.js';
import { ClusterConnectionsService } from './cluster-connections.service.js';
import { ClusterConnectionEntity } from './entities/cluster-connection.entity.js';
import { InventoryObjectEntity } from './entities/inventory-object.entity.js';
import { KubernetesResolver } from './kubernetes.resolver.js';
import { KubernetesService } from './kubernetes.service.js';
import { PluginKubernetesService } from './plugin-kubernetes.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ClusterConnectionEntity, InventoryObjectEntity]), OperationsModule],
  providers: [ClusterConnectionsService, KubernetesService, KubernetesResolver, PluginKubernetesService],
  exports: [ClusterConnectionsService, KubernetesService, PluginKubernetesService],
})
export class KubernetesModule {}
