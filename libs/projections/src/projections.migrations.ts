import type { Migration } from '#libs/database';

export const projectionsMigrations: Migration[] = [
  {
    id: 'projections/0001-checkpoints',
    sql: `
      -- One row per table set: a live version (being rebuilt or serving) or a named as-of build.
      CREATE TABLE projection_checkpoints (
        table_set text PRIMARY KEY,
        projection text NOT NULL,
        version integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('live', 'asof')),
        -- The logical table names of this set, so a later version can drop them after the switch.
        tables text[] NOT NULL,
        position bigint NOT NULL DEFAULT 0,
        last_event_at timestamptz,
        events_applied bigint NOT NULL DEFAULT 0,
        status text NOT NULL CHECK (status IN ('rebuilding', 'running', 'failed', 'built', 'retired')),
        error text,
        failed_position bigint,
        failed_event_id uuid,
        failed_tenant text,
        until_position bigint,
        until_time timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- Which version's tables the stable views point at; changed only in the switch transaction.
      CREATE TABLE projection_live (
        projection text PRIMARY KEY,
        version integer NOT NULL,
        table_set text NOT NULL,
        switched_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE FUNCTION projection_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'as-of build % is read-only', TG_TABLE_SCHEMA USING ERRCODE = 'KS010';
      END $$;
    `,
  },
  {
    id: 'projections/0002-as-of-builds-per-tenant',
    sql: `
      -- An as-of build belongs to the tenant that asked for it and holds only that tenant's events; its checkpoint
      -- is keyed asof:<tenant>:<name> and its schema asof_<tenant key>_<name>. The builds made before shared one
      -- name space and held every tenant's rows: they are dropped (asking again rebuilds one, per tenant).
      ALTER TABLE projection_checkpoints ADD COLUMN tenant text;
      DO $$
      DECLARE build record;
      BEGIN
        FOR build IN SELECT table_set FROM projection_checkpoints WHERE kind = 'asof' AND tenant IS NULL LOOP
          EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', 'asof_' || substr(build.table_set, 6));
        END LOOP;
        DELETE FROM projection_checkpoints WHERE kind = 'asof' AND tenant IS NULL;
      END $$;
      ALTER TABLE projection_checkpoints ADD CONSTRAINT projection_checkpoints_asof_has_tenant
        CHECK (kind <> 'asof' OR tenant IS NOT NULL);
      CREATE INDEX projection_checkpoints_asof_tenant ON projection_checkpoints (tenant, created_at)
        WHERE kind = 'asof';
    `,
  },
  {
    id: 'projections/0003-live-checkpoint-notifications',
    sql: `
      -- Readers that keep a live read model's checkpoint in memory (the query API) forget it when it changes
      -- (live-checkpoint-notices.ts). A batch's new position is notified after its commit, by the runner: a NOTIFY
      -- inside the batch would serialise the commits of every projection. The rare changes (a switch to a new version,
      -- a status such as failed or rebuilding) notify here, with the change itself.
      CREATE FUNCTION projection_live_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('projection_moved', coalesce(NEW.projection, OLD.projection));
        RETURN NULL;
      END $$;
      CREATE TRIGGER projection_live_changed AFTER INSERT OR UPDATE OR DELETE ON projection_live
        FOR EACH ROW EXECUTE FUNCTION projection_live_changed();
      CREATE TRIGGER projection_checkpoint_status_changed AFTER UPDATE OF status ON projection_checkpoints
        FOR EACH ROW WHEN (NEW.kind = 'live' AND OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION projection_live_changed();
    `,
  },
  {
    id: 'projections/0004-as-of-build-notifications',
    sql: `
      -- A finished as-of build never changes, so readers keep where it is in memory; they forget it when it is rebuilt,
      -- fails or is deleted. The notice names its table set (asof:<tenant>:<name>), not the projection.
      CREATE FUNCTION projection_asof_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('projection_moved', coalesce(NEW.table_set, OLD.table_set));
        RETURN NULL;
      END $$;
      CREATE TRIGGER projection_asof_status_changed AFTER UPDATE OF status ON projection_checkpoints
        FOR EACH ROW WHEN (NEW.kind = 'asof' AND OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION projection_asof_changed();
      CREATE TRIGGER projection_asof_deleted AFTER DELETE ON projection_checkpoints
        FOR EACH ROW WHEN (OLD.kind = 'asof') EXECUTE FUNCTION projection_asof_changed();
    `,
  },
  {
    id: 'projections/0005-shards',
    sql: `
      -- A live table set split by tenant (ADR 0020): each shard applies its tenants' events from its own position,
      -- run by whichever process holds the shard's lease. The set's checkpoint row holds the lowest shard position,
      -- the sum of events applied and the status, so everything that reads the set's row reads it as before. The
      -- number of shards is fixed when the set is created; a set without rows here is not split.
      CREATE TABLE projection_shards (
        table_set text NOT NULL REFERENCES projection_checkpoints (table_set) ON DELETE CASCADE,
        shard integer NOT NULL,
        shards integer NOT NULL CHECK (shards > 1 AND shard >= 0 AND shard < shards),
        position bigint NOT NULL DEFAULT 0,
        events_applied bigint NOT NULL DEFAULT 0,
        last_event_at timestamptz,
        -- Reached the head once: a new version takes over the views when every shard has.
        caught_up boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (table_set, shard)
      );
    `,
  },
];
