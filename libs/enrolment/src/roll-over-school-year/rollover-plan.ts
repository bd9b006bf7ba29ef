import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import { EVENT_STORE, eventIdFor, PG_POOL } from '#libs/platform';
import { isSchoolYear } from '#libs/calendar';
import {
  evolve,
  evolveStudent,
  feeInForceOn,
  initialStudent,
  initialOffering,
  nextSchoolYear,
  SchoolYearHasNoOfferings,
  SchoolYearIsInvalid,
  type ExistingOffering,
  type Offering,
  type OfferingDetails,
  type OfferingEvent,
  type Student,
  type StudentEvent,
} from '../domain/index.js';
import { studentStream } from '../shared/enrolment-streams.js';
import { offeringStream } from '../shared/offering-stream.js';

/** One of the next school year's offerings as the rollover proposes it from the previous year's. */
export interface ProposedOffering {
  fromOfferingId: string;
  /** Derived from the previous offering and the year, so a rollover run twice opens it once. */
  offeringId: string;
  details: OfferingDetails;
  capacity: number;
  /** Places that go on into it: every place held that did not quit, by its new place id. */
  continuingPlaces: { placeId: string; toPlaceId: string; studentId: string | null }[];
  /** Places that end with the year (quit, rule 6). */
  quittingPlaces: number;
  /** Whether the rollover already opened it. */
  opened: boolean;
}

export const rolloverOfferingId = (fromOfferingId: string, schoolYear: string): string =>
  eventIdFor(fromOfferingId, `rollover-${schoolYear}`, 0);
export const continuedPlaceId = (placeId: string, schoolYear: string): string =>
  eventIdFor(placeId, `continue-${schoolYear}`, 0);

/**
 * The next school year proposed from the last one. Which offerings the last year had comes from the offerings read
 * model; what each holds (details, fee in force on 1 August, places and their answers) from its own stream.
 */
@Injectable()
export class RolloverPlan {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async offering(tenant: string, offeringId: string): Promise<Offering> {
    const events = await this.store.readStream(offeringStream(tenant, offeringId));
    return events.reduce<Offering>(
      (state, e) => evolve(state, { type: e.type, data: e.data } as OfferingEvent),
      initialOffering,
    );
  }

  async student(tenant: string, studentId: string): Promise<Student> {
    const events = await this.store.readStream(studentStream(tenant, studentId));
    return events.reduce<Student>(
      (state, e) => evolveStudent(state, { type: e.type, data: e.data } as StudentEvent),
      initialStudent,
    );
  }

  async propose(tenant: string, next: string): Promise<ProposedOffering[]> {
    const first = Number(next.slice(0, 4));
    if (!isSchoolYear(next) || first < 2001 || first > 2098) throw new SchoolYearIsInvalid(next);
    const previous = `${Number(next.slice(0, 4)) - 1}-${next.slice(0, 4)}`;
    const { rows } = await this.pool.query<{ offering_id: string }>(
      `SELECT offering_id FROM offerings WHERE tenant = $1 AND school_year = $2 ORDER BY offering_id`,
      [tenant, previous],
    );
    const proposals: ProposedOffering[] = [];
    for (const { offering_id: fromOfferingId } of rows) {
      const state = await this.offering(tenant, fromOfferingId);
      if (state.status === 'NotOpened' || nextSchoolYear(state.details.schoolYear) !== next) continue;
      const offeringId = rolloverOfferingId(fromOfferingId, next);
      proposals.push({
        fromOfferingId,
        offeringId,
        details: { ...state.details, schoolYear: next, feePerSemesterOre: feeOnFirstDay(state, next) },
        capacity: state.capacity,
        continuingPlaces: continuing(state, next),
        quittingPlaces: Object.values(state.reregistration ?? {}).filter((r) => r === 'Quitting').length,
        opened: (await this.offering(tenant, offeringId)).status !== 'NotOpened',
      });
    }
    if (proposals.length === 0) throw new SchoolYearHasNoOfferings(previous);
    return proposals;
  }
}

const feeOnFirstDay = (state: ExistingOffering, next: string): number =>
  feeInForceOn(state.details.feePerSemesterOre, state.fees ?? [], `${next.slice(0, 4)}-08-01`);

/** Places held and not quitting, and those already continued (a second run proposes what the first did). */
const continuing = (state: ExistingOffering, next: string): ProposedOffering['continuingPlaces'] => [
  ...Object.entries(state.continued ?? {}).map(([placeId, toPlaceId]) => ({ placeId, toPlaceId, studentId: null })),
  ...Object.values(state.places)
    .filter((place) => state.reregistration?.[place.placeId] !== 'Quitting')
    .map(({ placeId, studentId }) => ({ placeId, toPlaceId: continuedPlaceId(placeId, next), studentId })),
];
