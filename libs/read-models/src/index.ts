import { auditMentionsProjection } from '#libs/audit';
import { feeWaiversProjection, unbillablePlacesProjection } from '#libs/funding';
import { offeringsProjection, reregistrationWorklistProjection } from '#libs/enrolment';
import type { Projection } from '#libs/projections';
import { statisticsProjection } from '#libs/statistics';
import { waitlistQueueProjection } from '#libs/waitlist';

/**
 * The read models this deployment keeps, each owned by its context: the projector (and the all-in-one host) runs
 * them; the query API answers from the tables of those it serves. A lib, so no app imports another.
 */
export const registeredProjections: readonly Projection[] = [
  offeringsProjection,
  reregistrationWorklistProjection,
  waitlistQueueProjection,
  feeWaiversProjection,
  unbillablePlacesProjection,
  statisticsProjection,
  auditMentionsProjection,
];

/** The ones the query API answers from (the audit's index is read by the audit API). */
export const queriedProjections: readonly Projection[] = registeredProjections.filter(
  (projection) => projection !== auditMentionsProjection,
);
