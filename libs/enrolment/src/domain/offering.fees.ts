import { firstYearOf, type Semester } from '#libs/calendar';
import { OfferingIsInvalid } from './enrolment.errors.js';

/** A fee change in an offering's price list: the fee per semester from the semester starting `effectiveFrom`. */
export interface FeeChange {
  readonly feePerSemesterOre: number;
  /** A semester's first day: YYYY-01-01 (spring) or YYYY-08-01 (autumn). */
  readonly effectiveFrom: string;
}

/** NOK 100,000 a semester: far above any kulturskole fee, so a larger one is a typing error (øre keyed as kroner). */
export const MAX_FEE_PER_SEMESTER_ORE = 10_000_000;

export const requireFee = (feePerSemesterOre: number): number => {
  if (
    !Number.isSafeInteger(feePerSemesterOre) ||
    feePerSemesterOre < 0 ||
    feePerSemesterOre > MAX_FEE_PER_SEMESTER_ORE
  ) {
    throw new OfferingIsInvalid(
      `The fee must be whole øre from 0 to ${MAX_FEE_PER_SEMESTER_ORE} (NOK 100,000), not ${feePerSemesterOre}`,
    );
  }
  return feePerSemesterOre;
};

/** "2052.50" (NOK, at most two decimals) as øre, read digit by digit: a float would turn 2052.51 into 205250.99…. */
export const kronerToOre = (kroner: string): number => {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(kroner);
  if (!match) throw new OfferingIsInvalid(`A fee is NOK with at most two decimals, like "2052.50", not "${kroner}"`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
};

/** The fee an offering opened with: events recorded before 2026-12 carry whole kroner only. */
export const openingFeeOre = (opened: { feePerSemesterOre?: number; feePerSemesterNok?: number }): number =>
  opened.feePerSemesterOre ?? Math.round((opened.feePerSemesterNok ?? 0) * 100);

/** Autumn begins 1 August, spring 1 January (the summer closes the school year). */
export const semesterFirstDay = ({ schoolYear, term }: Semester): string =>
  term === 'autumn' ? `${firstYearOf(schoolYear)}-08-01` : `${firstYearOf(schoolYear) + 1}-01-01`;

export const isSemesterFirstDay = (date: string): boolean => /^\d{4}-(01|08)-01$/.test(date);

/**
 * The fee in force on `day`: the change with the latest `effectiveFrom` on or before it (of two for the same day,
 * the one recorded last), else the fee the offering opened with.
 */
export const feeInForceOn = (openingFee: number, changes: readonly FeeChange[], day: string): number => {
  let fee = openingFee;
  let from = '';
  for (const change of changes) {
    if (change.effectiveFrom <= day && change.effectiveFrom >= from) {
      fee = change.feePerSemesterOre;
      from = change.effectiveFrom;
    }
  }
  return fee;
};

/** A semester's fee is the one in force on its first day. */
export const feeForSemester = (openingFee: number, changes: readonly FeeChange[], semester: Semester): number =>
  feeInForceOn(openingFee, changes, semesterFirstDay(semester));
