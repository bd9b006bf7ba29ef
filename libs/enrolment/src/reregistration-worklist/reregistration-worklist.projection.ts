import { osloDate } from '#libs/calendar';
import { ownedEvents, rows, type Projection, type RowChange } from '#libs/projections';
import type {
  OfferingOpened,
  PlaceQuitAtYearEnd,
  PlaceReregistered,
  PlaceReregistrationReminded,
  PlaceReregistrationRequested,
  PlaceTransferredOut,
  PlaceWithdrawn,
} from '../domain/index.js';

type Handled =
  | OfferingOpened
  | PlaceReregistrationRequested
  | PlaceReregistrationReminded
  | PlaceReregistered
  | PlaceQuitAtYearEnd
  | PlaceWithdrawn
  | PlaceTransferredOut;

// Enrolment's events, trusted only from enrolment's streams.
const { eventTypes, isOwned } = ownedEvents<Handled>({
  OfferingOpened: 'enrolment',
  PlaceReregistrationRequested: 'enrolment',
  PlaceReregistrationReminded: 'enrolment',
  PlaceReregistered: 'enrolment',
  PlaceQuitAtYearEnd: 'enrolment',
  PlaceWithdrawn: 'enrolment',
  PlaceTransferredOut: 'enrolment',
});

/**
 * Rule 6's yearly re-registration of places, one row per place asked: its deadline, and the answer when one came
 * (a family's reply, or the policy's silence after the deadline). The caseworkers' worklist of places not answered
 * by their deadline is a query over it. Ids only: names stay in the people register.
 */
export const reregistrationWorklistProjection: Projection = {
  name: 'place_reregistrations',
  version: 1,
  eventTypes,
  tables: [
    {
      name: 'reregistration_offerings',
      columns: { offering_id: 'text', subject: 'text', location: 'text', school_year: 'text' },
      key: ['offering_id'],
    },
    {
      name: 'place_reregistrations',
      columns: {
        place_id: 'text',
        offering_id: 'text',
        student_id: 'text',
        school_year: 'text',
        /** The last day to answer (YYYY-MM-DD, inclusive). */
        deadline: 'date',
        requested_on: 'date',
        reminded_on: 'date',
        /** 'reply' or 'silence'; null while unanswered. */
        answer: 'text',
        continues: 'boolean',
        answered_at: 'timestamptz',
        /** The place's last day when it ended otherwise (withdrawn, transferred). */
        place_ended_on: 'date',
      },
      key: ['place_id'],
      indexes: [['school_year', 'deadline']],
    },
  ],
  handle: (event) => (isOwned(event) ? reregistrationRows(event) : []),
};

const answered = (
  placeId: string,
  answer: 'reply' | 'silence',
  continues: boolean,
  answeredAt: string,
): RowChange[] => [
  rows.update('place_reregistrations', { place_id: placeId }, { answer, continues, answered_at: answeredAt }),
];

const reregistrationRows = (event: Handled): RowChange[] => {
  switch (event.type) {
    case 'OfferingOpened': {
      const { offeringId, subject, location, schoolYear } = event.data;
      return [
        rows.upsert(
          'reregistration_offerings',
          { offering_id: offeringId },
          { subject, location, school_year: schoolYear },
        ),
      ];
    }
    case 'PlaceReregistrationRequested': {
      const { placeId, offeringId, studentId, schoolYear, deadline, requestedAt } = event.data;
      return [
        rows.upsert(
          'place_reregistrations',
          { place_id: placeId },
          {
            ...{ offering_id: offeringId, student_id: studentId, school_year: schoolYear, deadline },
            ...{ requested_on: osloDate(requestedAt), reminded_on: null, answer: null, continues: null },
            ...{ answered_at: null, place_ended_on: null },
          },
        ),
      ];
    }
    case 'PlaceReregistrationReminded':
      return [
        rows.update(
          'place_reregistrations',
          { place_id: event.data.placeId },
          { reminded_on: osloDate(event.data.remindedAt) },
        ),
      ];
    case 'PlaceReregistered':
      return answered(event.data.placeId, event.data.answer, true, event.data.answeredAt);
    case 'PlaceQuitAtYearEnd':
      return answered(event.data.placeId, event.data.answer, false, event.data.answeredAt);
    case 'PlaceWithdrawn':
      return [
        rows.update(
          'place_reregistrations',
          { place_id: event.data.placeId },
          { place_ended_on: event.data.effectiveOn },
        ),
      ];
    case 'PlaceTransferredOut':
      return [
        rows.update(
          'place_reregistrations',
          { place_id: event.data.placeId },
          { place_ended_on: event.data.effectiveOn },
        ),
      ];
  }
};
