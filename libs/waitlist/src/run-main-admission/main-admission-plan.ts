import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '#libs/event-store';
import {
  evolve as evolveOffering,
  freeSeats,
  initialOffering,
  offeringStream,
  type Offering,
  type OfferingEvent,
} from '#libs/enrolment';
import { EVENT_STORE } from '#libs/platform';
import {
  awaitsMainAdmission,
  evolve,
  initialWaitlist,
  mainAdmissionDay,
  planMainAdmission,
  WaitlistIsNotOpen,
  type Waitlist,
  type WaitlistEvent,
} from '../domain/index.js';
import { waitlistStream, WaitlistStreams } from '../shared/waitlist-streams.js';

/**
 * Rule 12: what the main admission of an offering will do if run now (which child gets which seat), or that it has
 * run. Read from the two streams themselves, not a read model, so the plan is exactly what the command would offer.
 */
@Injectable()
export class MainAdmissionPlan {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly waitlists: WaitlistStreams,
  ) {}

  async of(tenant: string, offeringId: string, now: Date) {
    const waitlist = (await this.store.readStream(waitlistStream(tenant, offeringId))).reduce<Waitlist>(
      (state, e) => evolve(state, { type: e.type, data: e.data } as WaitlistEvent),
      initialWaitlist,
    );
    if (waitlist.status !== 'Open') throw new WaitlistIsNotOpen();
    const offering = (await this.store.readStream(offeringStream(tenant, offeringId))).reduce<Offering>(
      (state, e) => evolveOffering(state, { type: e.type, data: e.data } as OfferingEvent),
      initialOffering,
    );
    const policies = await this.waitlists.policiesFor(tenant);
    const schoolYear = waitlist.schoolYear ?? null;
    const seats = offering.status === 'Open' ? freeSeats(offering) : 0;
    const pending = awaitsMainAdmission(waitlist, now.toISOString(), policies);
    const planned = pending && schoolYear ? planMainAdmission(waitlist, seats, policies(schoolYear)) : [];
    return {
      offeringId,
      schoolYear,
      day: schoolYear ? mainAdmissionDay(schoolYear, policies(schoolYear)) : null,
      // planned: seats wait for it; run: it ran; none: seats are offered as they come free (the year has begun).
      status: waitlist.mainAdmissionRun ? 'run' : pending ? 'planned' : 'none',
      freeSeats: seats,
      offers: planned.map(({ seat, position, applicationId, childId, reasons }) => ({
        ...{ seat, position, applicationId, childId, reasons },
      })),
    };
  }
}
