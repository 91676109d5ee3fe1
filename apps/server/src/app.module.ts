import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { GraphQLErrorFilter } from './graphql/graphql-error.filter.js';
import { ConfigModule } from './config/config.module.js';
import type { ServerConfig } from './config/server-config.js';
import { HealthController } from './health/health.controller.js';
import { KubernetesModule } from './kubernetes/kubernetes.module.js';
import { MeshesModule } from './meshes/meshes.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { PerformanceModule } from './performance/performance.module.js';
import { PluginsModule } from './plugins/plugins.module.js';
import { PubSubModule } from './pubsub/pubsub.module.js';
import { StorageModule } from './storage/storage.module.js';

function bearer(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('Bearer ') ? value.slice(7) : undefined;
}

@Module({})
export class AppModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        PubSubModule,
        StorageModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          graphiql: true,
          introspection: true,
          subscriptions: {
            'graphql-ws': {
              path: '/graphql',
              onConnect: (context: { connectionParams?: Record<string, unknown> }) => {
                if (!config.token) return true;
                const params = context.connectionParams ?? {};
                return bearer(params['authorization'] ?? params['Authorization']) === config.token;
              },
            },
          },
        }),
        PluginsModule,
        PerformanceModule,
        OperationsModule,
        KubernetesModule,
        MeshesModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: GraphQLErrorFilter }],
    };
  }
}
