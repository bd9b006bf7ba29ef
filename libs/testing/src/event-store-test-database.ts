import { migrate } from '#libs/database';
import { eventStoreMigrations } from '#libs/event-store';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A fresh database holding the event store's tables, for a test of the store itself. */
export const createEventStoreTestDatabase = async (label: string): Promise<TestDatabase> => {
  const db = await createTestDatabase(label);
  await migrate(db.pool, eventStoreMigrations);
  return db;
};
