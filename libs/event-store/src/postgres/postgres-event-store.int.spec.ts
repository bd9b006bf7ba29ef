import { afterAll, beforeAll } from '@jest/globals';
import { createEventStoreTestDatabase, type TestDatabase } from '#libs/testing';
import { eventStoreContract } from '../contract/event-store.contract.js';
import { PostgresEventStore } from './postgres-event-store.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createEventStoreTestDatabase('es_contract');
});
afterAll(async () => db.drop());

eventStoreContract('PostgreSQL', async (upcasters) => ({
  store: new PostgresEventStore(db.pool, { upcasters }),
  dispose: async () => undefined,
}));
