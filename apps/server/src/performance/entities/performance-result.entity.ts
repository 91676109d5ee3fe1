import type {
  LoadModel,
  LoadTestProgress,
  LoadTestSpec,
  OpenLoopStats,
  SerializedHistogram,
  SerializedPluginError,
} from '@meshery/plugin-api';
import { Column, Entity, Index, OneToMany, PrimaryColumn, type Relation } from 'typeorm';
import { PerformanceResultLabelEntity } from './performance-result-label.entity.js';

/** Where a run stands. `interrupted` means the server stopped while it ran. */
export type PerformanceRunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

/** Where a result came from. */
export type PerformanceResultSource = 'run' | 'import';

/** Facts about what produced a result. */
export interface PerformanceEnvironment {
  readonly loadGenerator?: string;
  readonly loadGeneratorVersion?: string;
  readonly pluginId?: string;
  readonly pluginVersion?: string;
  readonly serverVersion?: string;
  readonly hostname?: string;
  readonly platform?: string;
  readonly nodeVersion?: string;
  readonly cpus?: number;
}

/** SMP references carried by an imported document, exported again unchanged. */
export interface SmpReferences {
  readonly smp_version?: string;
  readonly details_uri?: string;
  readonly mesh_config_id?: string;
  readonly env_id?: string;
  readonly config_name?: string;
  readonly config_labels?: Record<string, string>;
  readonly clients?: Record<string, unknown>[];
  readonly duration?: string;
}

/** One performance test run (or imported result) and everything measured. */
@Entity({ name: 'performance_results' })
@Index(['startedAt'])
@Index(['profileId'])
export class PerformanceResultEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PerformanceRunStatus;

  @Column({ type: 'varchar', length: 16 })
  source!: PerformanceResultSource;

  @Column({ type: 'varchar', length: 36, nullable: true })
  profileId!: string | null;

  /** The SMP PerformanceTestConfig id: the profile's id, or one made for an inline spec. */
  @Column({ type: 'varchar', length: 64 })
  testConfigId!: string;

  /** What was run; null for an imported result whose document had no configuration. */
  @Column({ type: 'simple-json', nullable: true })
  spec!: LoadTestSpec | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  loadModel!: LoadModel | null;

  @Column({ type: 'simple-json' })
  labels!: Record<string, string>;

  @OneToMany(() => PerformanceResultLabelEntity, (label) => label.result, { cascade: true })
  labelRows!: Relation<PerformanceResultLabelEntity[]>;

  @Column({ type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ type: 'varchar', length: 32 })
  startedAt!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  endedAt!: string | null;

  @Column({ type: 'double precision', nullable: true })
  measuredDurationSeconds!: number | null;

  @Column({ type: 'integer', nullable: true })
  requests!: number | null;

  @Column({ type: 'double precision', nullable: true })
  throughputRps!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latencyMinMs!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latencyMeanMs!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latencyStddevMs!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latencyP50Ms!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latencyP75Ms!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latencyP90Ms!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latencyP99Ms!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latencyP999Ms!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latencyMaxMs!: number | null;

  @Column({ type: 'simple-json', nullable: true })
  statusCodes!: Record<string, number> | null;

  @Column({ type: 'integer', nullable: true })
  errors!: number | null;

  @Column({ type: 'simple-json', nullable: true })
  errorsByType!: Record<string, number> | null;

  @Column({ type: 'integer', nullable: true })
  timeouts!: number | null;

  @Column({ type: 'double precision', nullable: true })
  bytesRead!: number | null;

  @Column({ type: 'double precision', nullable: true })
  bytesWritten!: number | null;

  @Column({ type: 'simple-json', nullable: true })
  histogram!: SerializedHistogram | null;

  /** Open loop: how well the schedule was kept, and the uncorrected service time. */
  @Column({ type: 'simple-json', nullable: true })
  openLoop!: OpenLoopStats | null;

  @Column({ type: 'simple-json' })
  environment!: PerformanceEnvironment;

  /** Progress samples as they arrived (kept for interrupted runs and live charts). */
  @Column({ type: 'simple-json' })
  samples!: LoadTestProgress[];

  @Column({ type: 'simple-json', nullable: true })
  failure!: SerializedPluginError | null;

  @Column({ type: 'simple-json', nullable: true })
  smp!: SmpReferences | null;
}
