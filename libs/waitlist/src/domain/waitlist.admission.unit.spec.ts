import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import type { WaitlistCommand } from './waitlist.commands.js';
import { createWaitlistDecider, waitlistDecider } from './waitlist.decider.js';
import * as refusals from './waitlist.errors.js';
import type { WaitlistEvent } from './waitlist.events.js';
import { waitlistPolicies } from './waitlist.policy.js';
import { offered, offeringId, submitted, type Applicant } from './waitlist.test-fixtures.js';

// Issue 12: main admission (rule 12), refused admissions, deadlines in Oslo days, rules of the offering's year.
const given = DeciderSpecification.for(waitlistDecider);
const givenPolicy = (overrides: Parameters<typeof waitlistPolicies>[0]) =>
  DeciderSpecification.for(createWaitlistDecider(waitlistPolicies(overrides)));
const command = (type: WaitlistCommand['type'], data: object, now: string) =>
  ({ type, data, metadata: { now } }) as WaitlistCommand;

const openedFor = (schoolYear: string): WaitlistEvent => ({
  type: 'WaitlistOpened',
  data: { offeringId, admission: 'queue', openedAt: '2026-01-10T08:00:00.000Z', schoolYear },
});
const ada: Applicant = { applicationId: 'app-ada', childId: 'child-ada', appliedOn: '2026-03-01', born: '2016-06' };
const bo: Applicant = { applicationId: 'app-bo', childId: 'child-bo', appliedOn: '2026-02-01', born: '2015-01' };
const SPRING = '2026-03-10T10:00:00.000Z';
const MAIN_DAY = '2026-06-15T08:00:00.000Z';
const ranRun: WaitlistEvent = {
  type: 'MainAdmissionRun',
  data: { offeringId, schoolYear: '2026-2027', runAt: SPRING },
};

describe('main admission (rule 12)', () => {
  const coming = [openedFor('2026-2027'), submitted(ada), submitted(bo)];

  it('keeps a coming school year’s seats from whoever applies first before the main admission', () =>
    given(coming)
      .when(command('OfferSeat', { offerId: 'offer-1' }, SPRING))
      .thenThrows(refusals.MainAdmissionHasNotRun, /2026-06-15/));

  it('runs once, when a caseworker asks, before its day', () =>
    given(coming)
      .when(command('RunMainAdmission', {}, SPRING))
      .then([ranRun]));

  it('records nothing when run again', () =>
    given([...coming, ranRun])
      .when(command('RunMainAdmission', {}, MAIN_DAY))
      .then([]));

  it('then offers in queue order: the earlier application first, whatever order they arrived in', () =>
    given([...coming, ranRun])
      .when(command('OfferSeat', { offerId: 'offer-1' }, SPRING))
      .then([
        offered('offer-1', bo, SPRING, '2026-03-17T23:00:00.000Z', [
          'has no place',
          'applied 2026-02-01',
          'born 2015-01',
        ]),
      ]));

  it('offers at once from its day on, run or not', () =>
    given(coming)
      .when(command('OfferSeat', { offerId: 'offer-1' }, MAIN_DAY))
      .then([
        offered('offer-1', bo, MAIN_DAY, '2026-06-22T22:00:00.000Z', [
          'has no place',
          'applied 2026-02-01',
          'born 2015-01',
        ]),
      ]));

  it('has nothing to run once the school year has begun: seats go as they come free', () =>
    given(coming)
      .when(command('RunMainAdmission', {}, '2026-09-01T08:00:00.000Z'))
      .thenThrows(refusals.NoMainAdmission));

  it('offers the current year’s seats at once', () =>
    given([openedFor('2025-2026'), submitted(ada)])
      .when(command('OfferSeat', { offerId: 'offer-1' }, SPRING))
      .then([
        offered('offer-1', ada, SPRING, '2026-03-17T23:00:00.000Z', [
          'has no place',
          'applied 2026-03-01',
          'born 2016-06',
        ]),
      ]));

  it('follows the coming year’s own main admission day', () =>
    givenPolicy({ '2026-2027': { mainAdmissionOn: { month: 5, day: 20 } } })(coming)
      .when(command('OfferSeat', { offerId: 'offer-1' }, '2026-05-20T06:00:00.000Z'))
      .then([
        offered('offer-1', bo, '2026-05-20T06:00:00.000Z', '2026-05-27T22:00:00.000Z', [
          'has no place',
          'applied 2026-02-01',
          'born 2015-01',
        ]),
      ]));
});

describe('an accepted offer that enrolment refused', () => {
  const NOW = '2025-09-01T10:00:00.000Z';
  const base = [
    openedFor('2025-2026'),
    submitted(ada),
    submitted(bo),
    offered('offer-1', ada, NOW, '2025-09-08T22:00:00.000Z', ['has no place']),
  ];
  const acceptedAda: WaitlistEvent = {
    type: 'OfferAccepted',
    data: {
      offeringId,
      offerId: 'offer-1',
      applicationId: 'app-ada',
      childId: 'child-ada',
      acceptedAt: NOW,
      answer: 'reply',
    },
  };
  const refusal = { code: 'StudentHoldsTooManyPlaces', message: 'Student child-ada already holds 2 place(s)' };
  const record = command('RecordRefusedAdmission', { offerId: 'offer-1', refusal }, NOW);
  const refused = (entry: 'kept' | 'ended'): WaitlistEvent => ({
    type: 'AdmissionRefused',
    data: {
      offeringId,
      offerId: 'offer-1',
      applicationId: 'app-ada',
      childId: 'child-ada',
      refusal,
      entry,
      refusedAt: NOW,
    },
  });

  it('is recorded with who, which offer and why; the child keeps its position by default', () =>
    given([...base, acceptedAda])
      .when(record)
      .then([refused('kept')]));

  const cai: Applicant = { applicationId: 'app-cai', childId: 'child-cai', appliedOn: '2026-04-01', born: '2014-01' };
  const keptAda = [
    openedFor('2025-2026'),
    submitted(ada),
    submitted(cai),
    offered('offer-1', ada, NOW, '2025-09-08T22:00:00.000Z', ['has no place']),
    acceptedAda,
    refused('kept'),
  ];

  it('passes the child over while it cannot take a seat: the seat goes to the next child', () =>
    given(keptAda)
      .when(command('OfferSeat', { offerId: 'offer-2' }, NOW))
      .then([
        offered('offer-2', cai, NOW, '2025-09-08T22:00:00.000Z', [
          'has no place',
          'applied 2026-04-01',
          'born 2014-01',
        ]),
      ]));

  it('puts the child back where it stood once it gives a place up: ahead of a later applicant', () =>
    given([
      ...keptAda,
      {
        type: 'ApplicantPlacesChanged',
        data: {
          ...{ offeringId, applicationId: 'app-ada', childId: 'child-ada', hasPlace: false, changedAt: NOW },
          placeGivenUp: true,
        },
      },
    ])
      .when(command('OfferSeat', { offerId: 'offer-2' }, NOW))
      .then([
        offered('offer-2', ada, NOW, '2025-09-08T22:00:00.000Z', [
          'has no place',
          'applied 2026-03-01',
          'born 2016-06',
        ]),
      ]));

  it('records a place given up by a passed-over child even when its rank stays, to clear it', () =>
    given(keptAda)
      .when(command('RecordApplicantPlaces', { childId: 'child-ada', hasPlace: false, gaveUpAPlace: true }, NOW))
      .then([
        {
          type: 'ApplicantPlacesChanged',
          data: {
            ...{ offeringId, applicationId: 'app-ada', childId: 'child-ada', hasPlace: false, changedAt: NOW },
            placeGivenUp: true,
          },
        },
      ]));

  it('keeps passing the child over when it only gains a place (it could take this seat even less)', () =>
    given([
      openedFor('2025-2026'),
      submitted(ada),
      submitted({ ...cai, hasPlace: true }),
      offered('offer-1', ada, NOW, '2025-09-08T22:00:00.000Z', ['has no place']),
      acceptedAda,
      refused('kept'),
      {
        type: 'ApplicantPlacesChanged',
        data: { offeringId, applicationId: 'app-ada', childId: 'child-ada', hasPlace: true, changedAt: NOW },
      },
    ])
      .when(command('OfferSeat', { offerId: 'offer-2' }, NOW))
      .then([
        offered('offer-2', { ...cai, hasPlace: true }, NOW, '2025-09-08T22:00:00.000Z', [
          'already has a place',
          'applied 2026-04-01',
          'born 2014-01',
        ]),
      ]));
  it('ends the entry where the policy says so, and the seat goes to the next child', () =>
    givenPolicy({ '2025-2026': { refusedAdmission: 'ends-entry' } })([...base, acceptedAda, refused('ended')])
      .when(command('OfferSeat', { offerId: 'offer-2' }, NOW))
      .then([
        offered('offer-2', bo, NOW, '2025-09-08T22:00:00.000Z', ['has no place', 'applied 2026-02-01', 'born 2015-01']),
      ]));

  it('is recorded once', () =>
    given([...base, acceptedAda, refused('kept')])
      .when(record)
      .then([]));

  it('is refused for an offer that was not accepted', () =>
    given(base).when(record).thenThrows(refusals.OfferWasNotAccepted));
});

describe('answer deadlines (rule 5) are Oslo calendar days', () => {
  it('an offer on 24 October at 15:00 runs through 31 October, across the change to winter time', () =>
    given([openedFor('2025-2026'), submitted(ada)])
      .when(command('OfferSeat', { offerId: 'offer-1' }, '2025-10-24T13:00:00.000Z'))
      .then([
        offered('offer-1', ada, '2025-10-24T13:00:00.000Z', '2025-10-31T23:00:00.000Z', [
          'has no place',
          'applied 2026-03-01',
          'born 2016-06',
        ]),
      ]));

  it('an answer late on the last day counts', () =>
    given([
      openedFor('2025-2026'),
      submitted(ada),
      offered('offer-1', ada, '2025-10-24T13:00:00.000Z', '2025-10-31T23:00:00.000Z', ['has no place']),
    ])
      .when(command('DeclineOffer', { offerId: 'offer-1' }, '2025-10-31T22:30:00.000Z'))
      .then([
        {
          type: 'OfferDeclined',
          data: {
            offeringId,
            offerId: 'offer-1',
            applicationId: 'app-ada',
            childId: 'child-ada',
            declinedAt: '2025-10-31T22:30:00.000Z',
          },
        },
      ]));
});

describe('rules of the offering’s school year (defect 7)', () => {
  it('a coming year’s offer follows that year’s answer days, not today’s', () =>
    givenPolicy({ '2026-2027': { answerDays: 14 } })([openedFor('2026-2027'), submitted(ada), ranRun])
      .when(command('OfferSeat', { offerId: 'offer-1' }, SPRING))
      .then([
        offered('offer-1', ada, SPRING, '2026-03-24T23:00:00.000Z', [
          'has no place',
          'applied 2026-03-01',
          'born 2016-06',
        ]),
      ]));
});
