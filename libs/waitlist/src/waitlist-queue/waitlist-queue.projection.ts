import type { RecordedEvent } from '#libs/event-store';
import { offeringDimensionColumns, offeringDimensions, type OfferingOpened } from '#libs/enrolment';
import { rows, type ColumnValue, type Projection, type RowChange } from '#libs/projections';
import type { ChildDimensions, WaitlistEvent } from '../domain/index.js';

type Handled = WaitlistEvent | OfferingOpened;
const EVENT_TYPES: readonly Handled['type'][] = [
  'OfferingOpened',
  'ApplicationSubmitted',
  'ApplicationWithdrawn',
  'UnconfirmedApplicationRemoved',
  'ApplicationReconfirmed',
  'PlaceOffered',
  'OfferAccepted',
  'OfferDeclined',
  'OfferLapsed',
  // New with the re-ranking (no stored events of it before), so version 1 needs no rebuild.
  'ApplicantPlacesChanged',
  'AdmissionRefused',
];

/** An applicant's dimensions as the read models keep them: gender 'unknown' and no district or school when not given. */
export const applicantDimensions = (dimensions: ChildDimensions | undefined) => ({
  gender: dimensions?.gender ?? 'unknown',
  district: dimensions?.district ?? null,
  school: dimensions?.school ?? null,
});

/**
 * The waitlist read model: one row per application with what orders it (the same keys the decider orders by), its
 * state and its current offer; offerings' dimensions beside them for counts per subject, group and district.
 * Positions and their reasons are computed at query time with the domain's own `orderQueue`, so the read model
 * explains exactly the order the waitlist offers seats in. No names here: they stay in the people register.
 */
export const waitlistQueueProjection: Projection = {
  name: 'waitlist_queue',
  // 2: admission_refusal (why enrolment refused the place an accepted offer was for) and passed_over (its rule, while
  // the kept child is passed over until its places change). 3: holds_place_in_subject (Lindesnes' first criterion).
  version: 3,
  eventTypes: EVENT_TYPES,
  tables: [
    {
      name: 'waitlist_offerings',
      columns: {
        offering_id: 'text',
        ...offeringDimensionColumns,
      },
      key: ['offering_id'],
    },
    {
      name: 'waitlist_entries',
      columns: {
        application_id: 'text',
        offering_id: 'text',
        child_id: 'text',
        applied_at: 'timestamptz',
        applied_on: 'text',
        born: 'text',
        special_needs: 'boolean',
        has_place: 'boolean',
        holds_place_in_subject: 'boolean',
        gender: 'text',
        district: 'text',
        school: 'text',
        status: 'text',
        status_at: 'timestamptz',
        confirmed_for: 'text',
        offer_id: 'text',
        offered_at: 'timestamptz',
        offer_deadline: 'timestamptz',
        offer_reasons: 'jsonb',
        admission_refusal: 'jsonb',
        passed_over: 'text',
        position: 'bigint',
      },
      key: ['application_id'],
      indexes: [['offering_id', 'status'], ['status', 'offer_deadline'], ['child_id']],
    },
  ],
  handle: (event) =>
    (EVENT_TYPES as readonly string[]).includes(event.type) ? entryRows(event as RecordedEvent & Handled) : [],
};

const entryRows = (event: RecordedEvent & Handled): RowChange[] => {
  const position = event.position;
  const entry = (applicationId: string, set: Record<string, ColumnValue>) =>
    rows.update('waitlist_entries', { application_id: applicationId }, { ...set, position });
  switch (event.type) {
    case 'OfferingOpened':
      return [
        rows.upsert('waitlist_offerings', { offering_id: event.data.offeringId }, offeringDimensions(event.data)),
      ];
    case 'ApplicationSubmitted': {
      const d = event.data;
      return [
        rows.upsert(
          'waitlist_entries',
          { application_id: d.applicationId },
          {
            offering_id: d.offeringId,
            child_id: d.childId,
            applied_at: d.appliedAt,
            applied_on: d.appliedOn,
            born: d.born,
            special_needs: d.specialNeeds,
            has_place: d.hasPlace,
            holds_place_in_subject: d.holdsPlaceInSubject ?? false,
            ...applicantDimensions(d.dimensions),
            status: 'waiting',
            status_at: event.metadata.occurredAt,
            confirmed_for: null,
            offer_id: null,
            offered_at: null,
            offer_deadline: null,
            offer_reasons: null,
            admission_refusal: null,
            passed_over: null,
            position,
          },
        ),
      ];
    }
    case 'ApplicationReconfirmed':
      // The latest school year the entry was reconfirmed for.
      return [entry(event.data.applicationId, { confirmed_for: event.data.schoolYear })];
    case 'ApplicationWithdrawn': {
      // A child who moved out of the municipality leaves the queue under that reason, not as a family's withdrawal.
      const status = event.data.reason === 'moved-out-of-municipality' ? 'moved-out' : 'withdrawn';
      return [entry(event.data.applicationId, { status, status_at: event.data.withdrawnAt })];
    }
    case 'UnconfirmedApplicationRemoved':
      return [entry(event.data.applicationId, { status: 'removed', status_at: event.data.removedAt })];
    case 'PlaceOffered': {
      const d = event.data;
      return [
        entry(d.applicationId, {
          status: 'offered',
          status_at: d.offeredAt,
          offer_id: d.offerId,
          offered_at: d.offeredAt,
          offer_deadline: d.deadline,
          offer_reasons: d.reasons,
        }),
      ];
    }
    case 'OfferAccepted':
      return [entry(event.data.applicationId, { status: 'accepted', status_at: event.data.acceptedAt })];
    case 'OfferDeclined':
      return [entry(event.data.applicationId, { status: 'declined', status_at: event.data.declinedAt })];
    case 'OfferLapsed':
      return [entry(event.data.applicationId, { status: 'lapsed', status_at: event.data.lapsedAt })];
    case 'ApplicantPlacesChanged':
      // A place given up: a child passed over after a refused admission may be offered a seat again.
      return [
        entry(event.data.applicationId, {
          has_place: event.data.hasPlace,
          ...(event.data.placeGivenUp ? { passed_over: null } : {}),
        }),
      ];
    case 'AdmissionRefused': {
      // Kept: the child waits again where it stood (its application date is unchanged); ended: the entry is closed.
      const { applicationId, offerId, refusal, entry: kept, refusedAt } = event.data;
      const refused = { offerId, ...refusal, at: refusedAt };
      return [
        entry(applicationId, {
          ...(kept === 'kept'
            ? {
                ...{ status: 'waiting', offer_id: null, offered_at: null, offer_deadline: null, offer_reasons: null },
                passed_over: refusal.code,
              }
            : { status: 'refused' }),
          status_at: refusedAt,
          admission_refusal: refused,
        }),
      ];
    }
    default:
      return [];
  }
};
