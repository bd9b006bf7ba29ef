import type { QueueEntry } from './waitlist-queue.js';
import type { Admission, PlaceOffered, WaitlistEvent } from './waitlist.events.js';
import { assertNever, PersistentMap } from '#libs/decider';

/** An application in the queue; while `offerId` is set the child holds an offer and is not waiting. */
export interface Entry extends QueueEntry {
  /**
   * Enrolment refused this child the place an offer was for (the rule's code): the child keeps its position but is
   * passed over until its places change, so a seat never goes round to a child who cannot take it.
   */
  readonly passedOver?: string;
  /** The day a late-registered paper application was recorded (after `appliedOn`), for the reconfirmation rule. */
  readonly recordedOn?: string;
  readonly confirmedFor: readonly string[];
  readonly offerId: string | null;
}

/** The entry an offer went to is kept with it: a refused admission may put the child back where it stood. */
type OfferTerms = Omit<PlaceOffered['data'], 'offeringId' | 'reasons'> & { readonly entry?: Entry };

export type Offer =
  | (OfferTerms & { readonly status: 'Pending' })
  | (OfferTerms & { readonly status: 'Accepted'; readonly acceptedAt: string; readonly answer: 'reply' | 'silence' })
  | (OfferTerms & { readonly status: 'Declined' })
  | (OfferTerms & { readonly status: 'Lapsed' })
  | (OfferTerms & { readonly status: 'Withdrawn' })
  | (OfferTerms & { readonly status: 'Refused' });

export type Waitlist =
  | { readonly status: 'NotOpened' }
  | {
      readonly status: 'Open';
      readonly offeringId: string;
      readonly admission: Admission;
      /** The offering's school year; absent on waitlists opened before 2026-12. */
      readonly schoolYear?: string;
      /** Rule 12: whether the coming school year's main admission has run. */
      readonly mainAdmissionRun: boolean;
      /**
       * Active applications by application id. Persistent maps: a popular waitlist holds hundreds, and an event
       * changes one of them in O(log n) where a copied Map cost O(n) (a fifth of the host's CPU under answers).
       */
      readonly entries: PersistentMap<string, Entry>;
      /**
       * How many of `entries` each child has, kept with them: "one application per child" is then a look-up. A scan
       * of a long waitlist's entries on every application cost more than the rest of the command.
       */
      readonly children: PersistentMap<string, number>;
      /** Every offer ever made, so a late answer to an old offer gets a precise refusal. */
      readonly offers: PersistentMap<string, Offer>;
    };

export type OpenWaitlistState = Extract<Waitlist, { status: 'Open' }>;

export const initialWaitlist: Waitlist = { status: 'NotOpened' };

type EntriesPart = Pick<OpenWaitlistState, 'entries' | 'children'>;

const counted = (
  children: PersistentMap<string, number>,
  childId: string,
  by: 1 | -1,
): PersistentMap<string, number> => {
  const count = (children.get(childId) ?? 0) + by;
  return count > 0 ? children.set(childId, count) : children.delete(childId);
};

/** The entries with `entry` set (added or changed), and their children's counts with them. */
const putEntry = (state: OpenWaitlistState, entry: Entry): EntriesPart => {
  const before = state.entries.get(entry.applicationId);
  const entries = state.entries.set(entry.applicationId, entry);
  if (before?.childId === entry.childId) return { entries, children: state.children };
  const children = before ? counted(state.children, before.childId, -1) : state.children;
  return { entries, children: counted(children, entry.childId, 1) };
};

/** The entries without the application's, and their children's counts with them. */
const dropEntry = (state: OpenWaitlistState, applicationId: string): EntriesPart => {
  const before = state.entries.get(applicationId);
  if (!before) return { entries: state.entries, children: state.children };
  return { entries: state.entries.delete(applicationId), children: counted(state.children, before.childId, -1) };
};

const endOffer = (state: OpenWaitlistState, offerId: string, ended: (offer: Offer) => Offer): OpenWaitlistState => {
  const offer = state.offers.get(offerId);
  if (!offer) return state;
  // The offer keeps the entry as it stands when the offer ends (its places may have changed while it was open).
  const entry = state.entries.get(offer.applicationId) ?? offer.entry;
  return {
    ...state,
    ...dropEntry(state, offer.applicationId),
    offers: state.offers.set(offerId, ended({ ...offer, ...(entry ? { entry } : {}) })),
  };
};

export const evolve = (state: Waitlist, event: WaitlistEvent): Waitlist => {
  if (event.type === 'WaitlistOpened') {
    return {
      status: 'Open',
      offeringId: event.data.offeringId,
      admission: event.data.admission,
      ...(event.data.schoolYear ? { schoolYear: event.data.schoolYear } : {}),
      mainAdmissionRun: false,
      entries: PersistentMap.of(),
      children: PersistentMap.of(),
      offers: PersistentMap.of(),
    };
  }
  if (state.status !== 'Open') return state;
  switch (event.type) {
    case 'ApplicationSubmitted': {
      const { applicationId, childId, appliedAt, appliedOn, born, specialNeeds, hasPlace, recordedOn } = event.data;
      const entry: Entry = {
        ...{ applicationId, childId, appliedAt, appliedOn, born, specialNeeds, hasPlace },
        ...(recordedOn ? { recordedOn } : {}),
        ...(event.data.holdsPlaceInSubject ? { holdsPlaceInSubject: true } : {}),
        confirmedFor: [],
        offerId: null,
      };
      return { ...state, ...putEntry(state, entry) };
    }
    case 'ApplicationWithdrawn': {
      const withdrawn = event.data.offerId
        ? endOffer(state, event.data.offerId, (o) => ({ ...o, status: 'Withdrawn' }))
        : state;
      return { ...withdrawn, ...dropEntry(withdrawn, event.data.applicationId) };
    }
    case 'ApplicationReconfirmed': {
      const entry = state.entries.get(event.data.applicationId);
      if (!entry) return state;
      const confirmedFor = [...entry.confirmedFor, event.data.schoolYear];
      return { ...state, ...putEntry(state, { ...entry, confirmedFor }) };
    }
    case 'UnconfirmedApplicationRemoved':
      return { ...state, ...dropEntry(state, event.data.applicationId) };
    case 'PlaceOffered': {
      const { offerId, applicationId, childId, offeredAt, deadline, basis, silenceMeansAcceptance } = event.data;
      const terms: OfferTerms = { offerId, applicationId, childId, offeredAt, deadline, basis, silenceMeansAcceptance };
      const entry = state.entries.get(terms.applicationId);
      return {
        ...state,
        ...(entry ? putEntry(state, { ...entry, offerId: terms.offerId }) : {}),
        offers: state.offers.set(terms.offerId, {
          ...terms,
          ...(entry ? { entry } : {}),
          status: 'Pending',
        }),
      };
    }
    case 'OfferAccepted': {
      const { acceptedAt, answer } = event.data;
      return endOffer(state, event.data.offerId, (o) => ({ ...o, status: 'Accepted', acceptedAt, answer }));
    }
    case 'OfferDeclined':
      return endOffer(state, event.data.offerId, (o) => ({ ...o, status: 'Declined' }));
    case 'OfferLapsed':
      return endOffer(state, event.data.offerId, (o) => ({ ...o, status: 'Lapsed' }));
    case 'AdmissionRefused': {
      const offer = state.offers.get(event.data.offerId);
      if (!offer) return state;
      const refused = {
        ...state,
        offers: state.offers.set(offer.offerId, { ...offer, status: 'Refused' }),
      };
      const entry = offer.entry;
      if (event.data.entry !== 'kept' || !entry) return refused;
      const kept: Entry = { ...entry, offerId: null, passedOver: event.data.refusal.code };
      return { ...refused, ...putEntry(refused, kept) };
    }
    case 'MainAdmissionRun':
      return { ...state, mainAdmissionRun: true };
    case 'ApplicantPlacesChanged': {
      const entry = state.entries.get(event.data.applicationId);
      if (!entry) return state;
      // A place given up: a child passed over after a refused admission may take a seat again.
      const { passedOver: _cleared, ...current } = entry;
      const next = event.data.placeGivenUp ? current : entry;
      return {
        ...state,
        ...putEntry(state, { ...next, hasPlace: event.data.hasPlace }),
      };
    }
    case 'SeatsFreed':
    case 'SeatsTaken':
      // History: the offering holds the seats now (SeatReserved); the waitlist no longer counts them.
      return state;
    default:
      return assertNever(event);
  }
};

export const pendingOffers = (state: OpenWaitlistState): Extract<Offer, { status: 'Pending' }>[] =>
  [...state.offers.values()].filter((o): o is Extract<Offer, { status: 'Pending' }> => o.status === 'Pending');

/** Applications whose child holds no offer: the queue proper. */
export const waitingEntries = (state: OpenWaitlistState): Entry[] =>
  [...state.entries.values()].filter((e) => e.offerId === null);

/** Waiting children a seat may be offered to: not passed over after a refused admission. */
export const offerableEntries = (state: OpenWaitlistState): Entry[] =>
  waitingEntries(state).filter((e) => e.passedOver === undefined);
