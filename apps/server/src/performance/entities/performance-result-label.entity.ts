import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { PerformanceResultEntity } from './performance-result.entity.js';

/** One label of a result, in its own row so results can be filtered by label in SQL. */
@Entity({ name: 'performance_result_labels' })
@Index(['key', 'value'])
export class PerformanceResultLabelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  resultId!: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  value!: string;

  @ManyToOne(() => PerformanceResultEntity, (result) => result.labelRows, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resultId' })
  result!: Relation<PerformanceResultEntity>;
}
