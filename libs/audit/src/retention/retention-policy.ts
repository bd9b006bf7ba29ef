/**
 * What happens to each stored event type over time. Events are never deleted (the store is append-only and hash
 * chained) and hold no personal data, only pseudonymous ids; what retention ends is the personal data those ids
 * point to in the people register. `record` says whether archive rules require the fact itself to be kept as a
 * record of a decision or a fee line (`archive`), or whether it is operational history (`operational`), kept
 * because the stream needs it to replay. `purpose` says whether the event opens or closes a purpose for which a
 * subject's personal data is held.
 */
export type RecordClass = 'archive' | 'operational';

export type Purpose = 'application' | 'place' | 'fee-waiver-case';

export interface EventRetention {
  eventType: string;
  record: RecordClass;
  /** One line: the rule or the reason behind `record`. */
  why: string;
  /** Fields of the event's data holding pseudonymous data-subject ids: the event is activity of those subjects. */
  subjects: readonly string[];
  /** The event opens or closes a purpose, identified by the value of `key` in its data. */
  purpose?: { purpose: Purpose; key: string; effect: 'opens' | 'closes' };
  /** The event makes `holder`'s data needed as long as `for` has an open purpose (a payer, while its child has a place). */
  heldFor?: { holder: string; for: string };
}

export interface RetentionPolicy {
  /** Personal data is erased this long after a subject's last event, once none of its purposes is open. */
  yearsAfterPurposeEnds: number;
  events: readonly EventRetention[];
}

const ARCHIVE_PLACE = 'a decision on a place (offer, enrolment, withdrawal): an archive record of the school';
const ARCHIVE_WAIVER = 'a decision on a fee waiver: an archive record of the municipality';
const OPERATIONAL = 'operational history; kept so the stream replays';

/** Operational history, activity of `subjects` (none by default). */
const operational = (eventType: string, subjects: readonly string[] = []): EventRetention => ({
  eventType,
  record: 'operational',
  why: OPERATIONAL,
  subjects,
});

/** A decision on a student's place, which opens or closes the place's purpose. */
const placeDecision = (eventType: string, effect: 'opens' | 'closes'): EventRetention => ({
  eventType,
  record: 'archive',
  why: ARCHIVE_PLACE,
  subjects: ['studentId'],
  purpose: { purpose: 'place', key: 'placeId', effect },
});

const closesApplication = (eventType: string, why = OPERATIONAL): EventRetention => ({
  eventType,
  record: 'operational',
  why,
  subjects: ['childId'],
  purpose: { purpose: 'application', key: 'applicationId', effect: 'closes' },
});

/** The default (Trondheim): personal data is kept 3 years after the last activity of a subject with no open purpose. */
export const defaultRetentionPolicy: RetentionPolicy = {
  yearsAfterPurposeEnds: 3,
  events: [
    // waitlist
    operational('WaitlistOpened'),
    {
      eventType: 'ApplicationSubmitted',
      record: 'operational',
      why: OPERATIONAL,
      subjects: ['childId'],
      purpose: { purpose: 'application', key: 'applicationId', effect: 'opens' },
    },
    operational('ApplicationReconfirmed', ['childId']),
    closesApplication('ApplicationWithdrawn'),
    closesApplication('UnconfirmedApplicationRemoved'),
    { eventType: 'PlaceOffered', record: 'archive', why: ARCHIVE_PLACE, subjects: ['childId'] },
    // The application ends with the answer: an accepted offer becomes a place (PlaceEnrolled opens that purpose).
    { ...closesApplication('OfferAccepted'), record: 'archive', why: ARCHIVE_PLACE },
    { ...closesApplication('OfferDeclined'), record: 'archive', why: ARCHIVE_PLACE },
    { ...closesApplication('OfferLapsed'), record: 'archive', why: ARCHIVE_PLACE },
    // A refused admission is a decision about a place; the child's entry usually stays, so the purpose stays open.
    { eventType: 'AdmissionRefused', record: 'archive', why: ARCHIVE_PLACE, subjects: ['childId'] },
    operational('MainAdmissionRun'),
    operational('SeatsFreed'),
    operational('SeatsTaken'),
    operational('ApplicantPlacesChanged', ['childId']),
    // enrolment
    {
      eventType: 'OfferingOpened',
      record: 'archive',
      why: 'the school’s offer of teaching: statistics (GSI)',
      subjects: [],
    },
    operational('CapacityChanged'),
    {
      eventType: 'OfferingFeeChanged',
      record: 'archive',
      why: 'the price list a semester was billed by: basis of the fee lines (bokføringsloven)',
      subjects: [],
    },
    operational('OfferingClosed'),
    operational('SeatsReleased'),
    operational('SeatReserved'),
    operational('SeatReservationReleased'),
    placeDecision('PlaceEnrolled', 'opens'),
    placeDecision('PlaceWithdrawn', 'closes'),
    placeDecision('PlaceTransferredOut', 'closes'),
    operational('PlacePutOnLeave', ['studentId']),
    operational('PlaceReturnedFromLeave', ['studentId']),
    operational('StudentPlaceTaken', ['studentId']),
    operational('StudentPlaceMoved', ['studentId']),
    operational('StudentPlaceGivenUp', ['studentId']),
    { eventType: 'SchoolJoinedKulturdag', record: 'archive', why: 'Kulturdag reach: statistics', subjects: [] },
    operational('KulturdagPupilRegistered', ['pupilId']),
    // funding
    {
      eventType: 'ChildPayerRegistered',
      record: 'archive',
      why: 'who is billed for a child: basis of the fee lines (bokføringsloven)',
      subjects: ['childId', 'payerId'],
      heldFor: { holder: 'payerId', for: 'childId' },
    },
    {
      eventType: 'FeeWaiverAppliedFor',
      record: 'archive',
      why: ARCHIVE_WAIVER,
      subjects: ['householdId'],
      purpose: { purpose: 'fee-waiver-case', key: 'applicationId', effect: 'opens' },
    },
    { eventType: 'FeeWaiverGranted', record: 'archive', why: ARCHIVE_WAIVER, subjects: ['householdId'] },
    ...(['FeeWaiverRejected', 'FeeWaiverRevoked', 'FeeWaiverExpired'] as const).map((eventType): EventRetention => ({
      eventType,
      record: 'archive',
      why: ARCHIVE_WAIVER,
      subjects: ['householdId'],
      purpose: { purpose: 'fee-waiver-case', key: 'applicationId', effect: 'closes' },
    })),
    {
      eventType: 'SemesterFeesAssessed',
      record: 'archive',
      why: 'fee lines: accounting records, kept 5 years by bokføringsloven §13 and in the archive',
      subjects: ['payerId'],
    },
    { eventType: 'WaiverBudgetSet', record: 'archive', why: 'a budget decision', subjects: [] },
    { eventType: 'WaiverAllocated', record: 'archive', why: ARCHIVE_WAIVER, subjects: [] },
    { eventType: 'WaiverReleased', record: 'archive', why: ARCHIVE_WAIVER, subjects: [] },
    { eventType: 'WaiverUseRecorded', record: 'archive', why: 'fee lines: accounting records', subjects: [] },
    // people and operations
    {
      eventType: 'PersonalDataErased',
      record: 'archive',
      why: 'the proof of an erasure: when, by whom and why',
      subjects: ['subjectId'],
    },
    operational('PersonRegistered', ['personId']),
    operational('NationalIdReplaced', ['personId']),
    {
      eventType: 'PersonMerged',
      record: 'archive',
      why: 'which registrations are one child: every count and history since follows it',
      subjects: ['from', 'into'],
    },
    {
      eventType: 'PolicyRulesSet',
      record: 'archive',
      why: 'the municipality’s rules for a school year: what every decision under them was made by',
      subjects: [],
    },
    ...(['RegisterEntryAdded', 'RegisterEntryChanged', 'RegisterEntryRetired'] as const).map(
      (eventType): EventRetention => ({
        eventType,
        record: 'archive',
        why: 'the municipality’s districts, centres, schools and subjects: what every request was checked against',
        subjects: [],
      }),
    ),
    {
      eventType: 'MasterKeyRotated',
      record: 'archive',
      why: 'key management: which master key protects personal data since when, and who rotated it',
      subjects: [],
    },
    // Refused process steps name ids and rules only (the aggregate's id is nested in `target`, not a subject field).
    ...(['AdmissionStepRefused', 'FundingStepRefused'] as const).map((eventType): EventRetention => ({
      eventType,
      record: 'operational',
      why: 'a process step a rule refused: operational history for the case workers who follow it up',
      subjects: [],
    })),
    {
      eventType: 'ProjectionEventSkipped',
      record: 'archive',
      why: 'an operator’s decision on a read model',
      subjects: [],
    },
  ],
};
