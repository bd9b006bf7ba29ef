import type { OfferingOpened, PlaceEnrolled, PlaceTransferredOut, PlaceWithdrawn } from '#libs/enrolment';
import { ownedEvents, rows, type Projection, type RowChange } from '#libs/projections';
import type { ChildPayerRegistered } from '../domain/index.js';

/** The people register's record of an erasure (pseudonymous id only). */
type PersonalDataErased = { type: 'PersonalDataErased'; data: { subjectId: string; erasedAt: string } };

type UnbillablePlacesEvent =
  OfferingOpened | PlaceEnrolled | PlaceWithdrawn | PlaceTransferredOut | ChildPayerRegistered | PersonalDataErased;

// Each event type is trusted only from the context that owns it, as the relay does.
const OWNER: Record<UnbillablePlacesEvent['type'], 'enrolment' | 'funding' | 'people'> = {
  OfferingOpened: 'enrolment',
  PlaceEnrolled: 'enrolment',
  PlaceWithdrawn: 'enrolment',
  PlaceTransferredOut: 'enrolment',
  ChildPayerRegistered: 'funding',
  PersonalDataErased: 'people',
};

const { eventTypes: EVENT_TYPES, isOwned } = ownedEvents<UnbillablePlacesEvent>(OWNER);

/** The offering's semester fee in øre: stated in øre, or (before fees in øre) in whole kroner; null when none. */
export const feeOreOf = (data: object): number | null => {
  const { feePerSemesterOre, feePerSemesterNok } = data as { feePerSemesterOre?: unknown; feePerSemesterNok?: unknown };
  if (typeof feePerSemesterOre === 'number') return feePerSemesterOre;
  return typeof feePerSemesterNok === 'number' ? Math.round(feePerSemesterNok * 100) : null;
};

/**
 * The facts that decide whether a place can be billed: its offering (school year, fee), the child's payer and whether
 * that payer's personal data was erased. The worklist query joins them into reasons, so a registered payer removes a
 * row without the projection having to know which rows it touches. Ids only: no names anywhere in these tables.
 */
export const unbillablePlacesProjection: Projection = {
  name: 'unbillable_places',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: [
    {
      name: 'unbillable_places',
      columns: {
        place_id: 'text',
        offering_id: 'text',
        child_id: 'text',
        enrolled_at: 'timestamptz',
        active: 'boolean',
        withdrawn_on: 'date',
      },
      key: ['place_id'],
      indexes: [['child_id'], ['offering_id']],
    },
    {
      name: 'unbillable_offerings',
      columns: { offering_id: 'text', school_year: 'text', fee_ore: 'bigint' },
      key: ['offering_id'],
    },
    {
      name: 'unbillable_payers',
      columns: { child_id: 'text', payer_id: 'text', source: 'text', registered_at: 'timestamptz' },
      key: ['child_id'],
      indexes: [['payer_id']],
    },
    {
      name: 'unbillable_erased_subjects',
      columns: { subject_id: 'text', erased_at: 'timestamptz' },
      key: ['subject_id'],
    },
  ],
  handle: (event) => (isOwned(event) ? rowsOf(event) : []),
};

const rowsOf = (event: UnbillablePlacesEvent): RowChange[] => {
  switch (event.type) {
    case 'OfferingOpened':
      return [
        rows.upsert(
          'unbillable_offerings',
          { offering_id: event.data.offeringId },
          { school_year: event.data.schoolYear, fee_ore: feeOreOf(event.data) },
        ),
      ];
    case 'PlaceEnrolled': {
      const { placeId, offeringId, studentId, enrolledAt, transferredFrom } = event.data;
      return [
        // A transfer's new place carries on the old one: only the new place is billed from then on.
        ...(transferredFrom
          ? [rows.update('unbillable_places', { place_id: transferredFrom.placeId }, { active: false })]
          : []),
        rows.upsert(
          'unbillable_places',
          { place_id: placeId },
          {
            offering_id: offeringId,
            child_id: studentId,
            enrolled_at: enrolledAt,
            active: true,
            withdrawn_on: null,
          },
        ),
      ];
    }
    // A withdrawn place may still owe semesters (rule 7), so it stays on the worklist until someone pays for it.
    case 'PlaceWithdrawn':
      return [
        rows.update('unbillable_places', { place_id: event.data.placeId }, { withdrawn_on: event.data.effectiveOn }),
      ];
    case 'PlaceTransferredOut':
      return [rows.update('unbillable_places', { place_id: event.data.placeId }, { active: false })];
    case 'ChildPayerRegistered': {
      const { childId, payerId, source, registeredAt } = event.data;
      return [
        rows.upsert(
          'unbillable_payers',
          { child_id: childId },
          { payer_id: payerId, source: source ?? 'caseworker', registered_at: registeredAt },
        ),
      ];
    }
    case 'PersonalDataErased':
      return [
        rows.upsert(
          'unbillable_erased_subjects',
          { subject_id: event.data.subjectId },
          { erased_at: event.data.erasedAt },
        ),
      ];
  }
};
