import { eventStoreContract } from '../contract/event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

// Runs only against a reachable EventStoreDB (the docker-compose `tests` profile sets the connection string).
// Without one, jest.config.js does not list this file, so a missing server is never counted as a pass.
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  eventStoreContract('EventStoreDB', async (upcasters) => {
    const store = EventStoreDbEventStore.fromConnectionString(connectionString, { upcasters });
    return { store, dispose: () => store.close() };
  });
} else {
  console.log('EventStoreDB contract suite: NOT RUN (EVENTSTORE_CONNECTION_STRING is not set)');
}
