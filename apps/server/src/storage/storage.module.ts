import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SERVER_CONFIG, type ServerConfig } from '../config/server-config.js';
import { dataSourceOptions } from './data-source-options.js';

/**
 * The database: embedded SQLite under the data directory by default, PostgreSQL when
 * MESHERY_DATABASE_URL is set. Migrations run at start.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [SERVER_CONFIG],
      useFactory: (config: ServerConfig) =>
        dataSourceOptions(
          config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'sqlite', file: config.sqlitePath },
        ),
    }),
  ],
})
export class StorageModule {}
