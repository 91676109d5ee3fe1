import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SERVER_CONFIG, type ServerConfig } from './server-config.js';

/** Makes the server configuration injectable everywhere as {@link SERVER_CONFIG}. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: SERVER_CONFIG, useValue: config }],
      exports: [SERVER_CONFIG],
    };
  }
}
