import type { Migration, Pool } from '#libs/database';

export const admissionMigrations: Migration[] = [
  {
    id: 'admission/0001-offer-deadlines',
    sql: `
      CREATE TABLE admission_offer_deadlines (
        tenant text NOT NULL,
        offering_id uuid NOT NULL,
        offer_id uuid NOT NULL,
        deadline timestamptz NOT NULL,
        PRIMARY KEY (tenant, offer_id)
      );
      CREATE INDEX admission_offer_deadlines_due ON admission_offer_deadlines (deadline);
    `,
  },
  {
    id: 'admission/0002-reconfirmation-runs',
    sql: `
      CREATE TABLE admission_waitlists (
        tenant text NOT NULL,
        offering_id uuid NOT NULL,
        PRIMARY KEY (tenant, offering_id)
      );
      CREATE TABLE admission_reconfirmation_runs (
        tenant text NOT NULL,
        offering_id uuid NOT NULL,
        school_year text NOT NULL,
        PRIMARY KEY (tenant, offering_id, school_year)
      );
    `,
  },
  {
    id: 'admission/0003-applicant-waitlists',
    // The waitlists each child has applied to, so a first place (or the last one given up) re-ranks them. Filled from
    // the applications already stored, since the process manager's checkpoint has passed them.
    sql: `
      CREATE TABLE admission_applicant_waitlists (
        tenant text NOT NULL,
        child_id uuid NOT NULL,
        offering_id uuid NOT NULL,
        PRIMARY KEY (tenant, child_id, offering_id)
      );
      DO $$ BEGIN
        IF to_regclass('es_events') IS NOT NULL THEN
          INSERT INTO admission_applicant_waitlists (tenant, child_id, offering_id)
            SELECT DISTINCT metadata->>'tenant', (data->>'childId')::uuid, (data->>'offeringId')::uuid
              FROM es_events WHERE event_type = 'ApplicationSubmitted'
            ON CONFLICT DO NOTHING;
        END IF;
      END $$;
    `,
  },
  {
    id: 'admission/0004-seat-holds-and-main-admissions',
    // Seats held through a place's last day (freed by the daily tick), and the coming school years' main admissions.
    sql: `
      CREATE TABLE admission_seat_holds (
        tenant text NOT NULL,
        offering_id uuid NOT NULL,
        place_id uuid NOT NULL,
        last_day date NOT NULL,
        PRIMARY KEY (tenant, offering_id, place_id)
      );
      CREATE INDEX admission_seat_holds_due ON admission_seat_holds (last_day);
      CREATE TABLE admission_main_admissions (
        tenant text NOT NULL,
        offering_id uuid NOT NULL,
        school_year text NOT NULL,
        run boolean NOT NULL DEFAULT false,
        PRIMARY KEY (tenant, offering_id)
      );
    `,
  },
  {
    id: 'admission/0005-place-reregistrations',
    // Rule 6: each offering's school year and how far its spring re-registration of places has gone. Filled from the
    // offerings already stored, since the process manager's checkpoint has passed them.
    sql: `
      CREATE TABLE admission_place_reregistrations (
        tenant text NOT NULL,
        offering_id uuid NOT NULL,
        school_year text NOT NULL,
        stage text NOT NULL DEFAULT 'none',
        PRIMARY KEY (tenant, offering_id)
      );
      DO $$ BEGIN
        IF to_regclass('es_events') IS NOT NULL THEN
          INSERT INTO admission_place_reregistrations (tenant, offering_id, school_year)
            SELECT metadata->>'tenant', (data->>'offeringId')::uuid, data->>'schoolYear'
              FROM es_events WHERE event_type = 'OfferingOpened'
            ON CONFLICT DO NOTHING;
        END IF;
      END $$;
    `,
  },
];

/** Rule 6 per offering: 'none', then 'requested', 'reminded' and 'silenced' as the spring's days pass. */
export type ReregistrationStage = 'none' | 'requested' | 'reminded' | 'silenced';

export class PlaceReregistrations {
  constructor(private readonly pool: Pool) {}

  async opened(tenant: string, offeringId: string, schoolYear: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO admission_place_reregistrations (tenant, offering_id, school_year) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [tenant, offeringId, schoolYear],
    );
  }

  /** Offerings of a school year whose re-registration has not reached its last stage. */
  async unfinished(schoolYear: string) {
    const { rows } = await this.pool.query<{ tenant: string; offering_id: string; stage: ReregistrationStage }>(
      `SELECT tenant, offering_id, stage FROM admission_place_reregistrations
        WHERE school_year = $1 AND stage <> 'silenced' ORDER BY tenant, offering_id LIMIT 500`,
      [schoolYear],
    );
    return rows.map((r) => ({ tenant: r.tenant, offeringId: r.offering_id, stage: r.stage }));
  }

  async reached(tenant: string, offeringId: string, stage: ReregistrationStage): Promise<void> {
    await this.pool.query(
      'UPDATE admission_place_reregistrations SET stage = $3 WHERE tenant = $1 AND offering_id = $2',
      [tenant, offeringId, stage],
    );
  }
}

/** Places whose seat is held through their last day: once it has passed, the offering frees the seat. */
export class SeatHolds {
  constructor(private readonly pool: Pool) {}

  async add(tenant: string, offeringId: string, placeId: string, lastDay: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO admission_seat_holds (tenant, offering_id, place_id, last_day) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [tenant, offeringId, placeId, lastDay],
    );
  }

  /** Offerings with a held seat whose last day is before `today` (an Oslo date). */
  async ended(today: string): Promise<{ tenant: string; offeringId: string }[]> {
    const { rows } = await this.pool.query<{ tenant: string; offering_id: string }>(
      'SELECT DISTINCT tenant, offering_id FROM admission_seat_holds WHERE last_day < $1 LIMIT 100',
      [today],
    );
    return rows.map((r) => ({ tenant: r.tenant, offeringId: r.offering_id }));
  }

  async released(tenant: string, offeringId: string, today: string): Promise<void> {
    await this.pool.query('DELETE FROM admission_seat_holds WHERE tenant = $1 AND offering_id = $2 AND last_day < $3', [
      tenant,
      offeringId,
      today,
    ]);
  }
}

/** Waitlists of a coming school year and whether their main admission has run. */
export class MainAdmissions {
  constructor(private readonly pool: Pool) {}

  async planned(tenant: string, offeringId: string, schoolYear: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO admission_main_admissions (tenant, offering_id, school_year) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [tenant, offeringId, schoolYear],
    );
  }

  async notYetRun(): Promise<{ tenant: string; offeringId: string; schoolYear: string }[]> {
    const { rows } = await this.pool.query<{ tenant: string; offering_id: string; school_year: string }>(
      'SELECT tenant, offering_id, school_year FROM admission_main_admissions WHERE NOT run',
    );
    return rows.map((r) => ({ tenant: r.tenant, offeringId: r.offering_id, schoolYear: r.school_year }));
  }

  async ran(tenant: string, offeringId: string): Promise<void> {
    await this.pool.query('UPDATE admission_main_admissions SET run = true WHERE tenant = $1 AND offering_id = $2', [
      tenant,
      offeringId,
    ]);
  }
}

/** Which waitlists a child has applied to (a waitlist the child has left answers a re-rank with nothing). */
export class ApplicantWaitlists {
  constructor(private readonly pool: Pool) {}

  async applied(tenant: string, childId: string, offeringId: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO admission_applicant_waitlists (tenant, child_id, offering_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [tenant, childId, offeringId],
    );
  }

  async of(tenant: string, childId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ offering_id: string }>(
      'SELECT offering_id FROM admission_applicant_waitlists WHERE tenant = $1 AND child_id = $2 ORDER BY offering_id',
      [tenant, childId],
    );
    return rows.map((r) => r.offering_id);
  }
}

export interface DueOffer {
  tenant: string;
  offeringId: string;
  offerId: string;
}

/**
 * Outstanding offers and their deadlines, derived from the store (PlaceOffered adds, an answer removes): deadlines
 * live in the store, this table only indexes them, so a restart loses none and a rebuild recreates it.
 */
export class OfferDeadlines {
  constructor(private readonly pool: Pool) {}

  async add(offer: DueOffer & { deadline: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO admission_offer_deadlines (tenant, offering_id, offer_id, deadline) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, offer_id) DO NOTHING`,
      [offer.tenant, offer.offeringId, offer.offerId, offer.deadline],
    );
  }

  async remove(tenant: string, offerId: string): Promise<void> {
    await this.pool.query('DELETE FROM admission_offer_deadlines WHERE tenant = $1 AND offer_id = $2', [
      tenant,
      offerId,
    ]);
  }

  async due(now: Date, limit = 100): Promise<DueOffer[]> {
    const { rows } = await this.pool.query<{ tenant: string; offering_id: string; offer_id: string }>(
      `SELECT tenant, offering_id, offer_id FROM admission_offer_deadlines WHERE deadline <= $1
       ORDER BY deadline LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ tenant: r.tenant, offeringId: r.offering_id, offerId: r.offer_id }));
  }
}

/** Which waitlists exist, and for which school years unconfirmed entries have been removed from them. */
export class ReconfirmationRuns {
  constructor(private readonly pool: Pool) {}

  async waitlistOpened(tenant: string, offeringId: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO admission_waitlists (tenant, offering_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [tenant, offeringId],
    );
  }

  async notYetRun(schoolYear: string): Promise<{ tenant: string; offeringId: string }[]> {
    const { rows } = await this.pool.query<{ tenant: string; offering_id: string }>(
      `SELECT w.tenant, w.offering_id FROM admission_waitlists w
        WHERE NOT EXISTS (SELECT 1 FROM admission_reconfirmation_runs r
                           WHERE r.tenant = w.tenant AND r.offering_id = w.offering_id AND r.school_year = $1)`,
      [schoolYear],
    );
    return rows.map((r) => ({ tenant: r.tenant, offeringId: r.offering_id }));
  }

  async done(tenant: string, offeringId: string, schoolYear: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO admission_reconfirmation_runs (tenant, offering_id, school_year) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [tenant, offeringId, schoolYear],
    );
  }
}
