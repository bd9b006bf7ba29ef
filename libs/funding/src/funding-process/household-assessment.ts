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
  feeOre: number | null;
  startedOn: string;
  withdrawal: { effectiveOn: string; noticeOn: string; afterDeadline: boolean; next: Semester } | null;
  /** Lessons the school cancelled in the offering, per semester key ("2025-2026/autumn"). */
  cancelledLessons?: Readonly<Record<string, number>>;
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

/** The semesters a place can owe: its offering's two, and the next one when notice came after its deadline. */
export const semestersOfPlace = (place: PlaceFacts): Semester[] => [
  ...semestersOfYear(place.schoolYear),
  ...(place.withdrawal?.afterDeadline ? [place.withdrawal.next] : []),
];

export const isPlaceOf = (place: PlaceFacts, semester: Semester): boolean =>
  place.schoolYear === semester.schoolYear ||
  (place.withdrawal?.afterDeadline === true && compareSemesters(place.withdrawal.next, semester) === 0);

/**
 * The enrolment context says which semesters a withdrawal owes: the one the place ends in, and the next when notice
 * came after its deadline. The assessment sees the place as still held up to the semester it ends in, and as
 * withdrawn on the notice day after that, so the domain's deadline rule charges (or frees) the next semester.
 */
export const toPlaceToAssess = (place: PlaceFacts, semester: Semester): PlaceToAssess => {
  const stillHeld =
    place.withdrawal === null || compareSemesters(semester, semesterOfDate(place.withdrawal.effectiveOn)) <= 0;
  return {
    placeId: place.placeId,
    childId: place.childId,
    offeringId: place.offeringId,
    startedOn: place.startedOn,
    withdrawnOn: stillHeld || place.withdrawal === null ? null : place.withdrawal.noticeOn,
    offeringFee: place.feeOre,
    cancelledLessons: place.cancelledLessons?.[semesterKey(semester)] ?? 0,
  };
};

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
