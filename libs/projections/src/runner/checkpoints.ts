import type { Pool, PoolClient } from '#libs/database';

export type TableSetStatus = 'rebuilding' | 'running' | 'failed' | 'built' | 'retired';

export interface CheckpointRow {
  table_set: string;
  projection: string;
  version: number;
  kind: 'live' | 'asof';
  tables: string[];
  position: string;
  last_event_at: Date | null;
  events_applied: string;
  status: TableSetStatus;
  error: string | null;
  failed_position: string | null;
  failed_event_id: string | null;
  failed_tenant: string | null;
  until_position: string | null;
  until_time: Date | null;
  /** The tenant an as-of build belongs to; null for a live set, which every tenant shares. */
  tenant: string | null;
  created_at: Date;
  updated_at: Date;
}

export const loadCheckpoint = async (db: Pool | PoolClient, tableSet: string): Promise<CheckpointRow | undefined> => {
  const { rows } = await db.query<CheckpointRow>('SELECT * FROM projection_checkpoints WHERE table_set = $1', [
    tableSet,
  ]);
  return rows[0];
};

export interface LiveRow {
  projection: string;
  version: number;
  table_set: string;
  switched_at: Date;
}

/** Serialises version switches and set-up of one projection across processes. */
export const lockProjection = (client: PoolClient, projection: string) =>
  client.query("SELECT pg_advisory_xact_lock(hashtext('projection:' || $1))", [projection]);

/** The same lock, shared: held by steps that may run side by side but not beside a set-up or a switch. */
export const shareProjectionLock = (client: PoolClient, projection: string) =>
  client.query("SELECT pg_advisory_xact_lock_shared(hashtext('projection:' || $1))", [projection]);
