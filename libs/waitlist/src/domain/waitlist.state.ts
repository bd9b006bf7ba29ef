import type { QueueEntry } from './waitlist-queue.js';
import type { Admission, PlaceOffered, WaitlistEvent } from './waitlist.events.js';
import { assertNever, without } from '#libs/decider';

/** An application in the queue; while `offerId` is set the child holds an offer and is not waiting. */
export interface Entry extends QueueEntry {
  readonly confirmedFor: readonly string[];
  readonly offerId: string | null;
}

type OfferTerms = Omit<PlaceOffered['data'], 'offeringId' | 'reasons'>;

export type Offer =
  | (OfferTerms & { readonly status: 'Pending' })
  | (OfferTerms & { readonly status: 'Accepted'; readonly acceptedAt: string; readonly answer: 'reply' | 'silence' })
  | (OfferTerms & { readonly status: 'Declined' })
  | (OfferTerms & { readonly status: 'Lapsed' })
  | (OfferTerms & { readonly status: 'Withdrawn' });

export type Waitlist =
  | { readonly status: 'NotOpened' }
  | {
      readonly status: 'Open';
      readonly offeringId: string;
      readonly admission: Admission;
      /** Seats the waitlist may fill: freed by enrolment, used up by accepted offers. */
      readonly freeSeats: number;
      /** Active applications by application id. */
      readonly entries: Readonly<Record<string, Entry>>;
      /** Every offer ever made, so a late answer to an old offer gets a precise refusal. */
      readonly offers: Readonly<Record<string, Offer>>;
    };

export type OpenWaitlistState = Extract<Waitlist, { status: 'Open' }>;

export const initialWaitlist: Waitlist = { status: 'NotOpened' };

const endOffer = (
  state: OpenWaitlistState,
  offerId: string,
  ended: (offer: Offer) => Offer,
  seatsUsed: number,
): OpenWaitlistState => {
  const offer = state.offers[offerId];
  if (!offer) return state;
  return {
    ...state,
    freeSeats: state.freeSeats - seatsUsed,
    entries: without(state.entries, offer.applicationId),
    offers: { ...state.offers, [offerId]: ended(offer) },
  };
};

export const evolve = (state: Waitlist, event: WaitlistEvent): Waitlist => {
  if (event.type === 'WaitlistOpened') {
    return {
      status: 'Open',
      offeringId: event.data.offeringId,
      admission: event.data.admission,
      freeSeats: 0,
      entries: {},
      offers: {},
    };
  }
  if (state.status !== 'Open') return state;
  switch (event.type) {
    case 'ApplicationSubmitted': {
      const { applicationId, childId, appliedAt, appliedOn, born, specialNeeds, hasPlace } = event.data;
      const entry: Entry = {
        ...{ applicationId, childId, appliedAt, appliedOn, born, specialNeeds, hasPlace },
        confirmedFor: [],
        offerId: null,
      };
      return { ...state, entries: { ...state.entries, [applicationId]: entry } };
    }
    case 'ApplicationWithdrawn': {
      const withdrawn = event.data.offerId
        ? endOffer(state, event.data.offerId, (o) => ({ ...o, status: 'Withdrawn' }), 0)
        : state;
      return { ...withdrawn, entries: without(withdrawn.entries, event.data.applicationId) };
    }
    case 'ApplicationReconfirmed': {
      const entry = state.entries[event.data.applicationId];
      if (!entry) return state;
      const confirmedFor = [...entry.confirmedFor, event.data.schoolYear];
      return { ...state, entries: { ...state.entries, [entry.applicationId]: { ...entry, confirmedFor } } };
    }
    case 'UnconfirmedApplicationRemoved':
      return { ...state, entries: without(state.entries, event.data.applicationId) };
    case 'PlaceOffered': {
      const { offerId, applicationId, childId, offeredAt, deadline, basis, silenceMeansAcceptance } = event.data;
      const terms: OfferTerms = { offerId, applicationId, childId, offeredAt, deadline, basis, silenceMeansAcceptance };
      const entry = state.entries[terms.applicationId];
      return {
        ...state,
        entries: entry
          ? { ...state.entries, [entry.applicationId]: { ...entry, offerId: terms.offerId } }
          : state.entries,
        offers: { ...state.offers, [terms.offerId]: { ...terms, status: 'Pending' } },
      };
    }
    case 'OfferAccepted': {
      const { acceptedAt, answer } = event.data;
      return endOffer(state, event.data.offerId, (o) => ({ ...o, status: 'Accepted', acceptedAt, answer }), 1);
    }
    case 'OfferDeclined':
      return endOffer(state, event.data.offerId, (o) => ({ ...o, status: 'Declined' }), 0);
    case 'OfferLapsed':
      return endOffer(state, event.data.offerId, (o) => ({ ...o, status: 'Lapsed' }), 0);
    case 'ApplicantPlacesChanged': {
      const entry = state.entries[event.data.applicationId];
      if (!entry) return state;
      return {
        ...state,
        entries: { ...state.entries, [entry.applicationId]: { ...entry, hasPlace: event.data.hasPlace } },
      };
    }
    case 'SeatsFreed':
    case 'SeatsTaken':
      return { ...state, freeSeats: event.data.freeSeats };
    default:
      return assertNever(event);
  }
};

export const pendingOffers = (state: OpenWaitlistState): Extract<Offer, { status: 'Pending' }>[] =>
  Object.values(state.offers).filter((o): o is Extract<Offer, { status: 'Pending' }> => o.status === 'Pending');

/** Applications whose child holds no offer: the queue proper. */
export const waitingEntries = (state: OpenWaitlistState): Entry[] =>
  Object.values(state.entries).filter((e) => e.offerId === null);
