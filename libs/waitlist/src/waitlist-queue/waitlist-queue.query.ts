import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '#libs/database';
import { PeopleRegister, isErasedValue } from '#libs/personal-data';
import { AccessTrail, Clock, PG_POOL, type Principal } from '#libs/platform';
import { orderQueue, schoolYearOf, type QueueEntry } from '../domain/index.js';
import { WaitlistStreams } from '../shared/waitlist-streams.js';

interface EntryRow {
  application_id: string;
  offering_id: string;
  child_id: string;
  applied_at: Date;
  applied_on: string;
  born: string;
  special_needs: boolean;
  has_place: boolean;
  holds_place_in_subject: boolean | null;
  gender: string;
  district: string | null;
  status: string;
  offer_id: string | null;
  offer_deadline: Date | null;
  passed_over: string | null;
  admission_refusal: { offerId: string; code: string; message: string; at: string } | null;
  subject: string | null;
  subject_group: string | null;
  location: string | null;
  school_year: string | null;
}

export interface QueueFilter {
  offeringId?: string;
  subjectGroup?: string;
  district?: string;
  withNames?: boolean;
}

export interface Freshness {
  position: string;
  lastEventAt: string | null;
}

const DAY = 86_400_000;

/**
 * Queries over the waitlist read model. Positions come from the domain's `orderQueue` with the current school
 * year's policy, so a case worker sees the order seats will actually be offered in, and why.
 */
@Injectable()
export class WaitlistQueueQuery {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly waitlists: WaitlistStreams,
    private readonly people: PeopleRegister,
    private readonly trail: AccessTrail,
  ) {}

  // Freshness is read before the rows in each query: it may then understate how fresh the rows are, never overstate it.
  async queue(principal: Principal, filter: QueueFilter, page: { offset: number; limit: number }) {
    const freshness = await this.freshness();
    // Positions are ranked over each offering's whole queue; a district only picks rows from it afterwards.
    const { district, ...wholeQueues } = filter;
    const rows = await this.entries(principal.tenant, ['waiting'], wholeQueues);
    // Each offering's queue under its own school year's order, as the waitlist offers its seats (today's year when the
    // offering has none).
    const policies = await this.waitlists.policiesFor(principal.tenant);
    const currentYear = schoolYearOf(this.clock.now().toISOString());
    const byOffering = new Map<string, (EntryRow & QueueEntry)[]>();
    for (const row of rows) {
      const entry = {
        ...row,
        applicationId: row.application_id,
        childId: row.child_id,
        appliedAt: row.applied_at.toISOString(),
        appliedOn: row.applied_on,
        specialNeeds: row.special_needs,
        hasPlace: row.has_place,
        holdsPlaceInSubject: row.holds_place_in_subject === true,
      };
      byOffering.set(row.offering_id, [...(byOffering.get(row.offering_id) ?? []), entry]);
    }
    const ranked = [...byOffering.values()]
      .flatMap((entries) => orderQueue(entries, policies(entries[0]?.school_year ?? currentYear)))
      .filter((entry) => district === undefined || entry.district === district)
      .sort((a, b) => a.offering_id.localeCompare(b.offering_id) || a.position - b.position);
    const now = this.clock.now().getTime();
    const items = await Promise.all(
      ranked.slice(page.offset, page.offset + page.limit).map(async (entry) => ({
        offeringId: entry.offering_id,
        subject: entry.subject,
        subjectGroup: entry.subject_group,
        location: entry.location,
        applicationId: entry.application_id,
        childId: entry.child_id,
        ...(filter.withNames ? { childName: await this.nameOf(principal, entry.child_id) } : {}),
        position: entry.position,
        reasons: entry.reasons,
        // Enrolment refused this child an accepted place: it keeps its position but no seat is offered to it until
        // its places change (the rule's code says why).
        passedOver: entry.passed_over,
        lastAdmissionRefusal: entry.admission_refusal,
        appliedOn: entry.applied_on,
        waitingDays: Math.floor((now - entry.applied_at.getTime()) / DAY),
        district: entry.district,
      })),
    );
    return { total: ranked.length, offset: page.offset, limit: page.limit, items, freshness };
  }

  /** Outstanding offers, the nearest deadline first, a page of them; names only when asked (each read recorded). */
  async offers(principal: Principal, filter: QueueFilter, page: { offset: number; limit: number }) {
    const freshness = await this.freshness();
    const rows = await this.entries(principal.tenant, ['offered'], filter);
    const sorted = rows.sort(
      (a, b) =>
        (a.offer_deadline?.getTime() ?? 0) - (b.offer_deadline?.getTime() ?? 0) ||
        a.application_id.localeCompare(b.application_id),
    );
    const items = await Promise.all(
      sorted.slice(page.offset, page.offset + page.limit).map(async (row) => ({
        offeringId: row.offering_id,
        subject: row.subject,
        applicationId: row.application_id,
        childId: row.child_id,
        ...(filter.withNames ? { childName: await this.nameOf(principal, row.child_id) } : {}),
        offerId: row.offer_id,
        deadline: row.offer_deadline?.toISOString() ?? null,
      })),
    );
    return { total: sorted.length, offset: page.offset, limit: page.limit, items, freshness };
  }

  /** Counts per subject, subject group, district and age, and the median and longest wait, in days. */
  async summary(principal: Principal) {
    const freshness = await this.freshness();
    const rows = await this.entries(principal.tenant, ['waiting'], {});
    const now = this.clock.now();
    const count = (key: (row: EntryRow) => string | null) =>
      rows.reduce<Record<string, number>>((counts, row) => {
        const k = key(row) ?? 'unknown';
        counts[k] = (counts[k] ?? 0) + 1;
        return counts;
      }, {});
    const waits = rows.map((row) => Math.floor((now.getTime() - row.applied_at.getTime()) / DAY)).sort((a, b) => a - b);
    const median =
      waits.length === 0
        ? null
        : waits.length % 2
          ? (waits[(waits.length - 1) / 2] ?? null)
          : ((waits[waits.length / 2 - 1] ?? 0) + (waits[waits.length / 2] ?? 0)) / 2;
    return {
      waiting: rows.length,
      bySubject: count((r) => r.subject),
      bySubjectGroup: count((r) => r.subject_group),
      byDistrict: count((r) => r.district),
      byAge: count((r) => String(now.getUTCFullYear() - Number(r.born.slice(0, 4)))),
      medianWaitingDays: median,
      longestWaitingDays: waits.at(-1) ?? null,
      freshness,
    };
  }

  // Names only for case workers and admins, and each read of one is itself recorded.
  private async nameOf(principal: Principal, childId: string): Promise<string> {
    await this.trail.recordRead(principal, 'read child name (waitlist)', childId);
    const { name } = await this.people.read(principal.tenant, childId, ['name']);
    return name === undefined ? '' : isErasedValue(name) ? '[erased]' : name;
  }

  private async entries(tenant: string, statuses: string[], filter: QueueFilter): Promise<EntryRow[]> {
    const { rows } = await this.pool.query<EntryRow>(
      `SELECT e.application_id, e.offering_id, e.child_id, e.applied_at, e.applied_on, e.born, e.special_needs,
              e.has_place, e.holds_place_in_subject, e.gender, e.district, e.status, e.offer_id, e.offer_deadline, e.passed_over,
              e.admission_refusal,
              o.subject, o.subject_group, o.location, o.school_year
         FROM waitlist_entries e
         LEFT JOIN waitlist_offerings o ON o.tenant = e.tenant AND o.offering_id = e.offering_id
        WHERE e.tenant = $1 AND e.status = ANY ($2)
          AND ($3::text IS NULL OR e.offering_id = $3)
          AND ($4::text IS NULL OR o.subject_group = $4)
          AND ($5::text IS NULL OR e.district = $5)`,
      [tenant, statuses, filter.offeringId ?? null, filter.subjectGroup ?? null, filter.district ?? null],
    );
    return rows;
  }

  private async freshness(): Promise<Freshness> {
    const { rows } = await this.pool.query<{ position: string; last_event_at: Date | null }>(
      `SELECT c.position::text AS position, c.last_event_at FROM projection_live l
         JOIN projection_checkpoints c ON c.table_set = l.table_set WHERE l.projection = 'waitlist_queue'`,
    );
    return { position: rows[0]?.position ?? '0', lastEventAt: rows[0]?.last_event_at?.toISOString() ?? null };
  }
}
