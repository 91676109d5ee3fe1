import { HostArtifactService, PluginHost, type PluginRecord, type Registered } from '@meshery/plugin-host';
import type { LoadGenerator, MeshProvider } from '@meshery/plugin-api';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import path from 'node:path';
import { SERVER_CONFIG, type ServerConfig } from '../config/server-config.js';
import { PluginKubernetesService } from '../kubernetes/plugin-kubernetes.service.js';
import { PluginStoreService } from './plugin-store.service.js';

/** Owns the plugin host: discovers and starts plugins at boot, stops them at shutdown. */
@Injectable()
export class PluginsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Plugins');
  private readonly host: PluginHost;

  constructor(@Inject(SERVER_CONFIG) config: ServerConfig, kubernetes: PluginKubernetesService, stores: PluginStoreService) {
    const artifacts = new HostArtifactService({
      cacheDir: path.join(config.dataDir, 'artifacts'),
      ...(config.artifacts.mirror ? { mirror: config.artifacts.mirror } : {}),
      allowNetwork: !config.artifacts.offline,
    });
    this.host = new PluginHost({
      hostVersion: config.version,
      sources: [
        ...config.pluginDirs.map((dir) => ({ kind: 'directory' as const, path: dir })),
        ...config.nodeModulesDirs.map((dir) => ({ kind: 'node-modules' as const, path: dir })),
      ],
      dataDir: path.join(config.dataDir, 'plugins'),
      services: { kubernetes, artifacts, storeFor: (pluginId) => stores.storeFor(pluginId) },
      configFor: (pluginId) => config.pluginConfig[pluginId] ?? {},
      ...(config.pluginConfigFile ? { configSource: config.pluginConfigFile } : {}),
      sink: {
        log: (level, message, fields) => {
          const { pluginId, operationId, ...rest } = fields;
          const prefix = `[${pluginId}${operationId ? ` ${operationId}` : ''}] ${message}`;
          const line = Object.keys(rest).length > 0 ? `${prefix} ${JSON.stringify(rest)}` : prefix;
          if (level === 'error') this.logger.error(line);
          else if (level === 'warn') this.logger.warn(line);
          else if (level === 'debug') this.logger.debug(line);
          else this.logger.log(line);
        },
      },
    });
  }

  async onModuleInit(): Promise<void> {
    const records = await this.host.start();
    const loaded = records.filter((r) => r.status === 'loaded').length;
    this.logger.log(`${loaded} of ${records.length} plugins loaded`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.host.stop();
  }

  plugins(): readonly PluginRecord[] {
    return this.host.plugins();
  }

  loadGenerators(): Registered<LoadGenerator>[] {
    return this.host.loadGenerators();
  }

  meshProviders(): Registered<MeshProvider>[] {
    return this.host.meshProviders();
  }

  plugin(pluginId: string): PluginRecord | undefined {
    return this.host.plugin(pluginId);
  }
}
