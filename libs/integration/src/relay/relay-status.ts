import type { SinkLimits } from './message-size.js';
import type { ParkedEventRow } from './relay-parking.js';

/** `degraded`: the broker is unreachable or refusing; events wait in the store and nothing is lost. */
export type RelayState = 'disabled' | 'starting' | 'connected' | 'degraded' | 'stopped';

/** An event the relay does not publish until the broker's limit is raised or an operator skips it. */
export interface BlockingEvent {
  position: string;
  eventId: string;
  streamName: string;
  eventType: string;
  tenant: string;
  reason: string;
  bytes: number | null;
  limitBytes: number | null;
  parkedAt: string;
  /** Later events of its stream held back behind it. */
  held: number;
}

export interface RelayStatusSnapshot {
  state: RelayState;
  /** Last `$all` position whose messages the broker acknowledged, as a string (bigint). */
  checkpoint: string | null;
  caughtUp: boolean;
  publishedMessages: number;
  lastPublishedAt: string | null;
  degradedSince: string | null;
  lastError: string | null;
  /** When the checkpoint last moved, or the relay last found nothing to publish. */
  lastProgressAt: string | null;
  /** What a request may carry, as read from the broker (null before the first read). */
  limits: SinkLimits | null;
  /** Events parked (too large, or held behind one in their stream) that wait for the broker or an operator. */
  parkedEvents: number;
  /** The too-large ones, each with what it holds back. */
  blocking: BlockingEvent[];
}

/** `degraded` whenever the relay is not publishing what waits; `up` when it is (or is switched off). */
export interface RelayAssessment {
  status: 'up' | 'degraded';
  reasons: string[];
}

/** What the relay loop reports and the health check and metrics read; the loop is its only writer. */
export class RelayStatus {
  private snapshot: RelayStatusSnapshot = {
    state: 'starting',
    checkpoint: null,
    caughtUp: false,
    publishedMessages: 0,
    lastPublishedAt: null,
    degradedSince: null,
    lastError: null,
    lastProgressAt: new Date().toISOString(),
    limits: null,
    parkedEvents: 0,
    blocking: [],
  };

  /** @param stallAfterMs events waiting this long without the checkpoint moving make the relay degraded. */
  constructor(readonly stallAfterMs = 30_000) {}

  current(): RelayStatusSnapshot {
    return { ...this.snapshot, blocking: [...this.snapshot.blocking] };
  }

  checkpointed(position: bigint | undefined, caughtUp: boolean, at = new Date()): void {
    const checkpoint = position === undefined ? null : String(position);
    if (checkpoint !== this.snapshot.checkpoint || caughtUp) this.snapshot.lastProgressAt = at.toISOString();
    this.snapshot.checkpoint = checkpoint;
    this.snapshot.caughtUp = caughtUp;
  }

  published(count: number, at: Date): void {
    this.snapshot.publishedMessages += count;
    this.snapshot.lastPublishedAt = at.toISOString();
    this.healthy();
  }

  healthy(): void {
    this.snapshot.state = 'connected';
    this.snapshot.degradedSince = null;
    this.snapshot.lastError = null;
  }

  degraded(reason: string, at: Date): void {
    if (this.snapshot.state !== 'degraded') this.snapshot.degradedSince = at.toISOString();
    this.snapshot.state = 'degraded';
    this.snapshot.lastError = reason;
  }

  limited(limits: SinkLimits): void {
    this.snapshot.limits = limits;
  }

  parked(open: readonly ParkedEventRow[]): void {
    this.snapshot.parkedEvents = open.length;
    const blockers = open.filter((row) => row.kind === 'too-large');
    this.snapshot.blocking = blockers.map((row) => ({
      position: String(row.position),
      eventId: row.eventId,
      streamName: row.streamName,
      eventType: row.eventType,
      tenant: row.tenant,
      reason: row.reason,
      bytes: row.bytes,
      limitBytes: row.limitBytes,
      parkedAt: row.parkedAt.toISOString(),
      held: open.filter((other) => other.kind === 'held' && other.streamName === row.streamName).length,
    }));
  }

  set(state: 'disabled' | 'stopped'): void {
    this.snapshot.state = state;
  }

  /** Degraded when the broker refuses or is unreachable, an event is parked, or events wait and nothing moves. */
  assess(lagSeconds: number, now = new Date()): RelayAssessment {
    const s = this.snapshot;
    if (s.state === 'disabled') return { status: 'up', reasons: [] };
    const reasons: string[] = [];
    if (s.state === 'degraded') reasons.push(s.lastError ?? 'the broker refuses or cannot be reached');
    if (s.state === 'stopped') reasons.push('the relay is stopped');
    if (s.parkedEvents > 0) {
      reasons.push(
        `${s.parkedEvents} event(s) parked: ${s.blocking.length} too large for the broker, the rest held behind them ` +
          'in their streams; raise the broker limit or skip (docs/runbook.md, Kafka relay)',
      );
    }
    const idleMs = s.lastProgressAt === null ? Infinity : now.getTime() - Date.parse(s.lastProgressAt);
    if (lagSeconds > 0 && idleMs > this.stallAfterMs) {
      reasons.push(
        `not publishing: events have waited ${Math.round(lagSeconds)} s and the checkpoint has not moved for ` +
          `${Math.round(idleMs / 1000)} s`,
      );
    }
    return { status: reasons.length > 0 ? 'degraded' : 'up', reasons };
  }
}
