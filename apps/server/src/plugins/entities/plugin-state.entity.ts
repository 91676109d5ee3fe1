import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One entry of a plugin's own store (`PluginTokens.store`), its value sealed at rest. */
@Entity({ name: 'plugin_state' })
export class PluginStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  pluginId!: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  /** The JSON value, encrypted with the server's key (AES-256-GCM). */
  @Column({ type: 'text' })
  sealedValue!: string;

  @Column({ type: 'varchar', length: 32 })
  updatedAt!: string;
}
