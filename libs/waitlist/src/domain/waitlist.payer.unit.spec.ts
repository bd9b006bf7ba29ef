import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import type { ApplicationPayer, SubmitApplication } from './waitlist.commands.js';
import { waitlistDecider } from './waitlist.decider.js';
import type { WaitlistEvent } from './waitlist.events.js';
import { offeringId, opened } from './waitlist.test-fixtures.js';

const given = DeciderSpecification.for(waitlistDecider);
const NOW = '2025-03-01T12:00:00.000Z';
const submit = (payer?: ApplicationPayer): SubmitApplication => ({
  type: 'SubmitApplication',
  data: {
    ...{ applicationId: 'app-ada', childId: 'child-ada', appliedAt: NOW, birthDate: '2015-06-14' },
    ...{ specialNeeds: false, hasPlace: false, ...(payer ? { payer } : {}) },
  },
  metadata: { now: NOW },
});
const submitted = (payer?: ApplicationPayer): WaitlistEvent => ({
  type: 'ApplicationSubmitted',
  data: {
    ...{ offeringId, applicationId: 'app-ada', childId: 'child-ada', appliedAt: NOW, appliedOn: '2025-03-01' },
    ...{ born: '2015-06', specialNeeds: false, hasPlace: false, ...(payer ? { payer } : {}) },
  },
});

describe('waitlist: who pays for a place from an application', () => {
  it('records the guardian who applied as the payer, by pseudonymous id', () =>
    given([opened()])
      .when(submit({ payerId: 'guardian-g', source: 'applicant' }))
      .then([submitted({ payerId: 'guardian-g', source: 'applicant' })]));

  it('records another payer the application named', () =>
    given([opened()])
      .when(submit({ payerId: 'payer-n', source: 'named' }))
      .then([submitted({ payerId: 'payer-n', source: 'named' })]));

  it('records no payer when the application gave none', () => given([opened()]).when(submit()).then([submitted()]));
});
