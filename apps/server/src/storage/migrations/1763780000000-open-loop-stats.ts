import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Open-loop schedule statistics and uncorrected service time of a result. */
export class OpenLoopStats1763780000000 implements MigrationInterface {
  name = 'OpenLoopStats1763780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "performance_results" ADD COLUMN "openLoop" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "performance_results" DROP COLUMN "openLoop"`);
  }
}
