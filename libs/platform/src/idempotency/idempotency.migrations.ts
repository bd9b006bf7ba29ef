import type { Migration } from '#libs/database';

export const idempotencyMigrations: Migration[] = [
  {
    id: 'platform/0001-idempotency-keys',
    sql: `
      CREATE TABLE idempotency_keys (
        tenant text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        response_status integer,
        response_body jsonb,
        started_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant, key)
      );
    `,
  },
];
