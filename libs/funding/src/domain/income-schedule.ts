import type { Ore } from './money.js';

/** Household income at or below `upToG` × G pays `payPercent` of the fee (0 = full waiver). */
export interface IncomeBand {
  upToG: number;
  payPercent: number;
}

/** Bands in ascending order of `upToG`; income above the last band gets no waiver. */
export type IncomeSchedule = readonly IncomeBand[];

// Trondheim has no published limit; Melhus and Indre Fosen give a full waiver at or below 4 G.
export const fullWaiverUpTo4G: IncomeSchedule = [{ upToG: 4, payPercent: 0 }];

// Øystre Slidre's graded schedule, as an example of a reduced fee.
export const gradedScheduleExample: IncomeSchedule = [
  { upToG: 2, payPercent: 0 },
  { upToG: 3, payPercent: 30 },
  { upToG: 4, payPercent: 60 },
  { upToG: 5, payPercent: 80 },
];

// Rounded to whole øre so fractional G limits (e.g. 2.5 G) compare exactly.
export const incomeLimit = (band: IncomeBand, baseAmountG: Ore): Ore => Math.round(band.upToG * baseAmountG);

export const bandFor = (income: Ore, schedule: IncomeSchedule, baseAmountG: Ore): IncomeBand | undefined =>
  schedule.find((band) => income <= incomeLimit(band, baseAmountG));
