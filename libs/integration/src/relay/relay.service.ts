import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { Pool } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import { APP_CONFIG, CheckpointStore, EVENT_STORE, Metrics, PG_POOL, type AppConfig } from '#libs/platform';
import { outboundValidator } from '../contracts/validation.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { Relay } from './relay.js';
import { parkedView, PostgresRelayParking, type ParkedEventView, type RelayParking } from './relay-parking.js';
import { RelayStatus, type RelayAssessment, type RelayStatusSnapshot } from './relay-status.js';

const RELAY_NAME = 'relay';
/** Counting the relay's lag stops here: past it the figure only needs to say "far behind". */
const LAG_COUNT_CAP = 1_000_000;

/** Who may see or decide on which parked events: an operator every tenant's, anyone else their own tenant's. */
export interface ParkedScope {
  tenant: string;
  operator: boolean;
}

/** Runs the relay inside a Nest app when KAFKA_BROKERS is set; without it the relay is `disabled`, not failing. */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('relay');
  private relay: Relay | undefined;
  private readonly idle = new RelayStatus();
  private readonly parking: RelayParking;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() metrics?: Metrics,
  ) {
    this.idle.set('disabled');
    this.parking = new PostgresRelayParking(pool);
    if (metrics) this.registerLag(metrics);
  }

  /** Store position minus the acknowledged (checkpointed) position, read at scrape time; absent while disabled. */
  private registerLag(metrics: Metrics): void {
    if (metrics.registry.getSingleMetric('kulturskole_relay_lag_positions')) return;
    const pool = this.pool;
    const relay = () => this.relay;
    new Gauge({
      name: 'kulturskole_relay_lag_positions',
      help: 'Event-store head position minus the position the broker last acknowledged',
      registers: [metrics.registry],
      async collect() {
        const current = relay();
        if (!current) return;
        const { rows } = await pool
          .query<{ head: string | null }>('SELECT max(position)::text AS head FROM es_events')
          .catch(() => ({ rows: [] as { head: string | null }[] }));
        const head = BigInt(rows[0]?.head ?? '0');
        const acknowledged = BigInt(current.status.current().checkpoint ?? '0');
        this.set(Number(head > acknowledged ? head - acknowledged : 0n));
      },
    });
    // Positions are (transaction id << 20) + index, so their difference says "behind", not "how far": count events.
    new Gauge({
      name: 'kulturskole_relay_lag_events',
      help: `Events stored after the position the broker last acknowledged (counted up to ${LAG_COUNT_CAP})`,
      registers: [metrics.registry],
      async collect() {
        const current = relay();
        if (!current) return;
        const { rows } = await pool
          .query<{ behind: number }>(
            'SELECT count(*)::int AS behind FROM (SELECT 1 FROM es_events WHERE position > $1 LIMIT $2) AS e',
            [current.status.current().checkpoint ?? '-1', LAG_COUNT_CAP],
          )
          .catch(() => ({ rows: [] as { behind: number }[] }));
        if (rows[0]) this.set(rows[0].behind);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const brokers = this.config.KAFKA_BROKERS?.split(',');
    if (!brokers) {
      this.logger.warn('KAFKA_BROKERS is not set: integration events are not published');
      return;
    }
    this.relay = new Relay(
      this.store,
      new CheckpointStore(this.pool),
      new KafkaPublisher({ brokers }),
      outboundValidator(),
      { name: RELAY_NAME, parking: this.parking },
    );
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }

  status(): RelayStatusSnapshot {
    return (this.relay?.status ?? this.idle).current();
  }

  assess(lagSeconds: number): RelayAssessment {
    return (this.relay?.status ?? this.idle).assess(lagSeconds);
  }

  /** Parked events in scope, open ones first, then the latest resolved ones (published or skipped, by whom). */
  async parked(scope: ParkedScope, limit = 100): Promise<ParkedEventView[]> {
    if (!this.relay) return [];
    await this.parking.ready();
    return (await this.parking.list(RELAY_NAME, scope.operator ? undefined : scope.tenant, limit)).map(parkedView);
  }

  /**
   * An operator's decision to go on without an event too large for the broker: recorded with who and why, and the
   * events held behind it are published next. Undefined when no such open event is in scope.
   */
  async skip(
    position: bigint,
    scope: ParkedScope,
    by: { tenant: string; subject: string; reason: string },
  ): Promise<ParkedEventView | undefined> {
    if (!this.relay) return undefined;
    await this.parking.ready();
    const skipped = await this.parking.skip(RELAY_NAME, position, {
      ...by,
      inTenant: scope.operator ? undefined : scope.tenant,
    });
    if (!skipped) return undefined;
    this.logger.warn(
      { position: String(position), eventId: skipped.eventId, by: skipped.resolvedBy, reason: by.reason },
      'parked event skipped by an operator: it will not be published',
    );
    this.relay.wake();
    return parkedView(skipped);
  }
}
