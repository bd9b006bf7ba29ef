import { orderQueue, type RankedEntry } from './waitlist-queue.js';
import type { WaitlistPolicy } from './waitlist.policy.js';
import { offerableEntries, type Entry, type OpenWaitlistState } from './waitlist.state.js';

/** A seat the main admission will offer, and the child it goes to. */
export type PlannedOffer = RankedEntry<Entry> & { readonly seat: number };

/**
 * Rule 12: which child gets which of `freeSeats` seats when the main admission runs: the queue's head, in order, as
 * OfferSeat will pick them one by one. Pure, so a caseworker sees exactly what running it will do today.
 */
export const planMainAdmission = (
  state: OpenWaitlistState,
  freeSeats: number,
  policy: WaitlistPolicy,
): PlannedOffer[] =>
  orderQueue(offerableEntries(state), policy)
    .slice(0, Math.max(0, freeSeats))
    .map((entry, index) => ({ ...entry, seat: index + 1 }));
