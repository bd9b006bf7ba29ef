import type { Pool } from '#libs/database';
import { PostgresEventStore, type EventStore } from '#libs/event-store';
import type { AuditStore } from './audit-store.js';
import { EventStoreAuditStore } from './event-store-audit-store.js';
import { PostgresAuditStore } from './postgres-audit-store.js';

/** The configured store's AuditStore, in Nest (AuditModule). */
export const AUDIT_STORE = Symbol('AUDIT_STORE');

/** A pool stands for the PostgreSQL store (what the audit code took before it read EventStoreDB too). */
export const asAuditStore = (source: AuditStore | Pool): AuditStore =>
  'mentioning' in source ? source : new PostgresAuditStore(source);

/**
 * The auditor's reader of the configured store: the PostgreSQL store from its tables, any other (EventStoreDB)
 * through the port, with the seal's checkpoints in the PostgreSQL database of the read models.
 */
export const auditStoreFor = (store: EventStore, pool: Pool): AuditStore =>
  store instanceof PostgresEventStore ? new PostgresAuditStore(pool) : new EventStoreAuditStore(store, pool);
