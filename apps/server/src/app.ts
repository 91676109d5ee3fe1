import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppModule } from './app.module.js';
import type { ServerConfig } from './config/server-config.js';

/** A running server. */
export interface RunningServer {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

/** Builds and starts the server on the configured address. */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: process.env['MESHERY_LOG_LEVEL'] === 'debug' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn', 'log'],
    bufferLogs: false,
  });
  if (config.token) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      // The console's static files carry no data; the API behind them needs the token.
      const consoleFile = req.method === 'GET' && !/^\/(api|graphql)(\/|$)/.test(req.path);
      if (consoleFile || req.path === '/api/health' || req.headers.authorization === `Bearer ${config.token}`) {
        next();
        return;
      }
      res.status(401).json({
        code: 'UNAUTHENTICATED',
        message: 'This server requires a token',
        remediation: 'Send the header "Authorization: Bearer <MESHERY_TOKEN>".',
      });
    });
  }
  serveConsole(app, config.webDir);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${address.port}`;
  if (!config.publicUrlFromEnv) config.publicUrl = url;
  return { app, url, close: () => app.close() };
}

/** Paths the console never owns. */
const API_PATHS = /^\/(api|graphql)(\/|$)/;

/**
 * Serves the web console's production build at `/`, with unknown non-API paths answered by its
 * index.html so the console's own routes survive a reload. Without a build, `/` redirects to
 * GraphiQL.
 */
function serveConsole(app: INestApplication, webDir: string): void {
  const index = path.join(webDir, 'index.html');
  if (!existsSync(index)) return;
  app.use(express.static(webDir, { index: 'index.html', maxAge: '1h', setHeaders: (res, file) => {
    if (file.endsWith('index.html')) res.setHeader('cache-control', 'no-cache');
  } }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || API_PATHS.test(req.path) || !req.accepts('html')) {
      next();
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}
