import type { SerializedPluginError } from '@meshery/plugin-api';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type OperationStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** A long-running action (apply, delete, install...) and how it ended. */
@Entity({ name: 'operations' })
@Index(['createdAt'])
export class OperationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** e.g. `apply-manifest`, `delete-manifest`, `delete-inventory`. */
  @Column({ type: 'varchar', length: 64 })
  kind!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: OperationStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  contextId!: string | null;

  @Column({ type: 'varchar', length: 500 })
  summary!: string;

  @Column({ type: 'boolean', default: false })
  dryRun!: boolean;

  @Column({ type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  endedAt!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  error!: SerializedPluginError | null;
}
