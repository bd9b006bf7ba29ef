import type { Migration } from '#libs/database';

export const personalDataMigrations: Migration[] = [
  {
    id: 'personal-data/0001-subject-keys',
    // An erased subject keeps its row (the proof of erasure) but not its key: the checks make a half-erasure impossible.
    sql: `
      CREATE TABLE subject_keys (
        subject_id uuid PRIMARY KEY,
        tenant text NOT NULL,
        wrapped_key bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        erasure_reason text,
        CONSTRAINT subject_keys_erased_has_no_key CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL)),
        CONSTRAINT subject_keys_erasure_has_reason CHECK ((erased_at IS NULL) = (erasure_reason IS NULL))
      );
      CREATE INDEX subject_keys_tenant_erased ON subject_keys (tenant, erased_at);
    `,
  },
  {
    id: 'personal-data/0002-identities-and-fields',
    // identity_hash is a keyed hash of the national id: it finds a known child again without storing the number.
    sql: `
      CREATE TABLE subject_identities (
        tenant text NOT NULL,
        identity_hash bytea NOT NULL,
        subject_id uuid NOT NULL REFERENCES subject_keys (subject_id),
        PRIMARY KEY (tenant, identity_hash)
      );
      CREATE TABLE personal_fields (
        tenant text NOT NULL,
        subject_id uuid NOT NULL REFERENCES subject_keys (subject_id),
        field text NOT NULL,
        ciphertext text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant, subject_id, field)
      );
    `,
  },
  {
    id: 'personal-data/0003-master-key-ids',
    // Which master key wrapped each subject key, so a rotation knows what is left to re-wrap. NULL: wrapped before
    // keys had ids (every configured key is tried).
    sql: 'ALTER TABLE subject_keys ADD COLUMN master_key_id text',
  },
  {
    id: 'personal-data/0004-person-merges',
    // A retired id (merged into another person) names its survivor; merges never chain (a later merge re-points).
    sql: `
      CREATE TABLE person_merges (
        tenant text NOT NULL,
        retired_id uuid PRIMARY KEY REFERENCES subject_keys (subject_id),
        person_id uuid NOT NULL REFERENCES subject_keys (subject_id),
        merged_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX person_merges_person ON person_merges (tenant, person_id);
    `,
  },
];
