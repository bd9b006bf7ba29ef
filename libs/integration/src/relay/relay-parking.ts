import { migrate, type Migration, type Pool } from '#libs/database';

/**
 * Events the relay could not publish and did not skip on its own (docs/runbook.md, Kafka relay).
 *
 * - `too-large`: one of the event's messages is larger than the broker accepts. Parked until the broker's limit is
 *   raised (the relay then publishes it by itself) or an operator skips it (who, when and why are kept here).
 * - `held`: a later event of the same stream, kept back so that consumers never see a stream's events out of order;
 *   published, in order, as soon as nothing before it in its stream is parked any more.
 *
 * Rows keep references only (position, id, stream, type, sizes), never a message: a parked event is read again from
 * the store when it is published, so erasing a subject's keys leaves no readable copy here.
 */
export const relayParkingMigrations: Migration[] = [
  {
    id: 'integration/0100-relay-parked-events',
    sql: `
      CREATE TABLE IF NOT EXISTS relay_parked_events (
        relay text NOT NULL,
        position bigint NOT NULL,
        event_id text NOT NULL,
        stream_name text NOT NULL,
        stream_revision bigint NOT NULL,
        event_type text NOT NULL,
        tenant text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('too-large', 'held')),
        reason text NOT NULL,
        bytes integer,
        limit_bytes integer,
        parked_at timestamptz NOT NULL DEFAULT now(),
        resolution text CHECK (resolution IN ('published', 'skipped', 'not-in-store')),
        resolved_at timestamptz,
        resolved_by text,
        note text,
        PRIMARY KEY (relay, position)
      );
      CREATE INDEX IF NOT EXISTS relay_parked_events_open ON relay_parked_events (relay, stream_name, position)
        WHERE resolved_at IS NULL;
    `,
  },
];

export type ParkedKind = 'too-large' | 'held';
export type ParkedResolution = 'published' | 'skipped' | 'not-in-store';

export interface ParkedEvent {
  position: bigint;
  eventId: string;
  streamName: string;
  streamRevision: number;
  eventType: string;
  tenant: string;
  kind: ParkedKind;
  reason: string;
  /** Size of the event's messages as the relay would send them (too-large only). */
  bytes: number | null;
  /** The broker's limit when it was parked (too-large only). */
  limitBytes: number | null;
}

export interface ParkedEventRow extends ParkedEvent {
  parkedAt: Date;
  resolution: ParkedResolution | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  note: string | null;
}

/** Public, JSON-ready shape of a row, for `/relay/status` and `/relay/parked`. */
export const parkedView = (row: ParkedEventRow) => ({
  position: String(row.position),
  eventId: row.eventId,
  streamName: row.streamName,
  streamRevision: row.streamRevision,
  eventType: row.eventType,
  tenant: row.tenant,
  kind: row.kind,
  reason: row.reason,
  bytes: row.bytes,
  limitBytes: row.limitBytes,
  parkedAt: row.parkedAt.toISOString(),
  resolution: row.resolution,
  resolvedAt: row.resolvedAt?.toISOString() ?? null,
  resolvedBy: row.resolvedBy,
  note: row.note,
});

export type ParkedEventView = ReturnType<typeof parkedView>;

/** Where the relay parks events; PostgreSQL, beside its checkpoint. */
export interface RelayParking {
  /** Creates the table when missing (the relay may run in an app that did not migrate the integration lib). */
  ready(): Promise<void>;
  /** Records parked events; one already recorded at a position keeps its first row. */
  park(relay: string, events: readonly ParkedEvent[]): Promise<void>;
  /** Unresolved rows, in `$all` order. */
  open(relay: string): Promise<ParkedEventRow[]>;
  resolve(relay: string, positions: readonly bigint[], resolution: 'published' | 'not-in-store'): Promise<void>;
  /** Updates why a too-large event is still parked (the broker's limit may have changed). */
  stillParked(
    relay: string,
    position: bigint,
    reason: string,
    bytes: number | null,
    limitBytes: number | null,
  ): Promise<void>;
  /**
   * An operator's decision to go on without a too-large event, recorded as `<tenant>/<subject>` with the reason:
   * returns the row, or undefined when there is no open too-large event at that position (in `inTenant`, if given).
   */
  skip(
    relay: string,
    position: bigint,
    by: { tenant: string; subject: string; reason: string; inTenant?: string },
  ): Promise<ParkedEventRow | undefined>;
  /** Rows (of one tenant, if given), open ones first, then the most recently resolved. */
  list(relay: string, tenant: string | undefined, limit: number): Promise<ParkedEventRow[]>;
}

interface Row {
  position: string;
  event_id: string;
  stream_name: string;
  stream_revision: string;
  event_type: string;
  tenant: string;
  kind: ParkedKind;
  reason: string;
  bytes: number | null;
  limit_bytes: number | null;
  parked_at: Date;
  resolution: ParkedResolution | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  note: string | null;
}

const fromRow = (row: Row): ParkedEventRow => ({
  position: BigInt(row.position),
  eventId: row.event_id,
  streamName: row.stream_name,
  streamRevision: Number(row.stream_revision),
  eventType: row.event_type,
  tenant: row.tenant,
  kind: row.kind,
  reason: row.reason,
  bytes: row.bytes,
  limitBytes: row.limit_bytes,
  parkedAt: row.parked_at,
  resolution: row.resolution,
  resolvedAt: row.resolved_at,
  resolvedBy: row.resolved_by,
  note: row.note,
});

export class PostgresRelayParking implements RelayParking {
  private migrated: Promise<unknown> | undefined;

  constructor(private readonly pool: Pool) {}

  async ready(): Promise<void> {
    this.migrated ??= migrate(this.pool, relayParkingMigrations).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    await this.migrated;
  }

  async park(relay: string, events: readonly ParkedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.pool.query(
      `INSERT INTO relay_parked_events
         (relay, position, event_id, stream_name, stream_revision, event_type, tenant, kind, reason, bytes, limit_bytes)
       SELECT $1, u.position, u.event_id, u.stream_name, u.stream_revision, u.event_type, u.tenant, u.kind, u.reason,
              u.bytes, u.limit_bytes
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::int[], $11::int[])
           AS u(position, event_id, stream_name, stream_revision, event_type, tenant, kind, reason, bytes, limit_bytes)
       ON CONFLICT (relay, position) DO NOTHING`,
      [
        relay,
        events.map((e) => String(e.position)),
        events.map((e) => e.eventId),
        events.map((e) => e.streamName),
        events.map((e) => e.streamRevision),
        events.map((e) => e.eventType),
        events.map((e) => e.tenant),
        events.map((e) => e.kind),
        events.map((e) => e.reason),
        events.map((e) => e.bytes),
        events.map((e) => e.limitBytes),
      ],
    );
  }

  async open(relay: string): Promise<ParkedEventRow[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM relay_parked_events WHERE relay = $1 AND resolved_at IS NULL ORDER BY position',
      [relay],
    );
    return rows.map(fromRow);
  }

  async resolve(relay: string, positions: readonly bigint[], resolution: 'published' | 'not-in-store'): Promise<void> {
    if (positions.length === 0) return;
    await this.pool.query(
      `UPDATE relay_parked_events SET resolution = $3, resolved_at = now(), resolved_by = 'relay'
        WHERE relay = $1 AND position = ANY ($2::bigint[]) AND resolved_at IS NULL`,
      [relay, positions.map(String), resolution],
    );
  }

  async stillParked(
    relay: string,
    position: bigint,
    reason: string,
    bytes: number | null,
    limitBytes: number | null,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE relay_parked_events SET reason = $3, bytes = $4, limit_bytes = $5, kind = 'too-large'
        WHERE relay = $1 AND position = $2 AND resolved_at IS NULL`,
      [relay, String(position), reason, bytes, limitBytes],
    );
  }

  async skip(
    relay: string,
    position: bigint,
    by: { tenant: string; subject: string; reason: string; inTenant?: string },
  ): Promise<ParkedEventRow | undefined> {
    const { rows } = await this.pool.query<Row>(
      `UPDATE relay_parked_events
          SET resolution = 'skipped', resolved_at = now(), resolved_by = $4, note = $5
        WHERE relay = $1 AND position = $2 AND ($3::text IS NULL OR tenant = $3) AND kind = 'too-large'
          AND resolved_at IS NULL
        RETURNING *`,
      [relay, String(position), by.inTenant ?? null, `${by.tenant}/${by.subject}`, by.reason],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async list(relay: string, tenant: string | undefined, limit: number): Promise<ParkedEventRow[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM relay_parked_events WHERE relay = $1 AND ($2::text IS NULL OR tenant = $2)
        ORDER BY resolved_at IS NOT NULL, resolved_at DESC, position LIMIT $3`,
      [relay, tenant ?? null, limit],
    );
    return rows.map(fromRow);
  }
}
