import type { ListSpec } from '#libs/query';

/** Why a place cannot be billed; a place may have several reasons at once. */
export const UNBILLABLE_REASONS = ['NoPayer', 'PayerErased', 'FeeMissing'] as const;
export type UnbillableReason = (typeof UNBILLABLE_REASONS)[number];

/** One row of the worklist: ids only (the caseworker opens the child to see who it is). */
export interface UnbillablePlace {
  placeId: string;
  childId: string;
  offeringId: string;
  schoolYear: string | null;
  semester: 'autumn' | 'spring' | null;
  reasons: UnbillableReason[];
  since: string;
  payerId: string | null;
  withdrawnOn: string | null;
}

/**
 * The places that cannot be billed now, one row each with its reasons: no payer registered for the child, the payer's
 * personal data erased (nobody to send the bill to), or no fee known for the offering. `since` is when the place
 * became unbillable (its enrolment, or the payer's erasure if later); `semester` is the first one of the offering's
 * school year it falls in. `reason` narrows the list to the rows that have it.
 */
export const unbillablePlacesSpec = (table: (name: string) => string, reason?: UnbillableReason): ListSpec => ({
  from: (params, tenant) => {
    // A place with no reason left (a payer registered, the fee known) can be billed: it leaves the list.
    const only = reason === undefined ? '' : `AND ${params.add(reason, 'text')} = ANY (u.reasons)`;
    return `SELECT * FROM (
      SELECT f.*, CASE WHEN f."schoolYear" IS NULL THEN NULL
                       WHEN (f."since" AT TIME ZONE 'Europe/Oslo')::date
                            < make_date(split_part(f."schoolYear", '-', 2)::int, 1, 1) THEN 'autumn'
                       ELSE 'spring' END AS "semester"
        FROM (
          SELECT p.tenant, p.place_id AS "placeId", p.child_id AS "childId", p.offering_id AS "offeringId",
                 o.school_year AS "schoolYear", py.payer_id AS "payerId", p.withdrawn_on::text AS "withdrawnOn",
                 p.withdrawn_on IS NOT NULL AS "withdrawn",
                 array_remove(ARRAY[
                   CASE WHEN py.payer_id IS NULL THEN 'NoPayer' END,
                   CASE WHEN e.subject_id IS NOT NULL THEN 'PayerErased' END,
                   CASE WHEN o.fee_ore IS NULL THEN 'FeeMissing' END
                 ], NULL) AS reasons,
                 CASE WHEN py.payer_id IS NULL OR o.fee_ore IS NULL OR e.erased_at IS NULL THEN p.enrolled_at
                      ELSE greatest(p.enrolled_at, e.erased_at) END AS "since"
            FROM ${table('unbillable_places')} p
            LEFT JOIN ${table('unbillable_offerings')} o ON o.tenant = p.tenant AND o.offering_id = p.offering_id
            LEFT JOIN ${table('unbillable_payers')} py ON py.tenant = p.tenant AND py.child_id = p.child_id
            LEFT JOIN ${table('unbillable_erased_subjects')} e ON e.tenant = py.tenant AND e.subject_id = py.payer_id
           WHERE p.tenant = ${tenant} AND p.active
        ) f
      ) u WHERE cardinality(u.reasons) > 0 ${only}`;
  },
  columns: {
    placeId: { type: 'text', filter: true, sort: true },
    childId: { type: 'text', filter: true },
    offeringId: { type: 'text', filter: true, sort: true },
    schoolYear: { type: 'text', filter: true, sort: true },
    semester: { type: 'text', filter: true, sort: true },
    reasons: { type: 'text' },
    since: { type: 'timestamptz', sort: true },
    payerId: { type: 'text', filter: true },
    withdrawnOn: { type: 'date', sort: true },
    withdrawn: { type: 'boolean', filter: true },
  },
  key: ['placeId'],
  defaultSort: [{ column: 'since', direction: 'asc' }],
});
