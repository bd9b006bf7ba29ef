import { afterAll, beforeAll } from '@jest/globals';
import { migrate } from '#libs/database';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { eventStoreContract } from '../contract/event-store.contract.js';
import { eventStoreMigrations } from './migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('es_contract');
  await migrate(db.pool, eventStoreMigrations);
});
afterAll(async () => db.drop());

eventStoreContract('PostgreSQL', async (upcasters) => ({
  store: new PostgresEventStore(db.pool, { upcasters }),
  dispose: async () => undefined,
}));
