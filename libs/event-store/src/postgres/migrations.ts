import type { Migration } from '#libs/database';

/**
 * Positions are (transaction id << 20) + the event's index in its append. Readers only read below the oldest
 * running transaction (the snapshot's xmin), so a transaction that commits late can never appear behind a position
 * a subscriber already passed: everything it writes lies above that horizon. See docs/adr/0002.
 */
export const eventStoreMigrations: Migration[] = [
  {
    id: 'event-store/0001-events',
    sql: `
      CREATE TABLE es_streams (
        stream_name text PRIMARY KEY,
        revision bigint NOT NULL
      );
      CREATE TABLE es_events (
        position bigint PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        stream_name text NOT NULL,
        stream_revision bigint NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        event_type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (stream_name, stream_revision)
      );
      CREATE INDEX es_events_type_position ON es_events (event_type, position);

      -- Stored events are facts: the store never updates or deletes them.
      CREATE FUNCTION es_events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'es_events is append-only' USING ERRCODE = 'KS003';
      END $$;
      CREATE TRIGGER es_events_append_only BEFORE UPDATE OR DELETE ON es_events
        FOR EACH ROW EXECUTE FUNCTION es_events_are_immutable();

      -- The safe horizon: no position at or above it can belong to a transaction that has committed yet.
      CREATE FUNCTION es_safe_horizon() RETURNS bigint LANGUAGE sql STABLE AS $$
        SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint) << 20
      $$;

      -- One round trip, one transaction: idempotency check, expected-revision check, insert.
      -- p_expected: -1 no stream, -2 any, otherwise the exact revision.
      CREATE FUNCTION es_append(
        p_stream text, p_expected bigint,
        p_ids uuid[], p_types text[], p_versions integer[], p_data jsonb[], p_metadata jsonb[]
      ) RETURNS TABLE (next_revision bigint, last_position bigint, duplicate boolean)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_count integer := cardinality(p_ids);
        v_stored integer;
        v_revision bigint;
        v_base bigint;
      BEGIN
        SELECT count(*) INTO v_stored FROM es_events WHERE event_id = ANY (p_ids) AND stream_name = p_stream;
        IF v_stored = v_count THEN
          RETURN QUERY SELECT s.revision, (SELECT max(e.position) FROM es_events e WHERE e.event_id = ANY (p_ids)), true
            FROM es_streams s WHERE s.stream_name = p_stream;
          RETURN;
        ELSIF v_stored > 0 THEN
          RAISE EXCEPTION 'partial duplicate append to %', p_stream USING ERRCODE = 'KS001';
        END IF;

        IF p_expected = -1 THEN
          INSERT INTO es_streams (stream_name, revision) VALUES (p_stream, v_count - 1)
            ON CONFLICT DO NOTHING RETURNING revision INTO v_revision;
        ELSIF p_expected = -2 THEN
          INSERT INTO es_streams AS s (stream_name, revision) VALUES (p_stream, v_count - 1)
            ON CONFLICT (stream_name) DO UPDATE SET revision = s.revision + v_count RETURNING s.revision INTO v_revision;
        ELSE
          UPDATE es_streams SET revision = revision + v_count
            WHERE stream_name = p_stream AND revision = p_expected RETURNING revision INTO v_revision;
        END IF;
        IF v_revision IS NULL THEN
          RAISE EXCEPTION '%', coalesce((SELECT revision::text FROM es_streams WHERE stream_name = p_stream), 'no_stream')
            USING ERRCODE = 'KS002';
        END IF;

        v_base := (pg_current_xact_id()::text::bigint) << 20;
        INSERT INTO es_events (position, transaction_id, stream_name, stream_revision, event_id, event_type,
                               schema_version, data, metadata)
          SELECT v_base + e.n, pg_current_xact_id(), p_stream, v_revision - v_count + e.n, e.id, e.type, e.version,
                 e.data, e.metadata
          FROM unnest(p_ids, p_types, p_versions, p_data, p_metadata) WITH ORDINALITY AS e(id, type, version, data, metadata, n);
        RETURN QUERY SELECT v_revision, v_base + v_count, false;
      END $$;
    `,
  },
  {
    id: 'event-store/0002-hash-chain',
    // Each event's hash covers its stored content (ciphertext, never plaintext, so erasure leaves it intact) and the
    // previous event's hash in the same stream: changing or removing a stored event breaks the chain after it.
    sql: `
      ALTER TABLE es_events ADD COLUMN hash bytea;
      ALTER TABLE es_streams ADD COLUMN last_hash bytea;

      CREATE FUNCTION es_event_hash(
        p_previous bytea, p_stream text, p_revision bigint, p_event_id uuid, p_type text, p_version integer,
        p_data jsonb, p_metadata jsonb
      ) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
        SELECT sha256(coalesce(p_previous, ''::bytea) || convert_to(
          concat_ws(E'\x1f', p_stream, p_revision::text, p_event_id::text, p_type, p_version::text,
                    p_data::text, p_metadata::text), 'UTF8'))
      $$;

      -- Backfill the chain over events stored before it existed (the append-only trigger is paused for this only).
      ALTER TABLE es_events DISABLE TRIGGER es_events_append_only;
      DO $$
      DECLARE r record; v_previous bytea; v_stream text := NULL;
      BEGIN
        FOR r IN SELECT * FROM es_events ORDER BY stream_name, stream_revision LOOP
          IF v_stream IS DISTINCT FROM r.stream_name THEN v_previous := NULL; v_stream := r.stream_name; END IF;
          v_previous := es_event_hash(v_previous, r.stream_name, r.stream_revision, r.event_id, r.event_type,
                                      r.schema_version, r.data, r.metadata);
          UPDATE es_events SET hash = v_previous WHERE position = r.position;
          UPDATE es_streams SET last_hash = v_previous WHERE stream_name = r.stream_name;
        END LOOP;
      END $$;
      ALTER TABLE es_events ENABLE TRIGGER es_events_append_only;
      ALTER TABLE es_events ALTER COLUMN hash SET NOT NULL;

      CREATE OR REPLACE FUNCTION es_append(
        p_stream text, p_expected bigint,
        p_ids uuid[], p_types text[], p_versions integer[], p_data jsonb[], p_metadata jsonb[]
      ) RETURNS TABLE (next_revision bigint, last_position bigint, duplicate boolean)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_count integer := cardinality(p_ids);
        v_stored integer;
        v_revision bigint;
        v_base bigint;
        v_previous bytea;
        v_hashes bytea[] := ARRAY[]::bytea[];
      BEGIN
        SELECT count(*) INTO v_stored FROM es_events WHERE event_id = ANY (p_ids) AND stream_name = p_stream;
        IF v_stored = v_count THEN
          RETURN QUERY SELECT s.revision, (SELECT max(e.position) FROM es_events e WHERE e.event_id = ANY (p_ids)), true
            FROM es_streams s WHERE s.stream_name = p_stream;
          RETURN;
        ELSIF v_stored > 0 THEN
          RAISE EXCEPTION 'partial duplicate append to %', p_stream USING ERRCODE = 'KS001';
        END IF;

        -- The stream row is locked from here to commit, so the chain is extended by one append at a time.
        IF p_expected = -1 THEN
          INSERT INTO es_streams (stream_name, revision) VALUES (p_stream, v_count - 1)
            ON CONFLICT DO NOTHING RETURNING revision INTO v_revision;
        ELSIF p_expected = -2 THEN
          INSERT INTO es_streams AS s (stream_name, revision) VALUES (p_stream, v_count - 1)
            ON CONFLICT (stream_name) DO UPDATE SET revision = s.revision + v_count RETURNING s.revision INTO v_revision;
        ELSE
          UPDATE es_streams SET revision = revision + v_count
            WHERE stream_name = p_stream AND revision = p_expected RETURNING revision INTO v_revision;
        END IF;
        IF v_revision IS NULL THEN
          RAISE EXCEPTION '%', coalesce((SELECT revision::text FROM es_streams WHERE stream_name = p_stream), 'no_stream')
            USING ERRCODE = 'KS002';
        END IF;

        SELECT last_hash INTO v_previous FROM es_streams WHERE stream_name = p_stream;
        FOR i IN 1 .. v_count LOOP
          v_previous := es_event_hash(v_previous, p_stream, v_revision - v_count + i, p_ids[i], p_types[i],
                                      p_versions[i], p_data[i], p_metadata[i]);
          v_hashes := v_hashes || v_previous;
        END LOOP;
        UPDATE es_streams SET last_hash = v_previous WHERE stream_name = p_stream;

        v_base := (pg_current_xact_id()::text::bigint) << 20;
        INSERT INTO es_events (position, transaction_id, stream_name, stream_revision, event_id, event_type,
                               schema_version, data, metadata, hash)
          SELECT v_base + e.n, pg_current_xact_id(), p_stream, v_revision - v_count + e.n, e.id, e.type, e.version,
                 e.data, e.metadata, e.hash
          FROM unnest(p_ids, p_types, p_versions, p_data, p_metadata, v_hashes)
               WITH ORDINALITY AS e(id, type, version, data, metadata, hash, n);
        RETURN QUERY SELECT v_revision, v_base + v_count, false;
      END $$;
    `,
  },
  {
    id: 'event-store/0003-leaner-append',
    // Same semantics, less work per append: the stream row is read once (locked) and written once, and a repeated
    // append is recognised from the conflict it causes (the adapter then finds every id stored) instead of by a lookup
    // on every append.
    sql: `
      CREATE OR REPLACE FUNCTION es_append(
        p_stream text, p_expected bigint,
        p_ids uuid[], p_types text[], p_versions integer[], p_data jsonb[], p_metadata jsonb[]
      ) RETURNS TABLE (next_revision bigint, last_position bigint, duplicate boolean)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_count integer := cardinality(p_ids);
        v_current bigint;
        v_revision bigint;
        v_previous bytea;
        v_base bigint;
        v_hashes bytea[] := ARRAY[]::bytea[];
      BEGIN
        -- Locked from here to commit: appends to one stream, and so its hash chain, go one at a time.
        SELECT s.revision, s.last_hash INTO v_current, v_previous FROM es_streams s WHERE s.stream_name = p_stream FOR UPDATE;
        IF (p_expected = -1 AND v_current IS NOT NULL) OR (p_expected >= 0 AND v_current IS DISTINCT FROM p_expected) THEN
          RAISE EXCEPTION '%', coalesce(v_current::text, 'no_stream') USING ERRCODE = 'KS002';
        END IF;
        v_revision := coalesce(v_current, -1) + v_count;

        FOR i IN 1 .. v_count LOOP
          v_previous := es_event_hash(v_previous, p_stream, v_revision - v_count + i, p_ids[i], p_types[i],
                                      p_versions[i], p_data[i], p_metadata[i]);
          v_hashes := v_hashes || v_previous;
        END LOOP;

        IF v_current IS NULL THEN
          -- A racing first append to the same new stream makes this a unique violation: reported as a conflict.
          INSERT INTO es_streams (stream_name, revision, last_hash) VALUES (p_stream, v_revision, v_previous);
        ELSE
          UPDATE es_streams SET revision = v_revision, last_hash = v_previous WHERE stream_name = p_stream;
        END IF;

        v_base := (pg_current_xact_id()::text::bigint) << 20;
        INSERT INTO es_events (position, transaction_id, stream_name, stream_revision, event_id, event_type,
                               schema_version, data, metadata, hash)
          SELECT v_base + e.n, pg_current_xact_id(), p_stream, v_revision - v_count + e.n, e.id, e.type, e.version,
                 e.data, e.metadata, e.hash
          FROM unnest(p_ids, p_types, p_versions, p_data, p_metadata, v_hashes)
               WITH ORDINALITY AS e(id, type, version, data, metadata, hash, n);
        RETURN QUERY SELECT v_revision, v_base + v_count, false;
      END $$;
    `,
  },
  {
    id: 'event-store/0004-horizon-per-database',
    // Transaction ids are cluster-wide, but a transaction in another database can never write to this one's es_events.
    // The snapshot's running ids that pg_stat_activity shows belonging to another database are therefore left out of
    // the horizon; an id it cannot place (finished since, a prepared transaction, a session the role may not see)
    // still holds the horizon, so the answer is never too high. An id keeps its backend, and a backend its database,
    // for life, so this holds however stale the activity view is. docs/adr/0007.
    sql: `
      CREATE OR REPLACE FUNCTION es_safe_horizon() RETURNS bigint LANGUAGE sql STABLE AS $$
        WITH snapshot AS (SELECT pg_current_snapshot() AS s),
        elsewhere AS (
          SELECT a.backend_xid::text::bigint AS xid32
            FROM pg_stat_activity a
           WHERE a.backend_xid IS NOT NULL AND a.datid IS NOT NULL
             AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
        )
        SELECT coalesce(
                 (SELECT min(x::text::bigint) FROM snapshot, pg_snapshot_xip(s) AS x
                   WHERE (x::text::bigint & 4294967295) NOT IN (SELECT xid32 FROM elsewhere)),
                 (SELECT pg_snapshot_xmax(s)::text::bigint FROM snapshot)
               ) << 20
      $$;

      -- Every transaction id below this has finished: waiting until the horizon passes it reads one's own writes.
      CREATE FUNCTION es_settle_target() RETURNS bigint LANGUAGE sql STABLE AS $$
        SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::bigint) << 20
      $$;
    `,
  },
  {
    id: 'event-store/0005-checkpoints',
    // The sealer's state (seal.ts): each checkpoint seals the events of a range of positions below the safe horizon
    // under a chained head, and keeps the signed anchor it published. The evidence is the published anchor, outside
    // the database; these rows only let the next seal continue the chain. Nothing here is on the append path.
    sql: `
      CREATE TABLE es_checkpoints (
        seq bigint PRIMARY KEY,
        after_position bigint NOT NULL,
        upto_position bigint NOT NULL,
        event_count integer NOT NULL,
        head bytea NOT NULL,
        anchor text NOT NULL,
        sealed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (upto_position > after_position)
      );
      CREATE FUNCTION es_checkpoints_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'es_checkpoints is append-only' USING ERRCODE = 'KS003';
      END $$;
      CREATE TRIGGER es_checkpoints_append_only BEFORE UPDATE OR DELETE ON es_checkpoints
        FOR EACH ROW EXECUTE FUNCTION es_checkpoints_are_immutable();

      -- How far each target (the anchor file, the Kafka topic) has been given the checkpoints: at least once.
      CREATE TABLE es_checkpoint_publications (
        target text PRIMARY KEY,
        through_seq bigint NOT NULL
      );
    `,
  },
  {
    id: 'event-store/0006-tenant-position-index',
    // One tenant's events in $all order (an as-of build, the audit trail of a tenant): `<tenant>.` streams are read
    // through this index instead of every tenant's events of the types asked for. Stream names always start with the
    // tenant and a dot (stream-name.ts), and an event's tenant is its stream's (validate-append.ts).
    sql: `
      CREATE INDEX es_events_tenant_position ON es_events (split_part(stream_name, '.', 1), position);
    `,
  },
  {
    id: 'event-store/0007-append-batch',
    // Appends to several streams asked for in the same turn, in one statement and one transaction (ADR 0027): each
    // stream's append as es_append makes it (locked, checked against its expected revision, chained, positioned after
    // the events before it in the transaction), and a stream whose revision is not the one expected is answered
    // with its revision and left unwritten, so one conflict does not refuse the others. The caller sends the streams
    // sorted and each once, so two batches lock their streams in one order. A duplicate event id or a racing first
    // append fails the whole statement; the adapter then appends each alone (es_append) and explains its failure.
    sql: `
      CREATE FUNCTION es_append_batch(
        p_streams text[], p_expected bigint[], p_counts integer[],
        p_ids uuid[], p_types text[], p_versions integer[], p_data jsonb[], p_metadata jsonb[]
      ) RETURNS TABLE (n integer, next_revision bigint, last_position bigint, actual bigint)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_base bigint := (pg_current_xact_id()::text::bigint) << 20;
        v_placed integer := 0;
        v_first integer := 1;
        v_count integer;
        v_current bigint;
        v_revision bigint;
        v_previous bytea;
        v_hashes bytea[];
      BEGIN
        FOR s IN 1 .. cardinality(p_streams) LOOP
          v_count := p_counts[s];
          SELECT st.revision, st.last_hash INTO v_current, v_previous
            FROM es_streams st WHERE st.stream_name = p_streams[s] FOR UPDATE;
          IF (p_expected[s] = -1 AND v_current IS NOT NULL)
             OR (p_expected[s] >= 0 AND v_current IS DISTINCT FROM p_expected[s]) THEN
            -- -1 for no stream: the adapter reports it as the conflict es_append would raise.
            RETURN QUERY SELECT s, NULL::bigint, NULL::bigint, coalesce(v_current, -1);
          ELSE
            v_revision := coalesce(v_current, -1) + v_count;
            v_hashes := ARRAY[]::bytea[];
            FOR i IN v_first .. v_first + v_count - 1 LOOP
              v_previous := es_event_hash(v_previous, p_streams[s], v_revision - v_count + (i - v_first + 1), p_ids[i],
                                          p_types[i], p_versions[i], p_data[i], p_metadata[i]);
              v_hashes := v_hashes || v_previous;
            END LOOP;
            IF v_current IS NULL THEN
              INSERT INTO es_streams (stream_name, revision, last_hash) VALUES (p_streams[s], v_revision, v_previous);
            ELSE
              UPDATE es_streams SET revision = v_revision, last_hash = v_previous WHERE stream_name = p_streams[s];
            END IF;
            INSERT INTO es_events (position, transaction_id, stream_name, stream_revision, event_id, event_type,
                                   schema_version, data, metadata, hash)
              SELECT v_base + v_placed + e.k, pg_current_xact_id(), p_streams[s], v_revision - v_count + e.k,
                     p_ids[v_first + e.k - 1], p_types[v_first + e.k - 1], p_versions[v_first + e.k - 1],
                     p_data[v_first + e.k - 1], p_metadata[v_first + e.k - 1], v_hashes[e.k]
                FROM generate_series(1, v_count) AS e(k);
            v_placed := v_placed + v_count;
            RETURN QUERY SELECT s, v_revision, v_base + v_placed, NULL::bigint;
          END IF;
          v_first := v_first + v_count;
        END LOOP;
      END $$;
    `,
  },
];
