import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import { APP_CONFIG, CheckpointStore, EVENT_STORE, PG_POOL, type AppConfig } from '#libs/platform';
import { outboundValidator } from '../contracts/validation.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { Relay } from './relay.js';
import { RelayStatus, type RelayStatusSnapshot } from './relay-status.js';

/** Runs the relay inside a Nest app when KAFKA_BROKERS is set; without it the relay is `disabled`, not failing. */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('relay');
  private relay: Relay | undefined;
  private readonly idle = new RelayStatus();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.idle.set('disabled');
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
    );
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }

  status(): RelayStatusSnapshot {
    return (this.relay?.status ?? this.idle).current();
  }
}
