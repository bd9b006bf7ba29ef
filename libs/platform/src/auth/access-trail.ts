import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Migration, Pool } from '#libs/database';
import { PG_POOL } from '../tokens.js';
import { AccessRefusalRecorder } from './auth.guard.js';
import type { Principal } from './principal.js';

export const accessTrailMigrations: Migration[] = [
  {
    id: 'platform/0002-access-trail',
    sql: `
      CREATE TABLE access_trail (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        tenant text,
        actor_id text,
        actor_role text,
        action text NOT NULL,
        subject_ref text,
        outcome text NOT NULL,
        reason text
      );
      CREATE INDEX access_trail_tenant_at ON access_trail (tenant, at);
    `,
  },
];

/** Who read or was refused what, and why; it holds pseudonymous ids and routes only, never personal data. */
@Injectable()
export class AccessTrail extends AccessRefusalRecorder {
  private readonly logger = new Logger('access');

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {
    super();
  }

  async record(refusal: { status: 401 | 403; reason: string; route: string; principal?: Principal }): Promise<void> {
    this.logger.warn({ status: refusal.status, route: refusal.route, role: refusal.principal?.role }, 'access refused');
    await this.pool.query(
      `INSERT INTO access_trail (tenant, actor_id, actor_role, action, outcome, reason)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        refusal.principal?.tenant ?? null,
        refusal.principal?.subject ?? null,
        refusal.principal?.role ?? null,
        refusal.route,
        refusal.status === 401 ? 'unauthenticated' : 'forbidden',
        refusal.reason,
      ],
    );
  }

  /** `subjectRef` null: a look-up that found no one (still recorded: that someone looked is the fact). */
  async recordRead(principal: Principal, action: string, subjectRef: string | null): Promise<void> {
    await this.pool.query(
      `INSERT INTO access_trail (tenant, actor_id, actor_role, action, subject_ref, outcome)
       VALUES ($1, $2, $3, $4, $5, 'read')`,
      [principal.tenant, principal.subject, principal.role, action, subjectRef],
    );
  }
}
