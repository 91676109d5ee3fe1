import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ClusterConnectionEntity } from '../kubernetes/entities/cluster-connection.entity.js';
import { InventoryObjectEntity } from '../kubernetes/entities/inventory-object.entity.js';
import { OperationEventEntity } from '../operations/entities/operation-event.entity.js';
import { OperationEntity } from '../operations/entities/operation.entity.js';
import { PluginStateEntity } from '../plugins/entities/plugin-state.entity.js';
import { PerformanceProfileEntity } from '../performance/entities/performance-profile.entity.js';
import { PerformanceResultLabelEntity } from '../performance/entities/performance-result-label.entity.js';
import { PerformanceResultEntity } from '../performance/entities/performance-result.entity.js';
import { InitialSchema1763770000000 } from './migrations/1763770000000-initial-schema.js';
import { OpenLoopStats1763780000000 } from './migrations/1763780000000-open-loop-stats.js';
import { KubernetesAndOperations1763790000000 } from './migrations/1763790000000-kubernetes-and-operations.js';
import { PluginState1763800000000 } from './migrations/1763800000000-plugin-state.js';

/** Every entity, listed explicitly so the same list works from sources and from dist. */
export const ENTITIES = [
  PerformanceProfileEntity,
  PerformanceResultEntity,
  PerformanceResultLabelEntity,
  OperationEntity,
  OperationEventEntity,
  ClusterConnectionEntity,
  InventoryObjectEntity,
  PluginStateEntity,
];

/** Every migration, in order. */
export const MIGRATIONS = [InitialSchema1763770000000, OpenLoopStats1763780000000, KubernetesAndOperations1763790000000, PluginState1763800000000];

/** Where the data lives: a PostgreSQL URL, or an SQLite file. */
export type DatabaseTarget =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'sqlite'; readonly file: string };

/**
 * TypeORM options for a target. The schema is built by versioned migrations, run at start; it is
 * never synchronised from the entities.
 */
export function dataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error' as const, 'warn' as const, 'migration' as const],
  };
  if (target.kind === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: target.url,
      connectTimeoutMS: 5000,
    };
  }
  mkdirSync(path.dirname(target.file), { recursive: true, mode: 0o700 });
  return {
    ...common,
    type: 'better-sqlite3',
    database: target.file,
    enableWAL: true,
    prepareDatabase: (db: { pragma: (source: string) => unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}
