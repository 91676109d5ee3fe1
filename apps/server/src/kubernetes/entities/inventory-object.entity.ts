import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An object an operation applied: what a later removal deletes, and nothing else. */
@Entity({ name: 'inventory_objects' })
@Index(['contextId'])
export class InventoryObjectEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  inventoryId!: string;

  @PrimaryColumn({ type: 'varchar', length: 253 })
  apiVersion!: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  kind!: string;

  /** '' for cluster-scoped objects. */
  @PrimaryColumn({ type: 'varchar', length: 253 })
  namespace!: string;

  @PrimaryColumn({ type: 'varchar', length: 253 })
  name!: string;

  @Column({ type: 'varchar', length: 36 })
  contextId!: string;

  /** Position in apply order. */
  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  uid!: string | null;

  @Column({ type: 'varchar', length: 32 })
  appliedAt!: string;
}
