import { Module } from '@nestjs/common';
import { PluginsResolver } from './plugins.resolver.js';
import { PluginsService } from './plugins.service.js';

@Module({
  providers: [PluginsService, PluginsResolver],
  exports: [PluginsService],
})
export class PluginsModule {}
