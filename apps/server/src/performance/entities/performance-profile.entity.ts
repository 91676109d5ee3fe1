import type { HttpMethod } from '@meshery/plugin-api';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A saved load test: what to call, how hard, with which generator. */
@Entity({ name: 'performance_profiles' })
export class PerformanceProfileEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200, unique: true })
  name!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'varchar', length: 10 })
  method!: HttpMethod;

  @Column({ type: 'simple-json' })
  headers!: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  contentType!: string | null;

  @Column({ type: 'integer' })
  connections!: number;

  @Column({ type: 'double precision' })
  durationSeconds!: number;

  /** Requests per second over all connections; null means as fast as possible (closed loop). */
  @Column({ type: 'double precision', nullable: true })
  rate!: number | null;

  @Column({ type: 'double precision', default: 0 })
  warmupSeconds!: number;

  @Column({ type: 'double precision', default: 10 })
  requestTimeoutSeconds!: number;

  /** Name of the load generator (its descriptor name), e.g. `autocannon`. */
  @Column({ type: 'varchar', length: 100 })
  loadGenerator!: string;

  @Column({ type: 'simple-json' })
  labels!: Record<string, string>;

  /** ISO-8601, UTC. */
  @Column({ type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ type: 'varchar', length: 32 })
  updatedAt!: string;
}
