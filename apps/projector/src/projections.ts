import { auditMentionsProjection } from '#libs/audit';
import { feeWaiversProjection } from '#libs/funding';
import { offeringsProjection, type Projection } from '#libs/projections';
import { statisticsProjection } from '#libs/statistics';
import { waitlistQueueProjection } from '#libs/waitlist';

/** The read models this deployment keeps; the projector (and the all-in-one host) runs them. */
export const registeredProjections: readonly Projection[] = [
  offeringsProjection,
  waitlistQueueProjection,
  feeWaiversProjection,
  statisticsProjection,
  auditMentionsProjection,
];
