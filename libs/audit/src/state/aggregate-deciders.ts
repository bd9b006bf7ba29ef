import { fold, type Decider } from '#libs/decider';
import { kulturdagDecider, offeringDecider, studentDecider } from '#libs/enrolment';
import {
  childPayerDecider,
  feeWaiverApplicationDecider,
  householdFeesDecider,
  waiverBudgetDecider,
} from '#libs/funding';
import { waitlistDecider } from '#libs/waitlist';

export interface StoredFact {
  type: string;
  data: unknown;
}

/** Folds a stream's events into the state its context's decider keeps. */
export type StateFold = (events: readonly StoredFact[]) => unknown;

// The stored events of a stream are the decider's own events: the cast only forgets that the store types them loosely.
const folding =
  <C, E, S>(decider: Decider<C, E, S>): StateFold =>
  (events) =>
    fold(decider, events as unknown as readonly E[]);

type Person = { status: 'Known' } | { status: 'Erased'; erasedAt: string; reason?: string };
const personFold: StateFold = (events) =>
  events.reduce<Person>(
    (state, event) => {
      if (event.type !== 'PersonalDataErased') return state;
      return { status: 'Erased', erasedAt: (event.data as { erasedAt: string }).erasedAt };
    },
    { status: 'Known' },
  );

/** Keyed `<context>.<aggregate>`, the middle of a stream name `<tenant>.<context>.<aggregate>-<id>`. */
export const aggregateFolds: Readonly<Record<string, StateFold>> = {
  'enrolment.offering': folding(offeringDecider),
  'enrolment.student': folding(studentDecider),
  'enrolment.kulturdag': folding(kulturdagDecider),
  'waitlist.offering': folding(waitlistDecider),
  'funding.fee-waiver': folding(feeWaiverApplicationDecider),
  'funding.waiver-budget': folding(waiverBudgetDecider),
  'funding.household': folding(householdFeesDecider),
  'funding.child': folding(childPayerDecider),
  'people.subject': personFold,
};
