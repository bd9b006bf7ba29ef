import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '#libs/database';
import { PG_POOL } from '#libs/platform';
import type { Semester, Term } from '../domain/index.js';
import {
  compareSemesters,
  semesterOfDate,
  storedOwedUpTo,
  type PlaceFacts,
  type WaiverFacts,
} from './household-assessment.js';

interface PlaceRow {
  place_id: string;
  offering_id: string;
  child_id: string;
  birth_year: number;
  school_year: string;
  fee_ore: string | null;
  started_on: string;
  effective_on: string | null;
  notice_on: string | null;
  after_deadline: boolean | null;
  /** The withdrawal's `owedUpTo` (named for the next semester, which it was before the event stated what is owed). */
  next_school_year: string | null;
  next_term: Term | null;
  transferred_out_on: string | null;
  transferred_in_on: string | null;
}

const toPlace = (row: PlaceRow): PlaceFacts => ({
  placeId: row.place_id,
  offeringId: row.offering_id,
  childId: row.child_id,
  birthYear: row.birth_year,
  schoolYear: row.school_year,
  feeOre: row.fee_ore === null ? null : Number(row.fee_ore),
  startedOn: row.started_on,
  transfer: { out: row.transferred_out_on, in: row.transferred_in_on },
  withdrawal:
    row.effective_on !== null && row.notice_on !== null && row.next_school_year !== null && row.next_term !== null
      ? {
          effectiveOn: row.effective_on,
          noticeOn: row.notice_on,
          owedUpTo: storedOwedUpTo(
            { schoolYear: row.next_school_year as Semester['schoolYear'], term: row.next_term },
            row.effective_on,
            row.after_deadline,
          ),
        }
      : null,
});

const PLACE_COLUMNS = `p.place_id, p.offering_id, p.child_id, p.birth_year, p.school_year, p.fee_ore, p.started_on,
  p.effective_on, p.notice_on, p.after_deadline, p.next_school_year, p.next_term, p.transferred_out_on,
  p.transferred_in_on`;
// A place transferred out before its effective day was stored is not billed at all (its successor took its start).
const BILLABLE = '(p.transferred_to IS NULL OR p.transferred_out_on IS NOT NULL)';

/**
 * What the funding process needs to know from the store (offerings, places, payers, waivers), indexed in its own
 * tables. Writes never move a row back to an older state, so events replayed after a crash see the latest facts,
 * reassess to the same result, and append nothing new.
 */
@Injectable()
export class FundingFacts {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async recordOffering(tenant: string, offering: { offeringId: string; schoolYear: string; feeOre: number }) {
    await this.pool.query(
      `INSERT INTO funding_offerings (tenant, offering_id, school_year, fee_ore) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, offering_id) DO UPDATE SET school_year = EXCLUDED.school_year, fee_ore = EXCLUDED.fee_ore`,
      [tenant, offering.offeringId, offering.schoolYear, offering.feeOre],
    );
  }

  /** Only a later record of the same day replaces it: a replayed older change must not undo a newer one. */
  async recordFeeChange(
    tenant: string,
    offeringId: string,
    change: { feePerSemesterOre: number; effectiveFrom: string },
    position: bigint,
  ) {
    await this.pool.query(
      `INSERT INTO funding_offering_fees (tenant, offering_id, effective_from, fee_ore, position) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant, offering_id, effective_from) DO UPDATE SET fee_ore = EXCLUDED.fee_ore, position = EXCLUDED.position
       WHERE funding_offering_fees.position < EXCLUDED.position`,
      [tenant, offeringId, change.effectiveFrom, change.feePerSemesterOre, String(position)],
    );
  }

  async offering(tenant: string, offeringId: string): Promise<{ schoolYear: string; feeOre: number } | undefined> {
    const { rows } = await this.pool.query<{ school_year: string; fee_ore: string }>(
      'SELECT school_year, fee_ore FROM funding_offerings WHERE tenant = $1 AND offering_id = $2',
      [tenant, offeringId],
    );
    const row = rows[0];
    return row ? { schoolYear: row.school_year, feeOre: Number(row.fee_ore) } : undefined;
  }

  /**
   * A transfer's new place takes over from its effective day: each semester is billed once, for the place held when
   * it began, so the old place pays the semesters begun before that day and the new one those begun on or after it.
   * A place that goes on from another (transfer, rollover) keeps the first one's start: the child's "first place" for
   * the sibling discount is the one held longest (rule 9).
   */
  async recordPlace(
    tenant: string,
    place: Omit<PlaceFacts, 'withdrawal' | 'transfer'>,
    from: { placeId: string; transferOn: string | null } | null,
  ) {
    const transfer = from?.transferOn ? { from: from.placeId, effectiveOn: from.transferOn } : null;
    let startedOn = place.startedOn;
    if (from) {
      // A rollover's place leaves the old one billed in its own year; a transfer's ends the old one's billing.
      const { rows } = await this.pool.query<{ started_on: string }>(
        `UPDATE funding_places SET transferred_to = coalesce($3, transferred_to),
                transferred_out_on = coalesce($4, transferred_out_on)
          WHERE tenant = $1 AND place_id = $2 RETURNING started_on`,
        [tenant, from.placeId, transfer ? place.placeId : null, transfer?.effectiveOn ?? null],
      );
      startedOn = rows[0]?.started_on ?? startedOn;
    }
    await this.pool.query(
      `INSERT INTO funding_places (tenant, place_id, offering_id, child_id, birth_year, school_year, fee_ore, started_on,
                                   transferred_in_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant, place_id) DO NOTHING`,
      [
        tenant,
        place.placeId,
        place.offeringId,
        place.childId,
        place.birthYear,
        place.schoolYear,
        place.feeOre,
        startedOn,
        transfer?.effectiveOn ?? null,
      ],
    );
  }

  /** `after_deadline` keeps its first meaning: the withdrawal owes a semester after the one its last day falls in. */
  async recordWithdrawal(tenant: string, placeId: string, withdrawal: NonNullable<PlaceFacts['withdrawal']>) {
    await this.pool.query(
      `UPDATE funding_places SET effective_on = $3, notice_on = $4, after_deadline = $5, next_school_year = $6,
              next_term = $7 WHERE tenant = $1 AND place_id = $2`,
      [
        tenant,
        placeId,
        withdrawal.effectiveOn,
        withdrawal.noticeOn,
        compareSemesters(withdrawal.owedUpTo, semesterOfDate(withdrawal.effectiveOn)) > 0,
        withdrawal.owedUpTo.schoolYear,
        withdrawal.owedUpTo.term,
      ],
    );
  }

  async place(tenant: string, placeId: string): Promise<PlaceFacts | undefined> {
    const { rows } = await this.pool.query<PlaceRow>(
      `SELECT ${PLACE_COLUMNS} FROM funding_places p WHERE p.tenant = $1 AND p.place_id = $2`,
      [tenant, placeId],
    );
    return rows[0] ? toPlace(rows[0]) : undefined;
  }

  /** Only a later registration moves the child: a replayed older one must not rewind it and bill the wrong payer. */
  async recordPayer(tenant: string, childId: string, payerId: string, position: bigint) {
    await this.pool.query(
      `INSERT INTO funding_child_payers (tenant, child_id, payer_id, position) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, child_id) DO UPDATE SET payer_id = EXCLUDED.payer_id, position = EXCLUDED.position
       WHERE funding_child_payers.position < EXCLUDED.position`,
      [tenant, childId, payerId, String(position)],
    );
  }

  async payerOf(tenant: string, childId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ payer_id: string }>(
      'SELECT payer_id FROM funding_child_payers WHERE tenant = $1 AND child_id = $2',
      [tenant, childId],
    );
    return rows[0]?.payer_id;
  }

  async placesOfChild(tenant: string, childId: string): Promise<PlaceFacts[]> {
    const { rows } = await this.pool.query<PlaceRow>(
      `SELECT ${PLACE_COLUMNS} FROM funding_places p
        WHERE p.tenant = $1 AND p.child_id = $2 AND ${BILLABLE} ORDER BY p.place_id`,
      [tenant, childId],
    );
    return rows.map(toPlace);
  }

  async placesOfPayer(tenant: string, payerId: string): Promise<PlaceFacts[]> {
    const { rows } = await this.pool.query<PlaceRow>(
      `SELECT ${PLACE_COLUMNS} FROM funding_places p
         JOIN funding_child_payers c ON c.tenant = p.tenant AND c.child_id = p.child_id
        WHERE p.tenant = $1 AND c.payer_id = $2 AND ${BILLABLE} ORDER BY p.place_id`,
      [tenant, payerId],
    );
    const places = rows.map(toPlace);
    const offeringIds = [...new Set(places.map((p) => p.offeringId))];
    const { rows: fees } = await this.pool.query<{ offering_id: string; effective_from: string; fee_ore: string }>(
      `SELECT offering_id, effective_from, fee_ore FROM funding_offering_fees WHERE tenant = $1 AND offering_id = ANY ($2)`,
      [tenant, offeringIds],
    );
    const { rows: cancelled } = await this.pool.query<{ offering_id: string; semester: string; lessons: number }>(
      `SELECT offering_id, semester, lessons FROM funding_cancelled_lessons WHERE tenant = $1 AND offering_id = ANY ($2)`,
      [tenant, [...new Set(places.map((p) => p.offeringId))]],
    );
    return places.map((place) => ({
      ...place,
      feeChanges: fees
        .filter((f) => f.offering_id === place.offeringId)
        .map((f) => ({ effectiveFrom: f.effective_from, feePerSemesterOre: Number(f.fee_ore) })),
      cancelledLessons: Object.fromEntries(
        cancelled.filter((c) => c.offering_id === place.offeringId).map((c) => [c.semester, c.lessons]),
      ),
    }));
  }

  async recordCancelledLessons(tenant: string, offeringId: string, semester: string, lessons: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO funding_cancelled_lessons (tenant, offering_id, semester, lessons) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, offering_id, semester) DO UPDATE SET lessons = EXCLUDED.lessons`,
      [tenant, offeringId, semester, lessons],
    );
  }

  /** The payers of the children holding a place in the offering, for reassessing its semester. */
  async payersOfOffering(tenant: string, offeringId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ payer_id: string }>(
      `SELECT DISTINCT c.payer_id FROM funding_places p
         JOIN funding_child_payers c ON c.tenant = p.tenant AND c.child_id = p.child_id
        WHERE p.tenant = $1 AND p.offering_id = $2 ORDER BY c.payer_id`,
      [tenant, offeringId],
    );
    return rows.map((r) => r.payer_id);
  }

  /** Places held in a school year by the payer's children: the basis of a waiver's budget estimate. */
  async placeCountOfPayer(tenant: string, payerId: string, schoolYear: string): Promise<number> {
    const places = await this.placesOfPayer(tenant, payerId);
    return places.filter((p) => p.schoolYear === schoolYear && p.withdrawal === null).length;
  }

  async recordWaiverGranted(
    tenant: string,
    waiver: { applicationId: string; householdId: string; schoolYear: string; payPercent: number; endsAt: Date },
  ) {
    await this.pool.query(
      `INSERT INTO funding_waivers (tenant, application_id, household_id, school_year, pay_percent, status, ends_at)
       VALUES ($1, $2, $3, $4, $5, 'granted', $6) ON CONFLICT (tenant, application_id) DO NOTHING`,
      [tenant, waiver.applicationId, waiver.householdId, waiver.schoolYear, waiver.payPercent, waiver.endsAt],
    );
  }

  async recordWaiverEnded(
    tenant: string,
    applicationId: string,
    status: 'revoked' | 'expired',
    revokedOn: string | null,
  ) {
    await this.pool.query(
      `UPDATE funding_waivers SET status = $3, revoked_on = $4 WHERE tenant = $1 AND application_id = $2`,
      [tenant, applicationId, status, revokedOn],
    );
  }

  async waiversOf(tenant: string, householdId: string): Promise<WaiverFacts[]> {
    const { rows } = await this.pool.query<{
      application_id: string;
      school_year: string;
      pay_percent: number;
      status: WaiverFacts['status'];
      revoked_on: string | null;
    }>(
      `SELECT application_id, school_year, pay_percent, status, revoked_on FROM funding_waivers
        WHERE tenant = $1 AND household_id = $2 ORDER BY application_id`,
      [tenant, householdId],
    );
    return rows.map((r) => ({
      applicationId: r.application_id,
      schoolYear: r.school_year,
      payPercent: r.pay_percent,
      status: r.status,
      revokedOn: r.revoked_on,
    }));
  }

  /** Granted waivers whose school year has ended by `now`: the store says when, this table only indexes it. */
  async waiversDueToExpire(now: Date, limit = 100): Promise<{ tenant: string; applicationId: string }[]> {
    const { rows } = await this.pool.query<{ tenant: string; application_id: string }>(
      `SELECT tenant, application_id FROM funding_waivers WHERE status = 'granted' AND ends_at <= $1
        ORDER BY ends_at, application_id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ tenant: r.tenant, applicationId: r.application_id }));
  }
}
