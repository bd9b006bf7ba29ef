import {
  InvalidAssessmentInput,
  PolicyIsForAnotherSchoolYear,
  WaiverIsForAnotherSchoolYear,
} from './funding.errors.js';
import { assertOre, percentOf, sum, type Ore } from './money.js';
import type { FeePolicy } from './policy.js';
import {
  isIsoDate,
  semesterEnd,
  semesterStart,
  withdrawalDeadline,
  type SchoolYear,
  type Semester,
} from './school-year.js';

/** A child of the payer, by pseudonymous id; the birth date orders siblings. */
export interface ChildOfPayer {
  childId: string;
  birthDate: string;
}

export interface PlaceToAssess {
  placeId: string;
  childId: string;
  offeringId: string;
  startedOn: string;
  withdrawnOn: string | null;
  /** The offering's own semester fee where it differs from the policy's base fee. */
  offeringFee: Ore | null;
  /** Lessons the school cancelled in this semester. */
  cancelledLessons: number;
  /**
   * A transfer's effective day, on the place left and on the place taken: a semester is billed for the place held
   * when it began (or the first taken in it), so a transfer within a semester changes the fee from the next one.
   */
  transferredOutOn?: string | null;
  transferredInOn?: string | null;
}

/** A granted waiver as the fee assessment needs it: the level decided, never the income. */
export interface WaiverInForce {
  applicationId: string;
  schoolYear: SchoolYear;
  payPercent: number;
}

export interface HouseholdAssessmentInput {
  semester: Semester;
  policy: FeePolicy;
  children: readonly ChildOfPayer[];
  places: readonly PlaceToAssess[];
  waiver: WaiverInForce | null;
}

interface LineOf<Kind extends string> {
  kind: Kind;
  placeId: string;
  childId: string;
  /** Charges are positive, reductions and refunds negative. */
  amount: Ore;
}

export type FeeLine =
  | LineOf<'BaseFee'>
  | (LineOf<'LateWithdrawalCharge'> & { withdrawnOn: string; deadline: string })
  | (LineOf<'SiblingDiscount'> & { percent: number; childNumber: number })
  | (LineOf<'WaiverReduction'> & { payPercent: number; applicationId: string })
  | (LineOf<'CancelledLessonsRefund'> & {
      cancelledLessons: number;
      refundedLessons: number;
      lessonsPerSemester: number;
    });

export type NotBilledReason = 'WithdrawnByDeadline' | 'StartsLater' | 'TransferredOut' | 'TransferredIn';

export interface HouseholdAssessment {
  semester: Semester;
  lines: FeeLine[];
  notBilled: { placeId: string; reason: NotBilledReason }[];
  owes: Ore;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const validate = ({ semester, policy, children, places, waiver }: HouseholdAssessmentInput): void => {
  if (policy.schoolYear !== semester.schoolYear)
    throw new PolicyIsForAnotherSchoolYear(semester.schoolYear, policy.schoolYear);
  if (waiver && waiver.schoolYear !== semester.schoolYear)
    throw new WaiverIsForAnotherSchoolYear(waiver.applicationId, waiver.schoolYear, semester.schoolYear);
  if (waiver && !(Number.isSafeInteger(waiver.payPercent) && waiver.payPercent >= 0 && waiver.payPercent <= 100))
    throw new InvalidAssessmentInput(`waiver pay percentage ${waiver.payPercent}`);
  const childIds = new Set(children.map((child) => child.childId));
  if (childIds.size !== children.length) throw new InvalidAssessmentInput('a child is listed twice');
  for (const child of children)
    if (!isIsoDate(child.birthDate)) throw new InvalidAssessmentInput(`birth date of ${child.childId}`);
  if (new Set(places.map((place) => place.placeId)).size !== places.length)
    throw new InvalidAssessmentInput('a place is listed twice');
  for (const place of places) {
    if (!childIds.has(place.childId)) throw new InvalidAssessmentInput(`place ${place.placeId} has an unknown child`);
    if (!isIsoDate(place.startedOn)) throw new InvalidAssessmentInput(`start date of ${place.placeId}`);
    if (place.withdrawnOn !== null && !isIsoDate(place.withdrawnOn))
      throw new InvalidAssessmentInput(`withdrawal date of ${place.placeId}`);
    if (!Number.isSafeInteger(place.cancelledLessons) || place.cancelledLessons < 0)
      throw new InvalidAssessmentInput(`cancelled lessons of ${place.placeId}`);
    if (place.offeringFee !== null) assertOre('offering fee', place.offeringFee);
  }
};

// A withdrawal on or before the deadline frees the semester; a later one owes it (rule 7).
const billing = (place: PlaceToAssess, semester: Semester, policy: FeePolicy) => {
  const deadline = withdrawalDeadline(semester, policy.withdrawalDeadlines);
  if (place.startedOn > semesterEnd(semester)) return { billed: false, reason: 'StartsLater' } as const;
  const start = semesterStart(semester);
  if (place.transferredOutOn && start >= place.transferredOutOn)
    return { billed: false, reason: 'TransferredOut' } as const;
  if (place.transferredInOn && start < place.transferredInOn)
    return { billed: false, reason: 'TransferredIn' } as const;
  if (place.withdrawnOn !== null && place.withdrawnOn <= deadline)
    return { billed: false, reason: 'WithdrawnByDeadline' } as const;
  // Withdrawn late but before the semester began: the household owes a semester the child will not attend.
  const late = place.withdrawnOn !== null && place.withdrawnOn < semesterStart(semester);
  return { billed: true, late, deadline } as const;
};

/**
 * Siblings are numbered by birth date, oldest first (ties by child id), counting only children with a place billed
 * this semester: the order then never depends on who enrolled first, and the youngest get the discount.
 */
const siblingOrder = (children: readonly ChildOfPayer[], billedChildIds: ReadonlySet<string>): ChildOfPayer[] =>
  children
    .filter((child) => billedChildIds.has(child.childId))
    .sort((a, b) => compare(a.birthDate, b.birthDate) || compare(a.childId, b.childId));

// A child's "first place" is the one held longest (earliest start, ties by place id).
const byStart = (a: PlaceToAssess, b: PlaceToAssess): number =>
  compare(a.startedOn, b.startedOn) || compare(a.placeId, b.placeId);

const assessPlace = (
  place: PlaceToAssess,
  late: { withdrawnOn: string; deadline: string } | null,
  discountPercent: number,
  childNumber: number,
  input: HouseholdAssessmentInput,
): FeeLine[] => {
  const { policy, waiver } = input;
  const ids = { placeId: place.placeId, childId: place.childId };
  const fee = place.offeringFee ?? policy.baseFeePerSemester;
  const lines: FeeLine[] = [
    late ? { kind: 'LateWithdrawalCharge', ...ids, amount: fee, ...late } : { kind: 'BaseFee', ...ids, amount: fee },
  ];
  const discount = percentOf(fee, discountPercent);
  if (discount > 0)
    lines.push({ kind: 'SiblingDiscount', ...ids, amount: -discount, percent: discountPercent, childNumber });
  // The waiver reduces what is left after the sibling discount, so the two together never exceed the fee.
  const afterDiscount = fee - discount;
  const waived = waiver ? percentOf(afterDiscount, 100 - waiver.payPercent) : 0;
  if (waiver && waived > 0)
    lines.push({
      kind: 'WaiverReduction',
      ...ids,
      amount: -waived,
      payPercent: waiver.payPercent,
      applicationId: waiver.applicationId,
    });
  // Refunds are of what the household pays: a fully waived place refunds nothing.
  const payable = afterDiscount - waived;
  const refundedLessons = Math.min(
    Math.max(place.cancelledLessons - (policy.refundFromCancelledLesson - 1), 0),
    policy.lessonsPerSemester,
  );
  const refund = Math.floor((payable * refundedLessons) / policy.lessonsPerSemester);
  if (refund > 0)
    lines.push({
      kind: 'CancelledLessonsRefund',
      ...ids,
      amount: -refund,
      cancelledLessons: place.cancelledLessons,
      refundedLessons,
      lessonsPerSemester: policy.lessonsPerSemester,
    });
  return lines;
};

/** The fee lines a payer owes for one semester, place by place, so billing can explain every krone. */
export const assessHousehold = (input: HouseholdAssessmentInput): HouseholdAssessment => {
  validate(input);
  const { semester, policy } = input;
  const notBilled: HouseholdAssessment['notBilled'] = [];
  const billed: { place: PlaceToAssess; late: { withdrawnOn: string; deadline: string } | null }[] = [];
  for (const place of input.places) {
    const outcome = billing(place, semester, policy);
    if (!outcome.billed) notBilled.push({ placeId: place.placeId, reason: outcome.reason });
    else
      billed.push({
        place,
        late:
          outcome.late && place.withdrawnOn !== null
            ? { withdrawnOn: place.withdrawnOn, deadline: outcome.deadline }
            : null,
      });
  }
  const siblings = siblingOrder(input.children, new Set(billed.map(({ place }) => place.childId)));
  const lines = siblings.flatMap((child, index) => {
    const childNumber = index + 1;
    const discounted = childNumber >= policy.siblingDiscount.fromChild;
    return billed
      .filter(({ place }) => place.childId === child.childId)
      .sort((a, b) => byStart(a.place, b.place))
      .flatMap(({ place, late }, placeIndex) =>
        assessPlace(
          place,
          late,
          discounted && placeIndex === 0 ? policy.siblingDiscount.percent : 0,
          childNumber,
          input,
        ),
      );
  });
  return { semester, lines, notBilled, owes: sum(lines.map((line) => line.amount)) };
};
