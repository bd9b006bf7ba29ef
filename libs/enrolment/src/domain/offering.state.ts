import type { OfferingDetails } from './offering.commands.js';

/** A place on leave keeps its seat: the student comes back to it. */
export interface Place {
  readonly placeId: string;
  readonly studentId: string;
  readonly status: 'Active' | 'OnLeave';
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
      /** Lessons cancelled by the school, per "<schoolYear>/<term>". */
      readonly cancelled?: Readonly<Record<string, number>>;
    };

export type ExistingOffering = Exclude<Offering, { status: 'NotOpened' }>;

export const initialOffering: Offering = { status: 'NotOpened' };

export const placesHeld = (offering: ExistingOffering): number => Object.keys(offering.places).length;
export const freeSeats = (offering: ExistingOffering): number => offering.capacity - placesHeld(offering);
