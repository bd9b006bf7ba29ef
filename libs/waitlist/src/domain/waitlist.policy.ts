import { policiesBySchoolYear, type PoliciesBySchoolYear } from '#libs/decider';
import { firstYearOf } from '#libs/calendar';

/**
 * What orders a waitlist (rule 3), each a key an entry is compared by, most significant first; ties on all of them
 * fall to arrival time, then the application id.
 * - keepExistingPlace: an application to continue in a subject the child already holds a place in goes first
 *   (Lindesnes "beholde eksisterende plass"); the application records it when it is made.
 * - specialNeeds: declared special needs go first.
 * - noPlaceFirst: a child with no place in the culture school goes ahead of one who already has a place.
 * - appliedFirst: the earlier application day (Oslo calendar day) goes first.
 * - oldestFirst: the older child (earlier birth month) goes first.
 */
export const QUEUE_CRITERIA = [
  'keepExistingPlace',
  'specialNeeds',
  'noPlaceFirst',
  'appliedFirst',
  'oldestFirst',
] as const;
export type QueueCriterion = (typeof QUEUE_CRITERIA)[number];

/** Trondheim's order: no place before a second place, then the application day, then age. */
export const TRONDHEIM_QUEUE_ORDER: readonly QueueCriterion[] = ['noPlaceFirst', 'appliedFirst', 'oldestFirst'];
/** Lindesnes' order: keep existing place → special needs → no place before a second subject → oldest first. */
export const LINDESNES_QUEUE_ORDER: readonly QueueCriterion[] = [
  'keepExistingPlace',
  'specialNeeds',
  'noPlaceFirst',
  'oldestFirst',
];

/** Waitlist rules that differ between municipalities (domain README rules 3, 5, 6); Trondheim's values by default. */
export interface WaitlistPolicy {
  /** Rule 3: the criteria that order the queue, most significant first (see QUEUE_CRITERIA). */
  readonly queueOrder: readonly QueueCriterion[];
  /**
   * The older switch for `noPlaceFirst` in the order: false takes it out. Kept because rules were recorded with it;
   * a year whose rules name `queueOrder` shows here whether that order has it.
   */
  readonly noPlaceFirst: boolean;
  /** The older switch for `specialNeeds`: true puts it first when the order does not name it, false takes it out. */
  readonly specialNeedsPriority: boolean;
  /** Days a family has to answer an offer. */
  readonly answerDays: number;
  /** An offer not declined by its deadline counts as accepted ("silence means acceptance"). */
  readonly silenceMeansAcceptance: boolean;
  /** Waitlist entries must be reconfirmed by this day in the spring before the school year starts. */
  readonly reconfirmBy: { readonly month: number; readonly day: number };
  /**
   * The day in the spring the yearly reconfirmation request goes out: every entry made before it must be reconfirmed
   * by that spring's deadline; one made on or after it was made for the coming school year and confirms itself.
   */
  readonly reconfirmationRequestedOn: { readonly month: number; readonly day: number };
  /** Rule 12: seats of a coming school year are offered in queue order on this day in June, not as applications come. */
  readonly mainAdmissionOn: { readonly month: number; readonly day: number };
  /** When enrolment refuses an accepted offer: the child keeps its position in the queue, or its entry ends. */
  readonly refusedAdmission: 'keeps-position' | 'ends-entry';
}

export type OrderingPolicy = Pick<WaitlistPolicy, 'noPlaceFirst' | 'specialNeedsPriority'> &
  Partial<Pick<WaitlistPolicy, 'queueOrder'>>;

/**
 * The criteria a policy orders by: its `queueOrder` (Trondheim's when it has none), with the older switches applied
 * on top, so rules recorded before `queueOrder` existed order as they did.
 */
export const queueOrderOf = (policy: OrderingPolicy): readonly QueueCriterion[] => {
  const order = (policy.queueOrder ?? TRONDHEIM_QUEUE_ORDER).filter(
    (c) => (c !== 'noPlaceFirst' || policy.noPlaceFirst) && (c !== 'specialNeeds' || policy.specialNeedsPriority),
  );
  return policy.specialNeedsPriority && !order.includes('specialNeeds') ? ['specialNeeds', ...order] : order;
};

/** Why a queue order cannot be taken: a criterion not known, or one named twice; undefined when it can. */
export const queueOrderProblem = (order: readonly unknown[]): string | undefined => {
  const unknown = order.find((c) => !(QUEUE_CRITERIA as readonly unknown[]).includes(c));
  if (unknown !== undefined) return `${JSON.stringify(unknown)} is not one of ${QUEUE_CRITERIA.join(', ')}`;
  const twice = order.find((c, i) => order.indexOf(c) !== i);
  return twice === undefined ? undefined : `${JSON.stringify(twice)} is named twice`;
};

export const trondheimWaitlistPolicy: WaitlistPolicy = {
  queueOrder: TRONDHEIM_QUEUE_ORDER,
  noPlaceFirst: true,
  specialNeedsPriority: false,
  answerDays: 7,
  silenceMeansAcceptance: true,
  reconfirmBy: { month: 5, day: 1 },
  reconfirmationRequestedOn: { month: 4, day: 1 },
  mainAdmissionOn: { month: 6, day: 15 },
  refusedAdmission: 'keeps-position',
};

/** The policy in force for a school year ("2025-2026"). */
export type WaitlistPolicies = PoliciesBySchoolYear<WaitlistPolicy>;

/**
 * A year's rules with the order and its switches agreeing: an order named for the year is taken as it stands (the
 * switches then say what it holds); switches alone adjust the default order, as they did before `queueOrder`.
 */
const withQueueOrder = (policy: WaitlistPolicy, named: boolean): WaitlistPolicy => {
  const queueOrder = named ? policy.queueOrder : queueOrderOf(policy);
  return {
    ...policy,
    queueOrder,
    noPlaceFirst: queueOrder.includes('noPlaceFirst'),
    specialNeedsPriority: queueOrder.includes('specialNeeds'),
  };
};

/** Trondheim's defaults, overridden per school year where the municipality decided otherwise. */
export const waitlistPolicies = (
  overrides: Readonly<Record<string, Partial<WaitlistPolicy>>> = {},
  defaults: WaitlistPolicy = trondheimWaitlistPolicy,
): WaitlistPolicies => {
  const merged = policiesBySchoolYear(overrides, defaults);
  return (schoolYear) => withQueueOrder(merged(schoolYear), overrides[schoolYear]?.queueOrder !== undefined);
};

/** Checks a year's waitlist rules beyond their shape: the queue order names known criteria, each once. */
export const checkWaitlistRules = (
  rules: Readonly<Record<string, unknown>>,
): { rule: string; message: string } | undefined => {
  const message = Array.isArray(rules.queueOrder) ? queueOrderProblem(rules.queueOrder) : undefined;
  return message === undefined ? undefined : { rule: 'queueOrder', message };
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** The last day (YYYY-MM-DD, inclusive) to reconfirm a waitlist entry for a school year: in the spring before it starts. */
export const reconfirmationDeadline = (schoolYear: string, policy: WaitlistPolicy): string =>
  `${firstYearOf(schoolYear)}-${pad(policy.reconfirmBy.month)}-${pad(policy.reconfirmBy.day)}`;

/** The day (YYYY-MM-DD) the yearly reconfirmation request for a school year goes out. */
export const reconfirmationRequestDay = (schoolYear: string, policy: WaitlistPolicy): string =>
  `${firstYearOf(schoolYear)}-${pad(policy.reconfirmationRequestedOn.month)}-${pad(policy.reconfirmationRequestedOn.day)}`;

/** The day (YYYY-MM-DD) of a school year's main admission, in the spring before it starts. */
export const mainAdmissionDay = (schoolYear: string, policy: WaitlistPolicy): string =>
  `${firstYearOf(schoolYear)}-${pad(policy.mainAdmissionOn.month)}-${pad(policy.mainAdmissionOn.day)}`;
