import { nextSemester } from '#libs/calendar';
import { feeForSemester, type FeeChange, type PlaceWithdrawn } from '#libs/enrolment';
import {
  semesterEnd,
  semesterKey,
  type ChildOfPayer,
  type PlaceToAssess,
  type SchoolYear,
  type Semester,
  type Term,
  type WaiverInForce,
} from '../domain/index.js';

/** What funding knows of a place from the enrolment events. */
export interface PlaceFacts {
  placeId: string;
  offeringId: string;
  childId: string;
  birthYear: number;
  /** The school year of the place's offering: its two semesters are the place's own. */
  schoolYear: string;
  /** The fee the offering opened with, in øre; `feeChanges` (its price list) says which fee a semester pays. */
  feeOre: number | null;
  feeChanges?: readonly FeeChange[];
  startedOn: string;
  /** `owedUpTo`: no semester after it is owed (rule 7); see lastSemesterOwed. */
  withdrawal: { effectiveOn: string; noticeOn: string; owedUpTo: Semester } | null;
  /** Lessons the school cancelled in the offering, per semester key ("2025-2026/autumn"). */
  cancelledLessons?: Readonly<Record<string, number>>;
  /** A transfer's effective day: on the place left (`out`) and on the place taken (`in`). */
  transfer?: { out: string | null; in: string | null };
}

export interface WaiverFacts {
  applicationId: string;
  schoolYear: string;
  payPercent: number;
  status: 'granted' | 'revoked' | 'expired';
  revokedOn: string | null;
}

const termOrder: Record<Term, number> = { autumn: 0, spring: 1 };

export const compareSemesters = (a: Semester, b: Semester): number =>
  a.schoolYear < b.schoolYear ? -1 : a.schoolYear > b.schoolYear ? 1 : termOrder[a.term] - termOrder[b.term];

/** Autumn is August–December, spring January–July. */
export const semesterOfDate = (date: string): Semester => {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 8
    ? { schoolYear: `${year}-${year + 1}`, term: 'autumn' }
    : { schoolYear: `${year - 1}-${year}`, term: 'spring' };
};

export const semestersOfYear = (schoolYear: string): Semester[] => [
  { schoolYear: schoolYear as SchoolYear, term: 'autumn' },
  { schoolYear: schoolYear as SchoolYear, term: 'spring' },
];

const asSemester = ({ schoolYear, term }: { schoolYear: string; term: Term }): Semester => ({
  schoolYear: schoolYear as SchoolYear,
  term,
});

/**
 * The last semester a withdrawal owes, as enrolment decided it (rule 7). An event from before it said so is read as
 * owing at most the next semester when notice came after its deadline, else at most the semester of the last day:
 * within that bound each semester's deadline decides (see givenUpOn), which is the rule too.
 */
export const lastSemesterOwed = (withdrawn: PlaceWithdrawn['data']): Semester => {
  const { lastSemesterOwed: stated, afterDeadline, nextSemester: next, effectiveOn } = withdrawn;
  return asSemester(stated ?? (afterDeadline ? next : semesterOfDate(effectiveOn)));
};

/**
 * `owedUpTo` as stored in funding_places.next_*: rows written before it was stored there hold the next semester,
 * which is owed only when `after_deadline` says so.
 */
export const storedOwedUpTo = (stored: Semester, effectiveOn: string, afterDeadline: boolean | null): Semester => {
  const endsIn = semesterOfDate(effectiveOn);
  return afterDeadline === true || compareSemesters(stored, endsIn) <= 0 ? stored : endsIn;
};

/** The semesters a place can owe: its offering's two, and after them those a withdrawal left owing. */
export const semestersOfPlace = (place: PlaceFacts): Semester[] => {
  const semesters = semestersOfYear(place.schoolYear);
  const owedUpTo = place.withdrawal?.owedUpTo;
  let next = asSemester(nextSemester({ schoolYear: place.schoolYear, term: 'spring' }));
  for (; owedUpTo && compareSemesters(next, owedUpTo) <= 0; next = asSemester(nextSemester(next))) semesters.push(next);
  return semesters;
};

export const isPlaceOf = (place: PlaceFacts, semester: Semester): boolean =>
  semestersOfPlace(place).some((own) => compareSemesters(own, semester) === 0);

/**
 * The day a withdrawn place counts as given up when a semester's deadline is applied (rule 7): not at all in a semester
 * before the one its last day falls in; in that one, once both the last day and the notice have come; after it, on
 * the notice day. The assessment then owes the semester when that day is after its deadline, as enrolment's rule does.
 */
const givenUpOn = (withdrawal: NonNullable<PlaceFacts['withdrawal']>, semester: Semester): string | null => {
  const { effectiveOn, noticeOn } = withdrawal;
  const order = compareSemesters(semester, semesterOfDate(effectiveOn));
  if (order < 0) return null;
  if (order > 0) return noticeOn;
  return effectiveOn > noticeOn ? effectiveOn : noticeOn;
};

export const toPlaceToAssess = (place: PlaceFacts, semester: Semester): PlaceToAssess => ({
  placeId: place.placeId,
  childId: place.childId,
  offeringId: place.offeringId,
  startedOn: place.startedOn,
  withdrawnOn: place.withdrawal === null ? null : givenUpOn(place.withdrawal, semester),
  offeringFee: place.feeOre === null ? null : feeForSemester(place.feeOre, place.feeChanges ?? [], semester),
  cancelledLessons: place.cancelledLessons?.[semesterKey(semester)] ?? 0,
  transferredOutOn: place.transfer?.out ?? null,
  transferredInOn: place.transfer?.in ?? null,
});

/**
 * A waiver covers every semester of its school year, except those not yet over when it was revoked; an expired one
 * still covers its year. With two in force the household gets the better one.
 */
export const waiverFor = (semester: Semester, waivers: readonly WaiverFacts[]): WaiverInForce | null => {
  const applicable = waivers
    .filter((w) => w.schoolYear === semester.schoolYear)
    .filter((w) => w.status !== 'revoked' || (w.revokedOn !== null && w.revokedOn > semesterEnd(semester)))
    .sort((a, b) => a.payPercent - b.payPercent || (a.applicationId < b.applicationId ? -1 : 1));
  const best = applicable[0];
  return best
    ? { applicationId: best.applicationId, schoolYear: semester.schoolYear, payPercent: best.payPercent }
    : null;
};

// Enrolment knows only the birth year: siblings born the same year are ordered by id.
export const childrenOf = (places: readonly PlaceFacts[]): ChildOfPayer[] => {
  const born = new Map<string, number>();
  for (const place of places)
    born.set(place.childId, Math.min(born.get(place.childId) ?? place.birthYear, place.birthYear));
  return [...born].map(([childId, year]) => ({ childId, birthDate: `${String(year).padStart(4, '0')}-01-01` }));
};

/** The domain's assessment input for one payer and semester, from the places of the payer's children. */
export const householdInputFor = (
  semester: Semester,
  places: readonly PlaceFacts[],
  waivers: readonly WaiverFacts[],
): { children: ChildOfPayer[]; places: PlaceToAssess[]; waiver: WaiverInForce | null } => {
  const relevant = places.filter((place) => isPlaceOf(place, semester));
  return {
    children: childrenOf(relevant),
    places: relevant.map((place) => toPlaceToAssess(place, semester)),
    waiver: waiverFor(semester, waivers),
  };
};
