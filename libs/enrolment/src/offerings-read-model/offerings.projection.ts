import type { RecordedEvent } from '#libs/event-store';
import { rows, type Projection, type RowChange } from '#libs/projections';
import type {
  CapacityChanged,
  OfferingClosed,
  OfferingOpened,
  PlaceContinued,
  PlaceEnrolled,
  PlaceWithdrawn,
} from '../domain/index.js';

type OfferingsEvent =
  OfferingOpened | CapacityChanged | OfferingClosed | PlaceEnrolled | PlaceWithdrawn | PlaceContinued;
const EVENT_TYPES: readonly OfferingsEvent['type'][] = [
  'OfferingOpened',
  'CapacityChanged',
  'OfferingClosed',
  'PlaceEnrolled',
  'PlaceWithdrawn',
  'PlaceContinued',
];

const isOfferingsEvent = (event: RecordedEvent): event is RecordedEvent<OfferingsEvent['type']> & OfferingsEvent =>
  (EVENT_TYPES as readonly string[]).includes(event.type);

/** The columns a read model keeps of an offering to slice by; the offerings, statistics and waitlist models share them. */
export const offeringDimensionColumns = {
  subject: 'text',
  subject_group: 'text',
  programme: 'text',
  location: 'text',
  district: 'text',
  school_year: 'text',
} as const;

/** The values of {@link offeringDimensionColumns} from the offering's opening. */
export const offeringDimensions = ({
  subject,
  subjectGroup,
  programme,
  location,
  district,
  schoolYear,
}: OfferingOpened['data']) => ({
  subject,
  subject_group: subjectGroup,
  programme,
  location,
  district,
  school_year: schoolYear,
});

/** Offerings with their free seats, and the places held in each: the runner's worked example on enrolment events. */
export const offeringsProjection: Projection & { eventTypes: readonly string[] } = {
  name: 'offerings',
  version: 1,
  eventTypes: EVENT_TYPES,
  tables: [
    {
      name: 'offerings',
      columns: {
        offering_id: 'text',
        ...offeringDimensionColumns,
        capacity: 'integer',
        places_held: 'integer',
        status: 'text',
        opened_at: 'timestamptz',
        closed_at: 'timestamptz',
        position: 'bigint',
      },
      key: ['offering_id'],
      indexes: [['school_year', 'district']],
    },
    {
      name: 'offering_places',
      columns: {
        place_id: 'text',
        offering_id: 'text',
        student_id: 'text',
        programme: 'text',
        enrolled_at: 'timestamptz',
      },
      key: ['place_id'],
      indexes: [['offering_id']],
    },
  ],
  handle: (event) => (isOfferingsEvent(event) ? offeringRows(event, event.position) : []),
};

const offeringRows = (event: OfferingsEvent, position: bigint): RowChange[] => {
  switch (event.type) {
    case 'OfferingOpened':
      return [
        rows.upsert(
          'offerings',
          { offering_id: event.data.offeringId },
          {
            ...offeringDimensions(event.data),
            capacity: event.data.capacity,
            places_held: 0,
            status: 'open',
            opened_at: event.data.openedAt,
            closed_at: null,
            position,
          },
        ),
      ];
    case 'CapacityChanged':
      return [
        rows.update('offerings', { offering_id: event.data.offeringId }, { capacity: event.data.capacity, position }),
      ];
    case 'OfferingClosed':
      return [
        rows.update(
          'offerings',
          { offering_id: event.data.offeringId },
          { status: 'closed', closed_at: event.data.closedAt, position },
        ),
      ];
    case 'PlaceEnrolled':
      return [
        rows.update('offerings', { offering_id: event.data.offeringId }, { position }, { places_held: 1 }),
        rows.upsert(
          'offering_places',
          { place_id: event.data.placeId },
          {
            offering_id: event.data.offeringId,
            student_id: event.data.studentId,
            programme: event.data.programme,
            enrolled_at: event.data.enrolledAt,
          },
        ),
      ];
    case 'PlaceWithdrawn':
    // A place continued into the next school year is held there now.
    case 'PlaceContinued':
      return [
        rows.update('offerings', { offering_id: event.data.offeringId }, { position }, { places_held: -1 }),
        rows.delete('offering_places', { place_id: event.data.placeId }),
      ];
  }
};
