import { Module } from '@nestjs/common';
import type { Pool } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import { AccessTrail, EVENT_STORE, PG_POOL } from '#libs/platform';
import { PeopleRegister, PersonalDataModule, PersonalDataVault } from '#libs/personal-data';
import { AccessTrailController } from './access-trail/access-trail.controller.js';
import { AccessTrailQuery } from './access-trail/access-trail.query.js';
import { AnchoringService } from './anchoring/anchoring.service.js';
import { EventHistory } from './history/event-history.js';
import { HistoryController } from './history/history.controller.js';
import { HistoryPeople } from './history/history-people.js';
import { IntegrityController } from './integrity/integrity.controller.js';
import { ReplaySets } from './replay-sets/replay-sets.js';
import { ReplaySetsController } from './replay-sets/replay-sets.controller.js';
import { RetentionRun } from './retention/retention-run.js';
import { RetentionController } from './retention/retention.controller.js';
import { StateController } from './state/state.controller.js';
import { AUDIT_STORE, auditStoreFor } from './store/audit-store-for.js';
import type { AuditStore } from './store/audit-store.js';

const Controllers = [
  HistoryController,
  StateController,
  IntegrityController,
  AccessTrailController,
  RetentionController,
  ReplaySetsController,
];

// Plain classes, built here from the platform's pool and store, so the CLI builds the very same ones without Nest.
const Services = [
  // What history and integrity read: the configured store, PostgreSQL or EventStoreDB (docs/audit.md).
  {
    provide: AUDIT_STORE,
    inject: [EVENT_STORE, PG_POOL],
    useFactory: (store: EventStore, pool: Pool) => auditStoreFor(store, pool),
  },
  { provide: EventHistory, inject: [AUDIT_STORE], useFactory: (source: AuditStore) => new EventHistory(source) },
  {
    provide: HistoryPeople,
    inject: [PeopleRegister, PersonalDataVault, AccessTrail],
    useFactory: (people: PeopleRegister, vault: PersonalDataVault, trail: AccessTrail) =>
      new HistoryPeople(people, vault, trail),
  },
  { provide: AccessTrailQuery, inject: [PG_POOL], useFactory: (pool: Pool) => new AccessTrailQuery(pool) },
  {
    provide: RetentionRun,
    inject: [PG_POOL, EVENT_STORE, PeopleRegister],
    useFactory: (pool: Pool, store: EventStore, people: PeopleRegister) => new RetentionRun(pool, store, people),
  },
  { provide: ReplaySets, inject: [PG_POOL], useFactory: (pool: Pool) => new ReplaySets(pool) },
  // Seals the store into signed checkpoints and publishes them (docs/audit.md, Integrity).
  AnchoringService,
];

/**
 * The auditors' API under /audit (roles auditor and admin): history of anything, state as of a moment, integrity,
 * the access trail, retention and the replay sets. Needs the global PlatformModule and the audit migrations.
 */
@Module({
  imports: [PersonalDataModule],
  controllers: Controllers,
  providers: Services,
  exports: [AUDIT_STORE, EventHistory, HistoryPeople, AccessTrailQuery, RetentionRun, ReplaySets],
})
export class AuditModule {}
