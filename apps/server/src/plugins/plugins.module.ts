import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PluginStateEntity } from './entities/plugin-state.entity.js';
import { PluginStoreService } from './plugin-store.service.js';
import { KubernetesModule } from '../kubernetes/kubernetes.module.js';
import { PluginsResolver } from './plugins.resolver.js';
import { PluginsService } from './plugins.service.js';

@Module({
  imports: [KubernetesModule, TypeOrmModule.forFeature([PluginStateEntity])],
  providers: [PluginsService, PluginsResolver, PluginStoreService],
  exports: [PluginsService],
})
export class PluginsModule {}
