import type { OfferingDetails } from './offering.commands.js';
import type { FeeChange } from './offering.fees.js';

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
  readonly reason: 'withdrawal' | 'transfer' | 'continuation';
}

/** Rule 6, per place: asked, and what it answered (or what silence meant). */
export type Reregistration = 'Requested' | 'Continuing' | 'Quitting';

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
      /** The previous school year's offering this one continues (rollover). */
      readonly continuesOfferingId?: string;
      /** Seats promised to places continuing from the previous school year, by new place id, until enrolled. */
      readonly promised?: Readonly<Record<string, true>>;
      /** Rule 6: each place's re-registration for the next school year, by place id. */
      readonly reregistration?: Readonly<Record<string, Reregistration>>;
      /** The day the re-registration's answers are due (rule 6), once asked. */
      readonly reregistrationDeadline?: string;
      /** Places continued into the next school year: the new place id by the old one. */
      readonly continued?: Readonly<Record<string, string>>;
      /** The price list's changes in the order recorded; `details.feePerSemesterOre` holds until the first. */
      readonly fees?: readonly FeeChange[];
    };

export type ExistingOffering = Exclude<Offering, { status: 'NotOpened' }>;

export const initialOffering: Offering = { status: 'NotOpened' };

export const placesHeld = (offering: ExistingOffering): number => Object.keys(offering.places).length;

/** Seats under offer: set aside for offers not yet answered or not yet enrolled. */
export const seatsUnderOffer = (offering: ExistingOffering): number =>
  Object.values(offering.reservations ?? {}).filter((r) => r === 'held').length;

/** Seats taken: places held, places ending later, and seats under offer. */
export const seatsTaken = (offering: ExistingOffering): number =>
  placesHeld(offering) +
  Object.keys(offering.heldThrough ?? {}).length +
  seatsUnderOffer(offering) +
  Object.keys(offering.promised ?? {}).length;

export const freeSeats = (offering: ExistingOffering): number => offering.capacity - seatsTaken(offering);
