import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A connected cluster: one kubeconfig context, its credentials sealed at rest. */
@Entity({ name: 'cluster_connections' })
export class ClusterConnectionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200, unique: true })
  name!: string;

  /** The kubeconfig context it came from. */
  @Column({ type: 'varchar', length: 253 })
  contextName!: string;

  @Column({ type: 'varchar', length: 253 })
  clusterName!: string;

  /** API server URL (not secret). */
  @Column({ type: 'text' })
  server!: string;

  @Column({ type: 'varchar', length: 253, nullable: true })
  defaultNamespace!: string | null;

  /** Where it came from: `upload` or the path of a kubeconfig file the server found. */
  @Column({ type: 'varchar', length: 500 })
  source!: string;

  /** A kubeconfig with just this context, encrypted with the server's key (AES-256-GCM). */
  @Column({ type: 'text' })
  sealedKubeconfig!: string;

  @Column({ type: 'varchar', length: 32 })
  createdAt!: string;
}
