import { after, before } from 'node:test';
import { migrate } from '#libs/database';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { eventStoreContract } from '../contract/event-store.contract.js';
import { eventStoreMigrations } from './migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('es_contract');
  await migrate(db.pool, eventStoreMigrations);
});
after(async () => db.drop());

eventStoreContract('PostgreSQL', async (upcasters) => ({
  store: new PostgresEventStore(db.pool, { upcasters }),
  dispose: async () => undefined,
}));
