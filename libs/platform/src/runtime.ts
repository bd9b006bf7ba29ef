import path from 'node:path';
import {
  createPool,
  migrate,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
  type Migration,
  type Pool,
} from '#libs/database';
import { EventStoreDbEventStore, eventStoreMigrations, PostgresEventStore, type EventStore } from '#libs/event-store';
import { accessTrailMigrations } from './auth/access-trail.js';
import { loadIdentityProviders } from './auth/identity-providers.js';
import { loadOrCreateLocalKey, remoteKeys, type LocalSigningKey } from './auth/token-keys.js';
import { TokenVerifier } from './auth/token-verifier.js';
import type { AppConfig } from './config/app-config.js';
import { idempotencyMigrations } from './idempotency/idempotency.migrations.js';
import { Metrics } from './observability/metrics.js';
import { Clock, SystemClock } from './clock/clock.js';
import { checkpointMigrations } from './subscriptions/checkpoints.js';
import { loadPolicyOverrides, type PolicyOverrides } from './policies/policy-overrides.js';

/** What every app needs before Nest starts: a migrated database, the event store, and the token keys. */
export interface Runtime {
  config: AppConfig;
  pool: Pool;
  store: EventStore;
  metrics: Metrics;
  verifier: TokenVerifier;
  /** Only in the embedded default, where this process may mint local tokens. */
  localKey?: LocalSigningKey;
  embeddedPostgres: boolean;
  /** The embedded server's process id (a fault test kills it); undefined with DATABASE_URL. */
  embeddedPostgresPid?: () => number | undefined;
  clock: Clock;
  policies: PolicyOverrides;
  stop(): Promise<void>;
}

export const platformMigrations: Migration[] = [
  ...eventStoreMigrations,
  ...idempotencyMigrations,
  ...accessTrailMigrations,
  ...checkpointMigrations,
];

export const startRuntime = async (
  config: AppConfig,
  options: {
    migrations?: readonly Migration[];
    applicationName: string;
    log?: (line: string) => void;
    clock?: Clock;
  },
): Promise<Runtime> => {
  const log = options.log ?? (() => undefined);
  const policies = await loadPolicyOverrides(config.POLICIES_FILE);
  const identityProviders = await loadIdentityProviders(config.IDENTITY_PROVIDERS_FILE);
  const stops: (() => Promise<void>)[] = [];
  let url = config.DATABASE_URL;
  let embedded: EmbeddedDatabase | undefined;
  if (!url) {
    const dataDir = path.resolve(config.DATA_DIR, 'postgres');
    log(`Starting embedded PostgreSQL (data in ${dataDir}) on port ${config.EMBEDDED_POSTGRES_PORT}`);
    const database = await startEmbeddedPostgres({
      dataDir,
      port: config.EMBEDDED_POSTGRES_PORT,
      onRestart: ({ state, detail }) => log(`Embedded PostgreSQL ${state} (${detail})`),
    });
    embedded = database;
    url = database.url;
    stops.push(() => database.stop());
  }
  const pool = createPool(url, { applicationName: options.applicationName, max: 20 });
  stops.unshift(() => pool.end());
  try {
    await migrate(pool, [...platformMigrations, ...(options.migrations ?? [])]);
    const metrics = new Metrics();
    const store = eventStoreFor(config, pool, metrics);
    if (store instanceof PostgresEventStore) {
      await store.assertPositionsCanGrow();
      if (!(await store.seesOtherSessions())) {
        log(
          'Event store: this database role lacks pg_read_all_stats, so writes in other databases of the server can ' +
            'delay subscribers (GRANT pg_read_all_stats TO <role>; docs/adr/0007)',
        );
      }
    }
    const localKey = config.AUTH_JWKS_URL ? undefined : await loadOrCreateLocalKey(config.DATA_DIR);
    const verifier = new TokenVerifier(
      localKey ? localKey.publicKey : remoteKeys(config.AUTH_JWKS_URL ?? ''),
      config.AUTH_ISSUER,
      config.AUTH_AUDIENCE,
      { maxLifetimeSeconds: config.TOKEN_MAX_LIFETIME_SECONDS, identityProviders },
    );
    return {
      config,
      pool,
      store,
      metrics,
      verifier,
      localKey,
      embeddedPostgres: !config.DATABASE_URL,
      embeddedPostgresPid: embedded ? () => embedded?.pid() : undefined,
      clock: options.clock ?? new SystemClock(),
      policies,
      async stop() {
        await store.close();
        for (const stop of stops) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
};

/** PostgreSQL is the default store; EventStoreDB when configured (docs/adr/0001). Read models always live in PostgreSQL. */
const eventStoreFor = (config: AppConfig, pool: Pool, metrics: Metrics): EventStore => {
  if (config.EVENT_STORE !== 'eventstoredb') return new PostgresEventStore(pool, { onAppend: metrics.recordAppend });
  if (!config.EVENTSTORE_CONNECTION_STRING) {
    throw new Error('Configuration error: EVENTSTORE_CONNECTION_STRING must be set when EVENT_STORE=eventstoredb');
  }
  return EventStoreDbEventStore.fromConnectionString(config.EVENTSTORE_CONNECTION_STRING, {
    onAppend: metrics.recordAppend,
  });
};
