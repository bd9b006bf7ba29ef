import type { Pool } from '#libs/database';
import { PostgresEventStore } from '#libs/event-store';
import { createEventStoreTestDatabase } from '#libs/testing';
import { auditStoreContract } from './audit-store.contract.js';
import { EventStoreAuditStore } from './event-store-audit-store.js';
import { PostgresAuditStore } from './postgres-audit-store.js';

/** As a database administrator can: the append-only trigger switched off for the delete. */
const asDba = (pool: Pool) => async (sql: string, params: unknown[]) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE es_events DISABLE TRIGGER es_events_append_only');
    await client.query(sql, params);
    await client.query('ALTER TABLE es_events ENABLE TRIGGER es_events_append_only');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
};

const opened =
  (
    label: string,
    audit: (db: { pool: Pool; store: PostgresEventStore }) => PostgresAuditStore | EventStoreAuditStore,
  ) =>
  async () => {
    const db = await createEventStoreTestDatabase(label);
    const store = new PostgresEventStore(db.pool);
    return {
      store,
      audit: audit({ pool: db.pool, store }),
      pool: db.pool,
      removeStream: (stream: string) =>
        asDba(db.pool)(
          `WITH gone AS (DELETE FROM es_events WHERE stream_name = $1)
           DELETE FROM es_streams WHERE stream_name = $1`,
          [stream],
        ),
      removeEvent: (stream: string, revision: number) =>
        asDba(db.pool)('DELETE FROM es_events WHERE stream_name = $1 AND stream_revision = $2', [stream, revision]),
      dispose: () => db.drop(),
    };
  };

// The PostgreSQL store as the audit reads it in production: its tables, hash chains and index.
auditStoreContract(
  'PostgreSQL',
  opened('audit_pg', ({ pool }) => new PostgresAuditStore(pool)),
  {
    removesStreams: true,
  },
);

// The reader EventStoreDB gets (through the port), here over the PostgreSQL adapter: what runs on EventStoreDB is
// exercised on every run, not only where a server is reachable.
auditStoreContract(
  'the EventStore port, over PostgreSQL',
  opened('audit_port', ({ pool, store }) => new EventStoreAuditStore(store, pool)),
  { removesStreams: true },
);
