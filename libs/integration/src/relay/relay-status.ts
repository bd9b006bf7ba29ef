/** `degraded`: the broker is unreachable or refusing; events wait in the store and nothing is lost. */
export type RelayState = 'disabled' | 'starting' | 'connected' | 'degraded' | 'stopped';

export interface RelayStatusSnapshot {
  state: RelayState;
  /** Last `$all` position whose messages the broker acknowledged, as a string (bigint). */
  checkpoint: string | null;
  caughtUp: boolean;
  publishedMessages: number;
  lastPublishedAt: string | null;
  degradedSince: string | null;
  lastError: string | null;
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
  };

  current(): RelayStatusSnapshot {
    return { ...this.snapshot };
  }

  checkpointed(position: bigint | undefined, caughtUp: boolean): void {
    this.snapshot.checkpoint = position === undefined ? null : String(position);
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

  set(state: 'disabled' | 'stopped'): void {
    this.snapshot.state = state;
  }
}
