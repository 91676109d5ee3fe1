import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Performance profiles, results and result labels. */
export class InitialSchema1763770000000 implements MigrationInterface {
  name = 'InitialSchema1763770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const varchar = (n: number) => (postgres ? `character varying(${n})` : `varchar(${n})`);
    const pk = (name: string, columns: string) =>
      postgres ? `, CONSTRAINT "${name}" PRIMARY KEY (${columns})` : `, PRIMARY KEY (${columns})`;
    const idColumn = postgres ? `"id" ${varchar(36)} NOT NULL` : `"id" ${varchar(36)} PRIMARY KEY NOT NULL`;
    const defaultNumber = (n: number) => (postgres ? `DEFAULT '${n}'` : `DEFAULT (${n})`);

    await queryRunner.query(
      `CREATE TABLE "performance_profiles" (${idColumn}, "name" ${varchar(200)} NOT NULL, "url" text NOT NULL, ` +
        `"method" ${varchar(10)} NOT NULL, "headers" text NOT NULL, "body" text, "contentType" ${varchar(200)}, ` +
        `"connections" integer NOT NULL, "durationSeconds" double precision NOT NULL, "rate" double precision, ` +
        `"warmupSeconds" double precision NOT NULL ${defaultNumber(0)}, ` +
        `"requestTimeoutSeconds" double precision NOT NULL ${defaultNumber(10)}, ` +
        `"loadGenerator" ${varchar(100)} NOT NULL, "labels" text NOT NULL, "createdAt" ${varchar(32)} NOT NULL, ` +
        `"updatedAt" ${varchar(32)} NOT NULL, CONSTRAINT "UQ_7326d12ad984ed13cb4efaf6927" UNIQUE ("name")` +
        (postgres ? pk('PK_26ecc06e68e56c73f287617d86b', '"id"') : '') +
        `)`,
    );
    await queryRunner.query(
      `CREATE TABLE "performance_results" (${idColumn}, "name" ${varchar(200)} NOT NULL, ` +
        `"status" ${varchar(16)} NOT NULL, "source" ${varchar(16)} NOT NULL, "profileId" ${varchar(36)}, ` +
        `"testConfigId" ${varchar(64)} NOT NULL, "spec" text, "loadModel" ${varchar(16)}, ` +
        `"labels" text NOT NULL, "createdAt" ${varchar(32)} NOT NULL, "startedAt" ${varchar(32)} NOT NULL, ` +
        `"endedAt" ${varchar(32)}, "measuredDurationSeconds" double precision, "requests" integer, ` +
        `"throughputRps" double precision, "latencyMinMs" double precision, "latencyMeanMs" double precision, ` +
        `"latencyStddevMs" double precision, "latencyP50Ms" double precision, "latencyP75Ms" double precision, ` +
        `"latencyP90Ms" double precision, "latencyP99Ms" double precision, "latencyP999Ms" double precision, ` +
        `"latencyMaxMs" double precision, "statusCodes" text, "errors" integer, "errorsByType" text, ` +
        `"timeouts" integer, "bytesRead" double precision, "bytesWritten" double precision, "histogram" text, ` +
        `"environment" text NOT NULL, "samples" text NOT NULL, "failure" text, "smp" text` +
        (postgres ? pk('PK_2b683b242e6612bf193931431a5', '"id"') : '') +
        `)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6258e2e6c3f7253f50b954a8e3" ON "performance_results" ("profileId")`);
    await queryRunner.query(`CREATE INDEX "IDX_21ab29e196b3422e99cdea1518" ON "performance_results" ("startedAt")`);
    const labelsFk =
      `CONSTRAINT "FK_69f0454a4519a7c8d39c473c047" FOREIGN KEY ("resultId") REFERENCES "performance_results" ("id") ` +
      `ON DELETE CASCADE ON UPDATE NO ACTION`;
    await queryRunner.query(
      `CREATE TABLE "performance_result_labels" ("resultId" ${varchar(36)} NOT NULL, "key" ${varchar(100)} NOT NULL, ` +
        `"value" ${varchar(200)} NOT NULL` +
        (postgres ? '' : `, ${labelsFk}`) +
        pk('PK_2f16d24ce480ba12d2513699225', '"resultId", "key"') +
        `)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ed193eca970099d9c312a7da0f" ON "performance_result_labels" ("key", "value")`,
    );
    if (postgres) await queryRunner.query(`ALTER TABLE "performance_result_labels" ADD ${labelsFk}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "performance_result_labels"`);
    await queryRunner.query(`DROP TABLE "performance_results"`);
    await queryRunner.query(`DROP TABLE "performance_profiles"`);
  }
}
