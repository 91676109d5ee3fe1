import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the storage tests use (CI sets MESHERY_TEST_POSTGRES_URL). */
export const POSTGRES_URL = process.env['MESHERY_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** When set (CI), an unreachable PostgreSQL fails the run instead of skipping its suites. */
export const POSTGRES_REQUIRED = process.env['MESHERY_REQUIRE_POSTGRES'] === '1';

export async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema of its own, and a URL whose search_path points at it. */
export async function isolatedPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `meshery_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}
