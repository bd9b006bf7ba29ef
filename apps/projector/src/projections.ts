import { offeringsProjection, type Projection } from '#libs/projections';

/** The read models this deployment keeps; statistics, waitlist and fee waivers join here as they are built. */
export const registeredProjections: readonly Projection[] = [offeringsProjection];
