import type { Pool } from '#libs/database';

export type TrailOutcome = 'read' | 'forbidden' | 'unauthenticated';

export interface TrailFilter {
  actor?: string;
  role?: string;
  outcome?: TrailOutcome;
  /** Matches the action (a route, or what was read) by substring. */
  action?: string;
  subject?: string;
  from?: Date;
  to?: Date;
}

// A type, not an interface, so a page can be handed to the CLI's generic row renderer.
export type TrailRecord = {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  subjectRef: string | null;
  outcome: string;
  reason: string | null;
};

export interface TrailPage {
  items: TrailRecord[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  next: string | null;
}

interface TrailRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  subject_ref: string | null;
  outcome: string;
  reason: string | null;
}

/** Whose trail is read: a tenant's auditor sees the tenant's rows; an operator also the rows of no tenant. */
export interface TrailViewer {
  tenant: string;
  /** An operator (OPERATOR_TENANT) sees the refusals of calls without a valid token too, which belong to no tenant. */
  operator?: boolean;
}

/**
 * The auditor's view of the access trail, newest first, paged by id (stable while new records arrive). Refusals of
 * requests without a valid token have no tenant: they are the operators' to see, never another tenant's.
 */
export class AccessTrailQuery {
  constructor(private readonly pool: Pool) {}

  async page(viewer: TrailViewer, filter: TrailFilter, paging: { limit: number; before?: string }): Promise<TrailPage> {
    const conditions = [viewer.operator === true ? '(tenant = $1 OR tenant IS NULL)' : 'tenant = $1'];
    const params: unknown[] = [viewer.tenant];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (filter.actor !== undefined) add((n) => `actor_id = ${n}`, filter.actor);
    if (filter.role !== undefined) add((n) => `actor_role = ${n}`, filter.role);
    if (filter.outcome !== undefined) add((n) => `outcome = ${n}`, filter.outcome);
    if (filter.action !== undefined) add((n) => `strpos(action, ${n}) > 0`, filter.action);
    if (filter.subject !== undefined) add((n) => `subject_ref = ${n}`, filter.subject);
    if (filter.from !== undefined) add((n) => `at >= ${n}`, filter.from);
    if (filter.to !== undefined) add((n) => `at < ${n}`, filter.to);
    if (paging.before !== undefined) add((n) => `id < ${n}::bigint`, paging.before);
    params.push(paging.limit + 1);
    const { rows } = await this.pool.query<TrailRow>(
      `SELECT id::text, at, actor_id, actor_role, action, subject_ref, outcome, reason FROM access_trail
        WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, paging.limit).map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actorId: row.actor_id,
      actorRole: row.actor_role,
      action: row.action,
      subjectRef: row.subject_ref,
      outcome: row.outcome,
      reason: row.reason,
    }));
    return { items, next: rows.length > paging.limit ? (items.at(-1)?.id ?? null) : null };
  }
}
