import type { Migration } from '#libs/database';

export const auditMigrations: Migration[] = [
  {
    id: 'audit/0001-history-indexes',
    // A GIN (jsonb_ops) index answers "which events mention this id anywhere in their data" (`data @? '$.** ? (@ ==
    // "id")'`) without a full scan; the trail index serves the auditor's filters by outcome and time.
    sql: `
      CREATE INDEX IF NOT EXISTS es_events_data_values ON es_events USING gin (data);
      CREATE INDEX IF NOT EXISTS access_trail_tenant_outcome_at ON access_trail (tenant, outcome, at);
    `,
  },
  {
    id: 'audit/0002-history-without-data-index',
    // The history now finds events through the audit_mentions projection, off the append path (ADR 0008).
    sql: 'DROP INDEX IF EXISTS es_events_data_values',
  },
];
