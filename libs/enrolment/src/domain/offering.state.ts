import type { OfferingDetails } from './offering.commands.js';

/** A place on leave keeps its seat: the student comes back to it. */
export interface Place {
  readonly placeId: string;
  readonly studentId: string;
  readonly status: 'Active' | 'OnLeave';
}

/** An offer's seat: set aside while the offer is out, then filled by its place or released. */
export type Reservation = 'held' | 'filled' | 'released';

/** A place that has ended on paper but keeps its seat through its last day. */
export interface SeatHeld {
  readonly lastDay: string;
  readonly reason: 'withdrawal' | 'transfer';
}

export type Offering =
  | { readonly status: 'NotOpened' }
  | {
      /** Closed: takes no more enrolments; the places held run on until withdrawn. */
      readonly status: 'Open' | 'Closed';
      readonly offeringId: string;
      readonly details: OfferingDetails;
      readonly capacity: number;
      readonly places: Readonly<Record<string, Place>>;
      /** Every offer's seat by offer id, so a repeated reservation of the same offer takes no second seat. */
      readonly reservations?: Readonly<Record<string, Reservation>>;
      /** Seats of places withdrawn or transferred out that stay held through the place's last day, by place id. */
      readonly heldThrough?: Readonly<Record<string, SeatHeld>>;
      /** Lessons cancelled by the school, per "<schoolYear>/<term>". */
      readonly cancelled?: Readonly<Record<string, number>>;
    };

export type ExistingOffering = Exclude<Offering, { status: 'NotOpened' }>;

export const initialOffering: Offering = { status: 'NotOpened' };

export const placesHeld = (offering: ExistingOffering): number => Object.keys(offering.places).length;

/** Seats under offer: set aside for offers not yet answered or not yet enrolled. */
export const seatsUnderOffer = (offering: ExistingOffering): number =>
  Object.values(offering.reservations ?? {}).filter((r) => r === 'held').length;

/** Seats taken: places held, places ending later, and seats under offer. */
export const seatsTaken = (offering: ExistingOffering): number =>
  placesHeld(offering) + Object.keys(offering.heldThrough ?? {}).length + seatsUnderOffer(offering);

export const freeSeats = (offering: ExistingOffering): number => offering.capacity - seatsTaken(offering);
