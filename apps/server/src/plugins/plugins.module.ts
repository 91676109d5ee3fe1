import { Module } from '@nestjs/common';
import { KubernetesModule } from '../kubernetes/kubernetes.module.js';
import { PluginsResolver } from './plugins.resolver.js';
import { PluginsService } from './plugins.service.js';

@Module({
  imports: [KubernetesModule],
  providers: [PluginsService, PluginsResolver],
  exports: [PluginsService],
})
export class PluginsModule {}
