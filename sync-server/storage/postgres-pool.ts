/**
 * The connection pool of a PostgreSQL store and the one way to run a transaction on it.
 */
import pg from 'pg';

/** BIGINT columns come back as text by default; every value here is far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function openPool(connectionString: string, schema: string, size: number): pg.Pool {
  // The schema is every connection's search path from its start (a startup parameter, no extra query).
  const pool = new pg.Pool({ connectionString, max: size, types, options: `-c search_path=${schema}` });
  // A connection that breaks while idle must not take the process down; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** `run` in one transaction on one pooled connection: committed if it resolves, rolled back if not. */
export async function transaction<T>(
  pool: pg.Pool,
  run: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await run(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
