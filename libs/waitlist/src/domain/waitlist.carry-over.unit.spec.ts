import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import type { WaitlistCommand } from './waitlist.commands.js';
import { waitlistDecider } from './waitlist.decider.js';
import { OneApplicationPerChild } from './waitlist.errors.js';
import type { WaitlistEvent } from './waitlist.events.js';
import { offeringId, submitted, type Applicant } from './waitlist.test-fixtures.js';

const given = DeciderSpecification.for(waitlistDecider);
const NOW = '2026-06-01T10:00:00.000Z';
const previous = { offeringId: 'offering-guitar-2025', applicationId: 'app-ada-2025' };
const ada: Applicant = { applicationId: 'app-ada', childId: 'child-ada', appliedOn: '2025-09-01', born: '2016-02' };

const successorOpened: WaitlistEvent = {
  type: 'WaitlistOpened',
  data: { offeringId, admission: 'queue', openedAt: '2026-06-01T09:00:00.000Z', schoolYear: '2026-2027' },
};
const carry = (confirmedFor: string[], childId = 'child-ada'): WaitlistCommand => ({
  type: 'SubmitApplication',
  data: {
    ...{ applicationId: 'app-ada', childId, appliedAt: '2025-09-01T12:00:00.000Z', specialNeeds: true },
    ...{ hasPlace: false, birthYear: 2016, birthMonth: 2, carriedOverFrom: { ...previous, confirmedFor } },
  },
  metadata: { now: NOW },
});

describe('waitlist: rollover carries a waiting child over to the next school year’s offering', () => {
  it('keeps the application date and needs, records no late registration, and keeps this year’s reconfirmation', () =>
    given([successorOpened])
      .when(carry(['2025-2026', '2026-2027']))
      .then([
        {
          type: 'ApplicationSubmitted',
          data: {
            ...{ offeringId, applicationId: 'app-ada', childId: 'child-ada', appliedAt: '2025-09-01T12:00:00.000Z' },
            ...{ appliedOn: '2025-09-01', born: '2016-02', specialNeeds: true, hasPlace: false },
            carriedOverFrom: previous,
          },
        },
        {
          type: 'ApplicationReconfirmed',
          data: {
            ...{ offeringId, applicationId: 'app-ada', childId: 'child-ada' },
            ...{ schoolYear: '2026-2027', reconfirmedAt: NOW },
          },
        },
      ]));

  it('refuses a second entry for the same child (it applied to the new offering itself)', () =>
    given([successorOpened, submitted({ ...ada, applicationId: 'app-own', appliedOn: '2026-03-01' })])
      .when(carry([]))
      .thenThrows(OneApplicationPerChild));

  it('ends the old entry as carried over, naming where it waits on', () =>
    given([successorOpened, submitted(ada)])
      .when({
        type: 'WithdrawApplication',
        data: { applicationId: 'app-ada', carriedOverTo: { offeringId: 'offering-next', applicationId: 'app-next' } },
        metadata: { now: NOW },
      })
      .then([
        {
          type: 'ApplicationWithdrawn',
          data: {
            ...{ offeringId, applicationId: 'app-ada', childId: 'child-ada', withdrawnAt: NOW, offerId: null },
            ...{ reason: 'carried-over', carriedOverTo: { offeringId: 'offering-next', applicationId: 'app-next' } },
          },
        },
      ]));
});
