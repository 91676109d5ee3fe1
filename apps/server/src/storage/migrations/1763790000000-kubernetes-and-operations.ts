import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Cluster connections, the inventory of applied objects, operations and their events. */
export class KubernetesAndOperations1763790000000 implements MigrationInterface {
  name = 'KubernetesAndOperations1763790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const v = (n: number) => (postgres ? `character varying(${n})` : `varchar(${n})`);
    const pk = (name: string, columns: string) => (postgres ? `, CONSTRAINT "${name}" PRIMARY KEY (${columns})` : `, PRIMARY KEY (${columns})`);
    const id = postgres ? `"id" ${v(36)} NOT NULL` : `"id" ${v(36)} PRIMARY KEY NOT NULL`;
    await queryRunner.query(
      `CREATE TABLE "cluster_connections" (${id}, "name" ${v(200)} NOT NULL, "contextName" ${v(253)} NOT NULL, ` +
        `"clusterName" ${v(253)} NOT NULL, "server" text NOT NULL, "defaultNamespace" ${v(253)}, "source" ${v(500)} NOT NULL, ` +
        `"sealedKubeconfig" text NOT NULL, "createdAt" ${v(32)} NOT NULL, CONSTRAINT "UQ_9e3b6c35acc2a1223e7144c07d3" UNIQUE ("name")` +
        (postgres ? pk('PK_e10cb2d241447782fbfe1a5aadb', '"id"') : '') +
        `)`,
    );
    await queryRunner.query(
      `CREATE TABLE "inventory_objects" ("inventoryId" ${v(36)} NOT NULL, "apiVersion" ${v(253)} NOT NULL, "kind" ${v(100)} NOT NULL, ` +
        `"namespace" ${v(253)} NOT NULL, "name" ${v(253)} NOT NULL, "contextId" ${v(36)} NOT NULL, "seq" integer NOT NULL, ` +
        `"uid" ${v(64)}, "appliedAt" ${v(32)} NOT NULL` +
        pk('PK_12b228a0e8b4741945bddff3b49', '"inventoryId", "apiVersion", "kind", "namespace", "name"') +
        `)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_3064942f73c7084d89ae6f8834" ON "inventory_objects" ("contextId")`);
    await queryRunner.query(
      `CREATE TABLE "operation_events" ("operationId" ${v(36)} NOT NULL, "seq" integer NOT NULL, "at" ${v(32)} NOT NULL, ` +
        `"type" ${v(32)} NOT NULL, "summary" text NOT NULL, "object" text, "error" text` +
        pk('PK_4af3d881df6836520a92aa0e59c', '"operationId", "seq"') +
        `)`,
    );
    await queryRunner.query(
      `CREATE TABLE "operations" (${id}, "kind" ${v(64)} NOT NULL, "status" ${v(16)} NOT NULL, "contextId" ${v(36)}, ` +
        `"summary" ${v(500)} NOT NULL, "dryRun" boolean NOT NULL DEFAULT ${postgres ? 'false' : '(0)'}, "createdAt" ${v(32)} NOT NULL, ` +
        `"endedAt" ${v(32)}, "error" text` +
        (postgres ? pk('PK_7b62d84d6f9912b975987165856', '"id"') : '') +
        `)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_fb1d0da239ec55acfdb67e4a95" ON "operations" ("createdAt")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['operations', 'operation_events', 'inventory_objects', 'cluster_connections']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
