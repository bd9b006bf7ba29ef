import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '#libs/database';
import { PG_POOL } from '#libs/platform';

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface WaiverFilter {
  schoolYear?: string;
  level?: 'full' | 'partial';
  district?: string;
  subjectGroup?: string;
}

export interface ActiveWaiver {
  applicationId: string;
  householdId: string;
  schoolYear: string;
  level: 'full' | 'partial';
  payPercent: number;
  decidedAt: string;
  students: number;
  districts: string[];
  subjectGroups: string[];
}

// Where the read model does not know a district's own figure: Trondheim's 2016 share, applied to every district.
export const DEFAULT_LOW_INCOME_REFERENCE = {
  sharePercent: 7.5,
  source:
    'Estimate: Trondheim-wide share of children in persistent low income, 2016 (kulturskoleplan); no district figures',
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** A numbered page from the `{ total, items }` row a page query answers with, each item mapped. */
const pageOf = <Row, T>(
  result: { total: string; items: Row[] } | undefined,
  page: number,
  pageSize: number,
  map: (row: Row) => T,
): Page<T> => ({ items: (result?.items ?? []).map(map), page, pageSize, total: Number(result?.total ?? 0) });

interface ActiveWaiverRow {
  application_id: string;
  household_id: string;
  school_year: string;
  level: 'full' | 'partial';
  pay_percent: number;
  decided_at: string;
  students: number;
  districts: string[];
  subject_groups: string[];
}

// The places that make a granted waiver reach a child: the child's payer holds the waiver, the place is in its year.
const WAIVER_PLACES = `
  SELECT a.application_id, pl.child_id, pl.district, pl.subject_group
    FROM fee_waiver_applications a
    JOIN fee_waiver_payers py ON py.tenant = a.tenant AND py.payer_id = a.household_id
    JOIN fee_waiver_places pl ON pl.tenant = a.tenant AND pl.child_id = py.child_id AND pl.active
    JOIN fee_waiver_offerings o ON o.tenant = pl.tenant AND o.offering_id = pl.offering_id
                               AND o.school_year = a.school_year
   WHERE a.tenant = $1 AND a.status = 'granted'`;

/** Queries over the fee-waivers read model (the views of the `fee_waivers` projection); every one is per tenant. */
@Injectable()
export class FeeWaiversQuery {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async activeWaivers(
    tenant: string,
    filter: WaiverFilter,
    page: number,
    pageSize: number,
  ): Promise<Page<ActiveWaiver>> {
    const { rows } = await this.pool.query<{ total: string; items: ActiveWaiverRow[] }>(
      `WITH waiver_places AS (${WAIVER_PLACES}),
       filtered AS (
         SELECT a.application_id, a.household_id, a.school_year, a.level, a.pay_percent, a.decided_at,
                count(DISTINCT wp.child_id) AS students,
                coalesce(array_agg(DISTINCT wp.district) FILTER (WHERE wp.district IS NOT NULL), '{}') AS districts,
                coalesce(array_agg(DISTINCT wp.subject_group) FILTER (WHERE wp.subject_group IS NOT NULL), '{}')
                  AS subject_groups
           FROM fee_waiver_applications a
           LEFT JOIN waiver_places wp ON wp.application_id = a.application_id
          WHERE a.tenant = $1 AND a.status = 'granted'
            AND ($2::text IS NULL OR a.school_year = $2) AND ($3::text IS NULL OR a.level = $3)
          GROUP BY a.application_id, a.household_id, a.school_year, a.level, a.pay_percent, a.decided_at
         HAVING ($4::text IS NULL OR $4 = ANY (array_agg(wp.district)))
            AND ($5::text IS NULL OR $5 = ANY (array_agg(wp.subject_group)))
       )
       SELECT (SELECT count(*) FROM filtered) AS total,
              coalesce((SELECT json_agg(p) FROM (SELECT * FROM filtered ORDER BY decided_at, application_id
                                                  LIMIT $6 OFFSET $7) p), '[]') AS items`,
      [
        tenant,
        filter.schoolYear ?? null,
        filter.level ?? null,
        filter.district ?? null,
        filter.subjectGroup ?? null,
        pageSize,
        (page - 1) * pageSize,
      ],
    );
    return pageOf(rows[0], page, pageSize, (r) => ({
      applicationId: r.application_id,
      householdId: r.household_id,
      schoolYear: r.school_year,
      level: r.level,
      payPercent: r.pay_percent,
      decidedAt: new Date(r.decided_at).toISOString(),
      students: Number(r.students),
      districts: r.districts,
      subjectGroups: r.subject_groups,
    }));
  }

  /** Active waivers and the students they reach, per school year, level, district and subject group. */
  async activeCounts(tenant: string, filter: WaiverFilter) {
    const { rows } = await this.pool.query<{
      school_year: string;
      level: string;
      district: string | null;
      subject_group: string | null;
      waivers: string;
      students: string;
    }>(
      `WITH waiver_places AS (${WAIVER_PLACES})
       SELECT a.school_year, a.level, wp.district, wp.subject_group,
              count(DISTINCT a.application_id) AS waivers, count(DISTINCT wp.child_id) AS students
         FROM fee_waiver_applications a
         LEFT JOIN waiver_places wp ON wp.application_id = a.application_id
        WHERE a.tenant = $1 AND a.status = 'granted'
          AND ($2::text IS NULL OR a.school_year = $2) AND ($3::text IS NULL OR a.level = $3)
          AND ($4::text IS NULL OR wp.district = $4) AND ($5::text IS NULL OR wp.subject_group = $5)
        GROUP BY a.school_year, a.level, wp.district, wp.subject_group
        ORDER BY a.school_year, a.level, wp.district NULLS LAST, wp.subject_group NULLS LAST`,
      [tenant, filter.schoolYear ?? null, filter.level ?? null, filter.district ?? null, filter.subjectGroup ?? null],
    );
    return rows.map((r) => ({
      schoolYear: r.school_year,
      level: r.level,
      district: r.district,
      subjectGroup: r.subject_group,
      waivers: Number(r.waivers),
      students: Number(r.students),
    }));
  }

  /** What the latest assessments waived, per semester. */
  async waivedPerSemester(tenant: string, schoolYear: string | undefined) {
    const { rows } = await this.pool.query<{ school_year: string; term: string; waived: string; households: string }>(
      `SELECT school_year, term, sum(waived_ore) AS waived, count(*) FILTER (WHERE waived_ore > 0) AS households
         FROM fee_waiver_semesters
        WHERE tenant = $1 AND ($2::text IS NULL OR school_year = $2)
        GROUP BY school_year, term
        ORDER BY school_year, CASE term WHEN 'autumn' THEN 0 ELSE 1 END`,
      [tenant, schoolYear ?? null],
    );
    return rows.map((r) => ({
      schoolYear: r.school_year,
      term: r.term,
      waivedOre: Number(r.waived),
      households: Number(r.households),
    }));
  }

  /** The year's budget as the budget decider counts it: a released waiver keeps only what it used. */
  async budget(tenant: string, schoolYear: string) {
    const { rows } = await this.pool.query<{
      max_amount_ore: string | null;
      max_waivers: number | null;
      waivers: string;
      allocated: string;
      used: string;
      overrides: string;
    }>(
      `SELECT b.max_amount_ore, b.max_waivers,
              count(a.application_id) FILTER (WHERE a.active) AS waivers,
              coalesce(sum(CASE WHEN a.active THEN greatest(a.amount_ore, a.used_autumn_ore + a.used_spring_ore)
                                ELSE a.used_autumn_ore + a.used_spring_ore END), 0) AS allocated,
              coalesce(sum(a.used_autumn_ore + a.used_spring_ore), 0) AS used,
              count(a.application_id) FILTER (WHERE a.override_by IS NOT NULL) AS overrides
         FROM (SELECT $1::text AS tenant, $2::text AS school_year) y
         LEFT JOIN fee_waiver_budgets b ON b.tenant = y.tenant AND b.school_year = y.school_year
         LEFT JOIN fee_waiver_allocations a ON a.tenant = y.tenant AND a.school_year = y.school_year
        GROUP BY b.max_amount_ore, b.max_waivers`,
      [tenant, schoolYear],
    );
    const row = rows[0];
    const maxAmount = row?.max_amount_ore == null ? null : Number(row.max_amount_ore);
    const maxWaivers = row?.max_waivers ?? null;
    const allocated = Number(row?.allocated ?? 0);
    const waivers = Number(row?.waivers ?? 0);
    return {
      schoolYear,
      maxAmountOre: maxAmount,
      maxWaivers,
      waivers,
      allocatedOre: allocated,
      usedOre: Number(row?.used ?? 0),
      amountLeftOre: maxAmount === null ? null : maxAmount - allocated,
      waiversLeft: maxWaivers === null ? null : maxWaivers - waivers,
      overrides: Number(row?.overrides ?? 0),
    };
  }

  /** Applications not yet decided, oldest first, with their age by the service's clock. */
  async pending(tenant: string, schoolYear: string | undefined, now: Date, page: number, pageSize: number) {
    const { rows } = await this.pool.query<{
      total: string;
      items: { application_id: string; household_id: string; school_year: string; applied_at: string }[];
    }>(
      `WITH filtered AS (
         SELECT application_id, household_id, school_year, applied_at FROM fee_waiver_applications
          WHERE tenant = $1 AND status = 'pending' AND ($2::text IS NULL OR school_year = $2)
       )
       SELECT (SELECT count(*) FROM filtered) AS total,
              coalesce((SELECT json_agg(p) FROM (SELECT * FROM filtered ORDER BY applied_at, application_id
                                                  LIMIT $3 OFFSET $4) p), '[]') AS items`,
      [tenant, schoolYear ?? null, pageSize, (page - 1) * pageSize],
    );
    return pageOf(rows[0], page, pageSize, (r) => {
      const appliedAt = new Date(r.applied_at);
      return {
        applicationId: r.application_id,
        householdId: r.household_id,
        schoolYear: r.school_year,
        appliedAt: appliedAt.toISOString(),
        ageDays: Math.max(0, Math.floor((now.getTime() - appliedAt.getTime()) / DAY_MS)),
      };
    });
  }

  /**
   * Per district: the share of students (children with a place in the year) whose payer holds a waiver, against the
   * share of children in low-income households there (reference data; an estimate where no district figure exists).
   */
  async reach(tenant: string, schoolYear: string) {
    const { rows } = await this.pool.query<{
      district: string;
      students: string;
      with_waiver: string;
      reference: string | null;
      source: string | null;
    }>(
      `WITH students AS (
         SELECT DISTINCT pl.district, pl.child_id
           FROM fee_waiver_places pl
           JOIN fee_waiver_offerings o ON o.tenant = pl.tenant AND o.offering_id = pl.offering_id
          WHERE pl.tenant = $1 AND pl.active AND o.school_year = $2
       ), waived AS (
         SELECT DISTINCT py.child_id
           FROM fee_waiver_applications a
           JOIN fee_waiver_payers py ON py.tenant = a.tenant AND py.payer_id = a.household_id
          WHERE a.tenant = $1 AND a.status = 'granted' AND a.school_year = $2
       )
       SELECT s.district, count(*) AS students, count(w.child_id) AS with_waiver,
              r.share_percent AS reference, r.source
         FROM students s
         LEFT JOIN waived w ON w.child_id = s.child_id
         LEFT JOIN funding_low_income_reference r ON r.tenant = $1 AND r.district = s.district
        GROUP BY s.district, r.share_percent, r.source
        ORDER BY s.district`,
      [tenant, schoolYear],
    );
    return rows.map((r) => {
      const students = Number(r.students);
      const withWaiver = Number(r.with_waiver);
      return {
        district: r.district,
        students,
        studentsWithWaiver: withWaiver,
        waiverSharePercent: students === 0 ? 0 : Math.round((withWaiver / students) * 1000) / 10,
        lowIncomeReferencePercent:
          r.reference === null ? DEFAULT_LOW_INCOME_REFERENCE.sharePercent : Number(r.reference),
        referenceSource: r.source ?? DEFAULT_LOW_INCOME_REFERENCE.source,
      };
    });
  }
}
