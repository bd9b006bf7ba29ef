import { InvalidPolicy, UnknownBaseAmount } from './funding.errors.js';
import { fullWaiverUpTo4G, type IncomeSchedule } from './income-schedule.js';
import { nok, type Ore } from './money.js';
import { parseSchoolYear, type DayOfYear, type SchoolYear, type Term } from './school-year.js';

/** The fee rules of one school year (domain README rules 7, 8, 9, 11). */
export interface FeePolicy {
  schoolYear: SchoolYear;
  baseFeePerSemester: Ore;
  /** `percent` off the first place of the `fromChild`-th and every further child with the same payer. */
  siblingDiscount: { percent: number; fromChild: number };
  /** A refund per cancelled lesson is the place's fee after discount and waiver divided by this number. */
  lessonsPerSemester: number;
  /** Lessons cancelled by the school are refunded from this one on (the 3rd: the first two are not). */
  refundFromCancelledLesson: number;
  /** Withdrawing after the deadline owes that semester's fee. */
  withdrawalDeadlines: Record<Term, DayOfYear>;
}

/** The fee-waiver rules of one school year (rule 10). */
export interface WaiverPolicy {
  schoolYear: SchoolYear;
  baseAmountG: Ore;
  incomeSchedule: IncomeSchedule;
}

export type FundingPolicy = FeePolicy & WaiverPolicy;

/**
 * G (grunnbeløpet) as set by the Storting each 1 May, taken for the school year starting that August.
 * NOK 111,477 (2022), 118,620 (2023), 124,028 (2024), 130,160 (2025); check nav.no before adding a year.
 */
export const baseAmountGBySchoolYear: Readonly<Record<string, Ore>> = {
  '2022-2023': nok(111_477),
  '2023-2024': nok(118_620),
  '2024-2025': nok(124_028),
  '2025-2026': nok(130_160),
};

// Lessons per semester is not in Trondheim's guidelines: 18 is an assumed default, set it per municipality.
export const trondheimDefaults: Omit<FundingPolicy, 'schoolYear' | 'baseAmountG'> = {
  baseFeePerSemester: nok(2_105),
  siblingDiscount: { percent: 50, fromChild: 3 },
  lessonsPerSemester: 18,
  refundFromCancelledLesson: 3,
  withdrawalDeadlines: { autumn: { month: 8, day: 10 }, spring: { month: 12, day: 10 } },
  incomeSchedule: fullWaiverUpTo4G,
};

/** Whether the platform knows the year's G without configuration. */
export const baseAmountKnown = (schoolYear: string): boolean =>
  baseAmountGBySchoolYear[parseSchoolYear(schoolYear)] !== undefined;

/** Trondheim's defaults for a school year, with the year's own G, overridden where the municipality decides. */
export const fundingPolicyFor = (
  schoolYear: string,
  overrides: Partial<Omit<FundingPolicy, 'schoolYear'>> = {},
): FundingPolicy => {
  const year = parseSchoolYear(schoolYear);
  const baseAmountG = overrides.baseAmountG ?? baseAmountGBySchoolYear[year];
  if (baseAmountG === undefined) throw new UnknownBaseAmount(year);
  return validatePolicy({ ...trondheimDefaults, ...overrides, schoolYear: year, baseAmountG });
};

const isWhole = (value: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isSafeInteger(value) && value >= min && value <= max;

const isDay = ({ month, day }: DayOfYear): boolean => isWhole(month, 1, 12) && isWhole(day, 1, 31);

export const validateSchedule = (schedule: IncomeSchedule): IncomeSchedule => {
  schedule.forEach((band, index) => {
    const previous = schedule[index - 1];
    if (!Number.isFinite(band.upToG) || band.upToG <= 0)
      throw new InvalidPolicy(`band ${index + 1} needs a positive G limit`);
    // A band that pays 100% gives no relief and would be granted as a waiver of nothing.
    if (!isWhole(band.payPercent, 0, 99)) throw new InvalidPolicy(`band ${index + 1} must pay 0–99%`);
    if (previous && band.upToG <= previous.upToG) throw new InvalidPolicy('bands must rise in G');
    // A higher income never pays less than a lower one.
    if (previous && band.payPercent < previous.payPercent) throw new InvalidPolicy('pay percentages must not fall');
  });
  return schedule;
};

export const validatePolicy = <P extends Partial<FundingPolicy> & { schoolYear: string }>(policy: P): P => {
  parseSchoolYear(policy.schoolYear);
  const { baseFeePerSemester, siblingDiscount, lessonsPerSemester, refundFromCancelledLesson } = policy;
  if (baseFeePerSemester !== undefined && !isWhole(baseFeePerSemester, 0))
    throw new InvalidPolicy('base fee must be whole øre');
  if (siblingDiscount && !(isWhole(siblingDiscount.percent, 0, 100) && isWhole(siblingDiscount.fromChild, 1)))
    throw new InvalidPolicy('sibling discount needs 0–100% from a child number of at least 1');
  if (lessonsPerSemester !== undefined && !isWhole(lessonsPerSemester, 1))
    throw new InvalidPolicy('lessons per semester must be at least 1');
  if (refundFromCancelledLesson !== undefined && !isWhole(refundFromCancelledLesson, 1))
    throw new InvalidPolicy('refunds start from lesson 1 or later');
  if (
    policy.withdrawalDeadlines &&
    !(isDay(policy.withdrawalDeadlines.autumn) && isDay(policy.withdrawalDeadlines.spring))
  )
    throw new InvalidPolicy('withdrawal deadlines must be real days');
  if (policy.baseAmountG !== undefined && !isWhole(policy.baseAmountG, 1))
    throw new InvalidPolicy('G must be positive øre');
  if (policy.incomeSchedule) validateSchedule(policy.incomeSchedule);
  return policy;
};
