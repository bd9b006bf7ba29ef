import { EventStoreDbEventStore } from '#libs/event-store';
import { createEventStoreTestDatabase } from '#libs/testing';
import { auditStoreContract } from '../audit-store.contract.js';
import { EventStoreAuditStore } from '../event-store-audit-store.js';

// Runs only against a reachable EventStoreDB (the docker-compose `tests` profile sets the connection string).
// Without one, jest.config.js does not list this file, so a missing server is never counted as a pass.
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  // The events in EventStoreDB; the seal's checkpoints in a PostgreSQL database of their own, as beside the read
  // models in production.
  auditStoreContract(
    'EventStoreDB',
    async () => {
      const db = await createEventStoreTestDatabase('audit_esdb');
      const store = EventStoreDbEventStore.fromConnectionString(connectionString);
      return {
        store,
        audit: new EventStoreAuditStore(store, db.pool),
        pool: db.pool,
        dispose: async () => {
          await store.close();
          await db.drop();
        },
      };
    },
    // The compose test server keeps its data between runs: a deleted stream would fail every later whole-store check.
    { removesStreams: false },
  );
} else {
  console.log('EventStoreDB audit contract: NOT RUN (EVENTSTORE_CONNECTION_STRING is not set)');
}
