/**
 * The PostgreSQL schema, as numbered migrations applied at start (`migrate`). Each runs once, in
 * its own transaction, recorded in `dossierlens_migrations`; instances starting together take an
 * advisory lock so exactly one applies them. A migration is never edited once released: add the
 * next number instead.
 *
 * The tables mirror the SQLite ones (sqlite.ts): one `log` row per accepted update (the update
 * and its audit entry; compaction clears `data`, rows are never deleted so `seq` is never reused),
 * `snapshots`, `client_bindings` (the primary key is what makes a clientID impossible to claim
 * twice, whichever instance the claims arrive through), `revocations`, `quarantine`.
 */
import type pg from 'pg';

export const migrations: readonly string[] = [
  `CREATE TABLE log (
     seq BIGSERIAL PRIMARY KEY,
     doc TEXT NOT NULL,
     "user" TEXT NOT NULL,
     name TEXT NOT NULL,
     time BIGINT NOT NULL,
     size INTEGER NOT NULL,
     hash TEXT NOT NULL,
     client_ids TEXT NOT NULL,
     data BYTEA
   );
   CREATE INDEX log_by_doc ON log (doc, seq);
   CREATE INDEX log_by_user ON log ("user", seq);
   CREATE TABLE snapshots (
     doc TEXT PRIMARY KEY,
     data BYTEA NOT NULL,
     through_seq BIGINT NOT NULL,
     time BIGINT NOT NULL,
     hash TEXT
   );
   CREATE TABLE client_bindings (
     doc TEXT NOT NULL,
     client_id BIGINT NOT NULL,
     "user" TEXT NOT NULL,
     name TEXT,
     time BIGINT NOT NULL,
     wrote BOOLEAN NOT NULL,
     PRIMARY KEY (doc, client_id)
   );
   CREATE TABLE revocations (
     id BIGSERIAL PRIMARY KEY,
     "user" TEXT,
     jti TEXT,
     time BIGINT NOT NULL
   );
   CREATE INDEX revocations_by_user ON revocations ("user");
   CREATE INDEX revocations_by_jti ON revocations (jti);
   CREATE TABLE quarantine (
     seq BIGINT PRIMARY KEY,
     doc TEXT NOT NULL,
     data BYTEA,
     error TEXT NOT NULL,
     time BIGINT NOT NULL
   );`,
  // `cli migrate` (migrate.ts) records each document it copied, and whether it was verified, so an
  // interrupted run resumes where it stopped.
  `CREATE TABLE migrated_documents (
     doc TEXT PRIMARY KEY,
     source TEXT NOT NULL,
     state_vector BYTEA NOT NULL,
     hash TEXT NOT NULL,
     verified BOOLEAN NOT NULL,
     time BIGINT NOT NULL
   );`,
  // One commit in one round trip (postgres.ts, group commit): take the log lock shared, claim unbound
  // clientIDs, refuse (0) an update that writes with another user's clientID, append the others.
  // Bindings arrive flattened: (doc, clientID, index of the update, 1-based).
  `CREATE FUNCTION dossierlens_commit(p_doc TEXT[], p_user TEXT[], p_name TEXT[], p_time BIGINT[], p_size INT[], p_hash TEXT[],
     p_ids TEXT[], p_data BYTEA[], b_doc TEXT[], b_id BIGINT[], b_idx INT[]) RETURNS BIGINT[] LANGUAGE plpgsql AS $$
   DECLARE
     result BIGINT[] := '{}';
     s BIGINT;
   BEGIN
     PERFORM pg_advisory_xact_lock_shared(74018, 0);
     INSERT INTO client_bindings (doc, client_id, "user", name, time, wrote)
       SELECT b.doc, b.id, p_user[b.idx], p_name[b.idx], p_time[b.idx], false FROM unnest(b_doc, b_id, b_idx) AS b(doc, id, idx)
       ON CONFLICT (doc, client_id) DO NOTHING;
     FOR i IN 1..coalesce(array_length(p_doc, 1), 0) LOOP
       IF EXISTS (SELECT 1 FROM unnest(b_doc, b_id, b_idx) AS b(doc, id, idx)
                  JOIN client_bindings c ON c.doc = b.doc AND c.client_id = b.id WHERE b.idx = i AND c."user" <> p_user[i]) THEN
         result := result || 0::BIGINT;
       ELSE
         UPDATE client_bindings c SET wrote = true FROM unnest(b_doc, b_id, b_idx) AS b(doc, id, idx)
           WHERE b.idx = i AND c.doc = b.doc AND c.client_id = b.id AND NOT c.wrote;
         INSERT INTO log (doc, "user", name, time, size, hash, client_ids, data)
           VALUES (p_doc[i], p_user[i], p_name[i], p_time[i], p_size[i], p_hash[i], p_ids[i], p_data[i]) RETURNING seq INTO s;
         result := result || s;
       END IF;
     END LOOP;
     RETURN result;
   END $$;`,
  // The view log (查阅留痕, postgres-views.ts), append-only as in SQLite (sqlite-views.ts): triggers
  // refuse UPDATE and DELETE for every role, the server's own included.
  `CREATE TABLE views (
     seq BIGSERIAL PRIMARY KEY,
     id TEXT NOT NULL,
     "user" TEXT NOT NULL,
     name TEXT NOT NULL,
     subject_type TEXT NOT NULL,
     subject_id TEXT NOT NULL,
     unit TEXT NOT NULL,
     view TEXT NOT NULL,
     client_time BIGINT NOT NULL,
     time BIGINT NOT NULL,
     UNIQUE ("user", id)
   );
   CREATE INDEX views_by_subject ON views (subject_id, time);
   CREATE INDEX views_by_user ON views ("user", time);
   CREATE FUNCTION dossierlens_views_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'the view log is append-only';
   END $$;
   CREATE TRIGGER views_no_change BEFORE UPDATE OR DELETE ON views
     FOR EACH ROW EXECUTE FUNCTION dossierlens_views_append_only();
   CREATE TRIGGER views_no_truncate BEFORE TRUNCATE ON views
     FOR EACH STATEMENT EXECUTE FUNCTION dossierlens_views_append_only();`,
];

/** Advisory lock keys (first half of the two-int form): one namespace per purpose. */
export const lockKeys = { migrate: 74_017, log: 74_018, compact: 74_019 } as const;

/** Apply the migrations this database has not had yet; returns the schema version now. */
export async function migrate(client: pg.PoolClient | pg.Client, schema: string): Promise<number> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  await client.query('SELECT pg_advisory_lock($1, 0)', [lockKeys.migrate]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS dossierlens_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM dossierlens_migrations',
    );
    const current = rows[0]?.version ?? 0;
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(migrations[version - 1]!);
        await client.query('INSERT INTO dossierlens_migrations (version, applied_at) VALUES ($1, $2)', [
          version,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${version} failed: ${(error as Error).message}`, { cause: error });
      }
    }
    return Math.max(current, migrations.length);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, 0)', [lockKeys.migrate]);
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/gu, '""')}"`;

/**
 * Split a store URL into what `pg` connects with and the schema the tables live in
 * (`?schema=NAME`, default `public`): several deployments, or parallel test runs, can share one
 * database without sharing tables.
 */
export function parseStoreUrl(url: string): { connectionString: string; schema: string } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new Error('the store is a postgres:// URL');
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/u.test(schema)) throw new Error('schema: letters, digits and _ only');
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

/** The URL without its password, for logs and /healthz. */
export function describeStoreUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable)';
  }
}
