import { describe, it } from '@jest/globals';
import { DeciderSpecification } from '#libs/testing';
import type { WaitlistCommand } from './waitlist.commands.js';
import { waitlistDecider } from './waitlist.decider.js';
import type { WaitlistEvent } from './waitlist.events.js';
import { offered, offeringId, opened, submitted, type Applicant } from './waitlist.test-fixtures.js';

const given = DeciderSpecification.for(waitlistDecider);
const NOW = '2025-10-20T10:00:00.000Z';
const ada: Applicant = { applicationId: 'app-ada', childId: 'child-ada', appliedOn: '2025-03-01', born: '2015-06' };
const bo: Applicant = { applicationId: 'app-bo', childId: 'child-bo', appliedOn: '2025-03-05', born: '2013-01' };

const movedOut = (childId: string): WaitlistCommand => ({
  type: 'RemoveMovedOutChild',
  data: { childId },
  metadata: { now: NOW },
});
const removed = (a: Applicant, offerId: string | null = null): WaitlistEvent => ({
  type: 'ApplicationWithdrawn',
  data: {
    ...{ offeringId, applicationId: a.applicationId, childId: a.childId },
    ...{ withdrawnAt: NOW, offerId, reason: 'moved-out-of-municipality' },
  },
});

describe('waitlist: a child who moved out of the municipality (rule 1)', () => {
  it('removes the child’s application with that reason, and no other child’s', () =>
    given([opened(), submitted(ada), submitted(bo)])
      .when(movedOut('child-ada'))
      .then([removed(ada)]));

  it('withdraws an offer the child holds, so its seat goes to the next child', () =>
    given([
      opened(),
      submitted(ada),
      offered('offer-1', ada, '2025-10-01T10:00:00.000Z', '2025-10-08T22:00:00.000Z', ['has no place']),
    ])
      .when(movedOut('child-ada'))
      .then([removed(ada, 'offer-1')]));

  it('records nothing for a child not waiting here', () =>
    given([opened(), submitted(bo)])
      .when(movedOut('child-ada'))
      .then([]));
});
