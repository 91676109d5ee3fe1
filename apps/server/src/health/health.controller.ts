import { Controller, Get, Inject, Redirect } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SERVER_CONFIG, type ServerConfig } from '../config/server-config.js';

/** Liveness and a landing redirect. */
@Controller()
export class HealthController {
  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('api/health')
  async health() {
    await this.dataSource.query('SELECT 1');
    return {
      status: 'ok',
      version: this.config.version,
      database: this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite',
    };
  }

  @Get()
  @Redirect('/graphql', 302)
  root(): void {}
}
