import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Plugins' own stores (e.g. a mesh plugin's installation records and certificates). */
export class PluginState1763800000000 implements MigrationInterface {
  name = 'PluginState1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const v = (n: number) => (postgres ? `character varying(${n})` : `varchar(${n})`);
    await queryRunner.query(
      `CREATE TABLE "plugin_state" ("pluginId" ${v(64)} NOT NULL, "key" ${v(200)} NOT NULL, "sealedValue" text NOT NULL, ` +
        `"updatedAt" ${v(32)} NOT NULL, ${postgres ? 'CONSTRAINT "PK_7dc79b784c423693c875636aea2" ' : ''}PRIMARY KEY ("pluginId", "key"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "plugin_state"`);
  }
}
