import type { SerializedPluginError } from '@meshery/plugin-api';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One event of an operation, in order. */
@Entity({ name: 'operation_events' })
export class OperationEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  operationId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 32 })
  at!: string;

  /** created, configured, unchanged, deleted, absent, waiting, ready, retrying, info, done, failed. */
  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ type: 'text' })
  summary!: string;

  /** The object concerned: apiVersion, kind, namespace, name. */
  @Column({ type: 'simple-json', nullable: true })
  object!: { apiVersion: string; kind: string; name: string; namespace?: string } | null;

  @Column({ type: 'simple-json', nullable: true })
  error!: SerializedPluginError | null;
}
