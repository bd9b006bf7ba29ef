import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '#libs/event-store';
import { EVENT_STORE } from '#libs/platform';
import { TRANSLATED_EVENT_TYPES } from '../translation/translate.js';
import type { BlockingEvent, RelayStatusSnapshot } from './relay-status.js';
import { RelayService, type ParkedScope } from './relay.service.js';

export type RelayHealth = Omit<RelayStatusSnapshot, 'blocking'> & {
  /** `degraded` whenever the relay is not publishing what waits (terminus keeps /health at 200 for it). */
  status: 'up' | 'degraded';
  degraded: boolean;
  /** Why it is degraded, one line each; empty when up. */
  reasons: string[];
  lagSeconds: number;
};

/**
 * The relay's part of `/health`: `up` while it publishes (or is switched off), `degraded` when it is not: the broker
 * unreachable or refusing, an event parked, or events waiting while the checkpoint stands still. Never `down`:
 * commands keep working without Kafka. Shaped as a @nestjs/terminus HealthIndicatorResult.
 */
@Injectable()
export class RelayHealthIndicator {
  constructor(
    private readonly relay: RelayService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** For the public `/health`: no tenant's event ids or stream names, only counts. */
  async check(): Promise<{ relay: RelayHealth }> {
    // The lag, the snapshot and the assessment must describe one moment: if the relay moved on while the lag was
    // queried, query again (it settles at once: the relay only moves forward).
    let checkpoint = this.relay.status().checkpoint;
    let lagSeconds = await this.lagSeconds(checkpoint);
    for (let tries = 0; tries < 3 && this.relay.status().checkpoint !== checkpoint; tries++) {
      checkpoint = this.relay.status().checkpoint;
      lagSeconds = await this.lagSeconds(checkpoint);
    }
    const { blocking: _, ...status } = this.relay.status();
    const { status: health, reasons } = this.relay.assess(lagSeconds);
    return { relay: { status: health, ...status, degraded: health === 'degraded', reasons, lagSeconds } };
  }

  /** For `GET /relay/status`: the health, and the events parked as too large that the caller may see. */
  async statusFor(scope: ParkedScope): Promise<RelayHealth & { blocking: BlockingEvent[] }> {
    const health = (await this.check()).relay;
    const blocking = this.relay.status().blocking.filter((event) => scope.operator || event.tenant === scope.tenant);
    return { ...health, blocking };
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
