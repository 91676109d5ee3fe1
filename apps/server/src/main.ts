import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { startServer } from './app.js';
import { ConfigError, loadServerConfig } from './config/server-config.js';

const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

process.on('unhandledRejection', (reason) => {
  // A stray rejection in a plugin must not take the server down.
  console.error('Unhandled promise rejection (kept running):', reason);
});

try {
  const config = loadServerConfig(process.env, workspaceRoot);
  const server = await startServer(config);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        console.error(`${signal} again: exiting at once`);
        process.exit(130);
      }
      stopping = true;
      console.log(`${signal}: stopping (running tests are stored as interrupted)...`);
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('Error while stopping:', error);
          process.exit(1);
        },
      );
    });
  }
  console.log(`Meshery server ${config.version} listening on ${server.url} (GraphQL and GraphiQL at ${server.url}/graphql)`);
  console.log(`Data directory: ${config.dataDir}; database: ${config.databaseUrl ? 'PostgreSQL' : config.sqlitePath}`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
  console.error('The server could not start:', error);
  process.exit(1);
}
