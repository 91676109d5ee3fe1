import { Query, Resolver } from '@nestjs/graphql';
import { PluginModel, type PluginStatusModel } from './models/plugin.model.js';
import { PluginsService } from './plugins.service.js';

@Resolver(() => PluginModel)
export class PluginsResolver {
  constructor(private readonly pluginsService: PluginsService) {}

  @Query(() => [PluginModel], { description: 'Every discovered plugin with its status.' })
  plugins(): PluginModel[] {
    return this.pluginsService.plugins().map((record) => ({
      id: record.pluginId,
      ...(record.packageName ? { packageName: record.packageName } : {}),
      ...(record.version ? { version: record.version } : {}),
      ...(record.displayName ? { displayName: record.displayName } : {}),
      ...(record.description ? { description: record.description } : {}),
      kinds: [...record.kinds],
      capabilities: Object.entries(record.capabilities).map(([kind, names]) => ({ kind, names: [...(names ?? [])] })),
      ...(record.runtime ? { runtime: record.runtime } : {}),
      path: record.path,
      status: record.status as PluginStatusModel,
      ...(record.reason ? { reason: record.reason } : {}),
    }));
  }
}
