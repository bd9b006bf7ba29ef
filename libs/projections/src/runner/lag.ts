import { Counter, Gauge, type Registry } from 'prom-client';
import type { Pool } from '#libs/database';

export interface Lag {
  /** Events of the projection's types after its checkpoint. */
  events: number;
  /** Age of the oldest of them: how stale the read model is. 0 when caught up. */
  seconds: number;
}

/**
 * Lag straight from the PostgreSQL event store's table (the default store); with another store it is unknown.
 * Counted below the safe horizon, as readers see the log.
 */
export const measureLag = async (
  pool: Pool,
  position: bigint,
  eventTypes: readonly string[] | 'all',
): Promise<Lag | undefined> => {
  try {
    const { rows } = await pool.query<{ events: string; seconds: number | null }>(
      `SELECT count(*) AS events, extract(epoch FROM now() - min(recorded_at))::float8 AS seconds
         FROM es_events WHERE position > $1 AND position < es_safe_horizon()
          AND ($2::text[] IS NULL OR event_type = ANY ($2))`,
      [String(position), eventTypes === 'all' ? null : eventTypes],
    );
    const row = rows[0];
    return { events: Number(row?.events ?? 0), seconds: Math.max(0, row?.seconds ?? 0) };
  } catch {
    return undefined;
  }
};

const gauge = (registry: Registry, name: string, help: string): Gauge => {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Gauge) return existing;
  return new Gauge({ name, help, labelNames: ['projection', 'version'], registers: [registry] });
};

/** Per projection version, in the process's `/metrics`. */
export class ProjectionMetrics {
  readonly lagEvents: Gauge;
  readonly lagSeconds: Gauge;
  readonly applied: Counter;
  readonly failed: Gauge;

  constructor(registry: Registry) {
    this.lagEvents = gauge(registry, 'kulturskole_projection_lag_events', 'Events not yet applied to the projection');
    this.lagSeconds = gauge(
      registry,
      'kulturskole_projection_lag_seconds',
      'Age of the oldest event not yet applied to the projection',
    );
    this.failed = gauge(
      registry,
      'kulturskole_projection_failed',
      '1 while the projection is stopped at a poison event',
    );
    const applied = registry.getSingleMetric('kulturskole_projection_events_applied_total');
    this.applied =
      applied instanceof Counter
        ? applied
        : new Counter({
            name: 'kulturskole_projection_events_applied_total',
            help: 'Events applied to projections',
            labelNames: ['projection', 'version'],
            registers: [registry],
          });
  }

  record(projection: string, version: number, lag: Lag | undefined, failed: boolean): void {
    const labels = { projection, version: String(version) };
    if (lag) {
      this.lagEvents.set(labels, lag.events);
      this.lagSeconds.set(labels, lag.seconds);
    }
    this.failed.set(labels, failed ? 1 : 0);
  }
}
