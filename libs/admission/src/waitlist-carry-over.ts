import type { EventStore } from '#libs/event-store';
import { eventIdFor } from '#libs/platform';
import {
  evolve,
  initialWaitlist,
  waitingEntries,
  waitlistStream,
  type ApplicationSubmitted,
  type SubmitApplication,
  type WaitlistEvent,
  type WithdrawApplication,
} from '#libs/waitlist';

/** The next school year's id of a carried-over application: the same on every run, so nothing is carried twice. */
export const carriedApplicationId = (applicationId: string, toOfferingId: string): string =>
  eventIdFor(applicationId, `carry-over-${toOfferingId}`, 0);

export interface CarryOver {
  applicationId: string;
  submit: Pick<SubmitApplication, 'type' | 'data'>;
  withdraw: Pick<WithdrawApplication, 'type' | 'data'>;
}

/**
 * Rollover of a waitlist: every child waiting on the previous year's offering (not holding an offer) waits on in the
 * successor with the facts its position rests on (application date, birth, special needs, places, confirmations), so
 * it keeps its order; the old entry then ends as carried over. Read from the predecessor's stream.
 */
export const waitingToCarryOver = async (
  store: EventStore,
  tenant: string,
  fromOfferingId: string,
  toOfferingId: string,
): Promise<CarryOver[]> => {
  const events = await store.readStream(waitlistStream(tenant, fromOfferingId));
  const state = events.reduce((s, e) => evolve(s, { type: e.type, data: e.data } as WaitlistEvent), initialWaitlist);
  if (state.status !== 'Open') return [];
  const submitted = new Map(
    events
      .filter((e) => e.type === 'ApplicationSubmitted')
      .map((e) => [(e.data as ApplicationSubmitted['data']).applicationId, e.data as ApplicationSubmitted['data']]),
  );
  return waitingEntries(state)
    .sort((a, b) => a.appliedAt.localeCompare(b.appliedAt))
    .flatMap((entry) => {
      const facts = submitted.get(entry.applicationId);
      if (!facts) return [];
      const applicationId = carriedApplicationId(entry.applicationId, toOfferingId);
      const [birthYear, birthMonth] = entry.born.split('-').map(Number);
      const submit: CarryOver['submit'] = {
        type: 'SubmitApplication',
        data: {
          ...{ applicationId, childId: entry.childId, appliedAt: entry.appliedAt, specialNeeds: entry.specialNeeds },
          ...{ hasPlace: entry.hasPlace, birthYear: birthYear ?? 0, birthMonth: birthMonth ?? 0 },
          ...(entry.holdsPlaceInSubject ? { holdsPlaceInSubject: true } : {}),
          ...(facts.dimensions ? { dimensions: facts.dimensions } : {}),
          ...(facts.payer ? { payer: facts.payer } : {}),
          carriedOverFrom: {
            ...{ offeringId: fromOfferingId, applicationId: entry.applicationId },
            confirmedFor: entry.confirmedFor,
          },
        },
      };
      const withdraw: CarryOver['withdraw'] = {
        type: 'WithdrawApplication',
        data: { applicationId: entry.applicationId, carriedOverTo: { offeringId: toOfferingId, applicationId } },
      };
      return [{ applicationId: entry.applicationId, submit, withdraw }];
    });
};
