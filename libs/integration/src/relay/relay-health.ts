import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '#libs/event-store';
import { EVENT_STORE } from '#libs/platform';
import { TRANSLATED_EVENT_TYPES } from '../translation/translate.js';
import { RelayService } from './relay.service.js';

/**
 * The relay's part of `/health`: always `up` (commands keep working without Kafka), with `state: degraded` and
 * the lag when the broker is unreachable. Shaped as a @nestjs/terminus HealthIndicatorResult.
 */
@Injectable()
export class RelayHealthIndicator {
  constructor(
    private readonly relay: RelayService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async check(): Promise<{ relay: Record<string, unknown> & { status: 'up' } }> {
    const status = this.relay.status();
    return {
      relay: {
        status: 'up',
        ...status,
        degraded: status.state === 'degraded',
        lagSeconds: await this.lagSeconds(status.checkpoint),
      },
    };
  }

  /** Age of the oldest event still waiting to be published; 0 when none waits. */
  private async lagSeconds(checkpoint: string | null): Promise<number> {
    const page = await this.store.readAll({
      fromPosition: checkpoint === null ? undefined : BigInt(checkpoint),
      maxCount: 1,
      filter: { eventTypes: TRANSLATED_EVENT_TYPES },
    });
    const oldest = page.events[0];
    return oldest ? Math.max(0, (Date.now() - oldest.recordedAt.getTime()) / 1000) : 0;
  }
}
