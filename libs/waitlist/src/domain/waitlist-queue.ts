import { queueOrderOf, type OrderingPolicy, type QueueCriterion } from './waitlist.policy.js';

/** What the ordering policy looks at; nothing else about a child decides its place in the queue. */
export interface QueueEntry {
  readonly applicationId: string;
  readonly childId: string;
  /** The instant the application arrived; only breaks ties within a day. */
  readonly appliedAt: string;
  /** The Oslo calendar day of the application: "application date" in the rule. */
  readonly appliedOn: string;
  /** YYYY-MM: enough to order by age, less identifying than a birth date. */
  readonly born: string;
  readonly specialNeeds: boolean;
  readonly hasPlace: boolean;
  /** The child held a place in the offering's subject when it applied: it applies to keep it (absent: it did not). */
  readonly holdsPlaceInSubject?: boolean;
}

export type RankedEntry<E extends QueueEntry = QueueEntry> = E & {
  /** 1-based. */
  readonly position: number;
  /** The keys that ordered this entry, most significant first, so a case worker can explain the position. */
  readonly reasons: readonly string[];
};

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Criterion {
  readonly compare: (a: QueueEntry, b: QueueEntry) => number;
  readonly reason: (entry: QueueEntry) => string;
}

const firstWhen = (holds: (entry: QueueEntry) => boolean) => (a: QueueEntry, b: QueueEntry) =>
  Number(holds(b)) - Number(holds(a));

const bySpecialNeeds: Criterion = {
  compare: firstWhen((e) => e.specialNeeds),
  reason: (e) => (e.specialNeeds ? 'special needs declared' : 'no special needs declared'),
};
const byNoPlace: Criterion = {
  compare: firstWhen((e) => !e.hasPlace),
  reason: (e) => (e.hasPlace ? 'already has a place' : 'has no place'),
};
const byApplicationDate: Criterion = {
  compare: (a, b) => compareText(a.appliedOn, b.appliedOn),
  reason: (e) => `applied ${e.appliedOn}`,
};
// Older children first: an earlier birth month sorts first.
const byAge: Criterion = {
  compare: (a, b) => compareText(a.born, b.born),
  reason: (e) => `born ${e.born}`,
};

const byExistingPlace: Criterion = {
  compare: firstWhen((e) => e.holdsPlaceInSubject === true),
  reason: (e) => (e.holdsPlaceInSubject ? 'keeps its place in the subject' : 'holds no place in the subject'),
};

const CRITERIA: Readonly<Record<QueueCriterion, Criterion>> = {
  keepExistingPlace: byExistingPlace,
  specialNeeds: bySpecialNeeds,
  noPlaceFirst: byNoPlace,
  appliedFirst: byApplicationDate,
  oldestFirst: byAge,
};

/** The policy's criteria in its order (Trondheim: no place first, application date, age). */
export const criteriaOf = (policy: OrderingPolicy): readonly Criterion[] =>
  queueOrderOf(policy).map((criterion) => CRITERIA[criterion]);

// Ties on every key fall to arrival order, then the id, so the order is total and replays the same.
const tieBreak = (a: QueueEntry, b: QueueEntry): number =>
  Date.parse(a.appliedAt) - Date.parse(b.appliedAt) || compareText(a.applicationId, b.applicationId);

/** The queue's order under a policy: a total order (ties fall to arrival, then the id). */
const queueComparator =
  (criteria: readonly Criterion[]) =>
  (a: QueueEntry, b: QueueEntry): number => {
    for (const criterion of criteria) {
      const order = criterion.compare(a, b);
      if (order !== 0) return order;
    }
    return tieBreak(a, b);
  };

const ranked = <E extends QueueEntry>(entry: E, position: number, criteria: readonly Criterion[]): RankedEntry<E> => ({
  ...entry,
  position,
  reasons: criteria.map((c) => c.reason(entry)),
});

/** The queue in policy order, each entry with its position and the reasons for it. Pure; the read model uses it too. */
export const orderQueue = <E extends QueueEntry>(entries: readonly E[], policy: OrderingPolicy): RankedEntry<E>[] => {
  const criteria = criteriaOf(policy);
  return [...entries].sort(queueComparator(criteria)).map((entry, index) => ranked(entry, index + 1, criteria));
};

/**
 * The head of `orderQueue(entries, policy)`, found in one pass: an offer needs the first in line only, and sorting a
 * long waitlist for every seat cost more than the rest of the command.
 */
export const firstInQueue = <E extends QueueEntry>(
  entries: Iterable<E>,
  policy: OrderingPolicy,
): RankedEntry<E> | undefined => {
  const criteria = criteriaOf(policy);
  const compare = queueComparator(criteria);
  let first: E | undefined;
  for (const entry of entries) if (first === undefined || compare(entry, first) < 0) first = entry;
  return first && ranked(first, 1, criteria);
};
