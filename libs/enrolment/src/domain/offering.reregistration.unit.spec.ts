import { describe, expect, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import * as refusals from './enrolment.errors.js';
import { enrolmentPolicies, reregistrationDays, trondheimEnrolmentPolicy } from './enrolment.policy.js';
import { offeringDecider } from './offering.decider.js';
import type { OfferingCommand, OfferingDetails } from './offering.commands.js';
import type { OfferingEvent } from './offering.events.js';

// Rule 6 and rollover, from the rule's words: every spring every place is asked to continue or quit by the deadline;
// a quit takes effect at the school year's end; silence follows a policy; the rollover continues the rest.
const given = DeciderSpecification.for(offeringDecider);
const offeringId = 'guitar-2025';
const nextOfferingId = 'guitar-2026';
const schoolYear = '2025-2026';
const OPENED = '2025-06-01T10:00:00.000Z';
const APRIL = '2026-04-01T06:00:00.000Z';
const ANSWERED = '2026-04-10T12:00:00.000Z';
const MAY = '2026-05-02T06:00:00.000Z';
const ROLLOVER = '2026-05-20T08:00:00.000Z';
const deadline = '2026-05-01';
const command = (type: OfferingCommand['type'], data: object, now: string) =>
  ({ type, data, metadata: { now } }) as OfferingCommand;

const details = (year: string): OfferingDetails => ({
  subject: 'Gitar',
  subjectGroup: 'music',
  programme: 'core',
  location: 'Ranheim',
  district: 'Østbyen',
  form: 'group',
  feePerSemesterOre: 210_500,
  schoolYear: year,
});
const opened: OfferingEvent = {
  type: 'OfferingOpened',
  data: { ...details(schoolYear), offeringId, capacity: 3, openedAt: OPENED },
};
const enrolled = (n: number, into = offeringId, extra: object = {}): OfferingEvent => ({
  type: 'PlaceEnrolled',
  data: {
    ...{ studentId: `student-${n}`, birthYear: 2014, gender: 'female', district: 'Østbyen', school: 'Ranheim skole' },
    ...{ offeringId: into, placeId: `place-${n}`, subjectGroup: 'music', programme: 'core' },
    ...{ enrolledAt: OPENED, startsOn: '2025-08-01', viaOfferId: null, transferredFrom: null },
    ...extra,
  },
});
const requested = (n: number): OfferingEvent => ({
  type: 'PlaceReregistrationRequested',
  data: { offeringId, placeId: `place-${n}`, studentId: `student-${n}`, schoolYear, deadline, requestedAt: APRIL },
});
const reregistered = (n: number, answer: 'reply' | 'silence', answeredAt: string): OfferingEvent => ({
  type: 'PlaceReregistered',
  data: { offeringId, placeId: `place-${n}`, studentId: `student-${n}`, schoolYear, answer, answeredAt },
});
const quit = (n: number, answer: 'reply' | 'silence', answeredAt: string): OfferingEvent => ({
  type: 'PlaceQuitAtYearEnd',
  data: {
    ...{ offeringId, placeId: `place-${n}`, studentId: `student-${n}`, schoolYear, lastDay: '2026-07-31' },
    ...{ answer, answeredAt },
  },
});
// Notice in spring for a last day of 31 July: nothing after spring 2026 is owed (rule 7).
const withdrawnAtYearEnd = (n: number, noticeOn: string): OfferingEvent => ({
  type: 'PlaceWithdrawn',
  data: {
    ...{ offeringId, placeId: `place-${n}`, studentId: `student-${n}`, effectiveOn: '2026-07-31', noticeOn },
    nextSemester: { schoolYear: '2026-2027', term: 'autumn' },
    deadline: '2026-08-10',
    afterDeadline: false,
    lastSemesterOwed: { schoolYear, term: 'spring' },
    seatHeldThrough: '2026-07-31',
  },
});
const continued = (n: number): OfferingEvent => ({
  type: 'PlaceContinued',
  data: {
    ...{ offeringId, placeId: `place-${n}`, studentId: `student-${n}`, toOfferingId: nextOfferingId },
    ...{ toPlaceId: `next-place-${n}`, lastDay: '2026-07-31', continuedAt: ROLLOVER, seatHeldThrough: '2026-07-31' },
  },
});
const continuePlace = (n: number) =>
  command(
    'ContinuePlace',
    { placeId: `place-${n}`, toOfferingId: nextOfferingId, toPlaceId: `next-place-${n}` },
    ROLLOVER,
  );

describe('re-registration of places (rule 6)', () => {
  const twoPlaces = [opened, enrolled(1), enrolled(2)];

  it('the spring deadline is 1 May by default, asked on 1 April', () =>
    expect(reregistrationDays(schoolYear, trondheimEnrolmentPolicy)).toEqual({
      requestOn: '2026-04-01',
      reminderOn: '2026-04-20',
      deadline: '2026-05-01',
    }));

  it('asks every place held to continue or quit by the deadline', () =>
    given(twoPlaces)
      .when(command('RequestReregistration', { deadline }, APRIL))
      .then([requested(1), requested(2)]));

  it('asks no place twice', () =>
    given([...twoPlaces, requested(1), requested(2)])
      .when(command('RequestReregistration', { deadline }, APRIL))
      .then([]));

  it('reminds only the places that have not answered', () =>
    given([...twoPlaces, requested(1), requested(2), reregistered(1, 'reply', ANSWERED)])
      .when(command('RemindReregistration', {}, '2026-04-20T06:00:00.000Z'))
      .then([
        {
          type: 'PlaceReregistrationReminded',
          data: {
            ...{ offeringId, placeId: 'place-2', studentId: 'student-2', schoolYear, deadline },
            remindedAt: '2026-04-20T06:00:00.000Z',
          },
        },
      ]));

  it('records a place that continues', () =>
    given([...twoPlaces, requested(1)])
      .when(command('Reregister', { placeId: 'place-1', continues: true }, ANSWERED))
      .then([reregistered(1, 'reply', ANSWERED)]));

  it('ends a place that quits at the school year’s end, owing no autumn', () =>
    given([...twoPlaces, requested(1)])
      .when(command('Reregister', { placeId: 'place-1', continues: false }, ANSWERED))
      .then([quit(1, 'reply', ANSWERED), withdrawnAtYearEnd(1, '2026-04-10')]));

  it('does not let a place that quit continue after all', () =>
    given([...twoPlaces, requested(1), quit(1, 'reply', ANSWERED), withdrawnAtYearEnd(1, '2026-04-10')])
      .when(command('Reregister', { placeId: 'place-1', continues: true }, ANSWERED))
      .thenThrows(refusals.PlaceNotFound));

  it('records nothing when a continuing place says so again', () =>
    given([...twoPlaces, requested(1), reregistered(1, 'reply', ANSWERED)])
      .when(command('Reregister', { placeId: 'place-1', continues: true }, ANSWERED))
      .then([]));

  describe('silence at the deadline', () => {
    const asked = [...twoPlaces, requested(1), requested(2), reregistered(1, 'reply', ANSWERED)];

    it('continues the place when the policy says silence continues (Trondheim)', () =>
      given(asked)
        .when(command('ApplyReregistrationSilence', { silence: 'continue' }, MAY))
        .then([reregistered(2, 'silence', MAY)]));

    it('ends the place at the year’s end when the policy says silence quits', () =>
      given(asked)
        .when(command('ApplyReregistrationSilence', { silence: 'quit' }, MAY))
        .then([quit(2, 'silence', MAY), withdrawnAtYearEnd(2, '2026-05-02')]));

    it('applies once: a second run finds nobody silent', () =>
      given([...asked, reregistered(2, 'silence', MAY)])
        .when(command('ApplyReregistrationSilence', { silence: 'quit' }, MAY))
        .then([]));

    it('is Trondheim’s default: continue', () =>
      expect(enrolmentPolicies()(schoolYear).silenceOnReregistration).toBe('continue'));
  });
});

describe('rollover of a place', () => {
  it('continues a place into the next school year’s offering, its seat held through 31 July', () =>
    given([opened, enrolled(1), requested(1), reregistered(1, 'reply', ANSWERED)])
      .when(continuePlace(1))
      .then([continued(1)]));

  it('continues a place that was never asked (no re-registration that year)', () =>
    given([opened, enrolled(1)])
      .when(continuePlace(1))
      .then([continued(1)]));

  it('does not continue a place that quit', () =>
    given([opened, enrolled(1), enrolled(2), quit(1, 'reply', ANSWERED)])
      .when(continuePlace(1))
      .thenThrows(refusals.PlaceIsQuittingAtYearEnd));

  it('is idempotent: a rollover run twice continues nothing twice', () =>
    given([opened, enrolled(1), continued(1)])
      .when(continuePlace(1))
      .then([]));

  describe('in the next year’s offering', () => {
    const successor: OfferingEvent = {
      type: 'OfferingOpened',
      data: {
        ...details('2026-2027'),
        offeringId: nextOfferingId,
        capacity: 1,
        openedAt: ROLLOVER,
        continuesOfferingId: offeringId,
      },
    };
    const enrolContinuing = (from: string) =>
      command(
        'Enrol',
        {
          ...{
            studentId: 'student-1',
            birthYear: 2014,
            gender: 'female',
            district: 'Østbyen',
            school: 'Ranheim skole',
          },
          ...{ placeId: 'next-place-1', viaOfferId: null, transferredFrom: null },
          continuesFrom: { offeringId: from, placeId: 'place-1' },
        },
        ROLLOVER,
      );

    it('enrols the continuing place from 1 August', () =>
      given([successor])
        .when(enrolContinuing(offeringId))
        .then([
          {
            type: 'PlaceEnrolled',
            data: {
              ...{ studentId: 'student-1', birthYear: 2014, gender: 'female', district: 'Østbyen' },
              ...{ school: 'Ranheim skole', transferredFrom: null },
              continuesFrom: { offeringId, placeId: 'place-1' },
              ...{ placeId: 'next-place-1', viaOfferId: null, offeringId: nextOfferingId },
              ...{ subjectGroup: 'music', programme: 'core', enrolledAt: ROLLOVER, startsOn: '2026-08-01' },
            },
          },
        ]));

    it('refuses a place from an offering it does not continue', () =>
      given([successor]).when(enrolContinuing('piano-2025')).thenThrows(refusals.PlaceDoesNotContinueThisOffering));

    it('refuses a continuing place once its seats are all held', () =>
      given([successor, enrolled(2, nextOfferingId)])
        .when(enrolContinuing(offeringId))
        .thenThrows(refusals.OfferingIsFull));
  });
});
