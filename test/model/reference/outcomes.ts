import { semesterEnd, semesterKey, semestersOf, semesterStart, withdrawalDeadline, type Semester } from './calendar.js';
import { queue, waiting, type Place, type School } from './school.js';

/** What the test compares: who waits where in which order, who holds which place, fees, and counts on 1 October. */

/** Per offering: the waiting children in queue order, and the children holding an open offer (any order). */
export const waitlists = (s: School): Record<string, { queue: string[]; offered: string[] }> =>
  Object.fromEntries(
    Object.keys(s.offerings).map((o) => [
      o,
      {
        queue: queue(s, o).map((a) => a.child),
        offered: waiting(s, o)
          .filter((a) => a.offer)
          .map((a) => a.child)
          .sort(),
      },
    ]),
  );

/** Every place: child, offering, first day, last day (null while held). */
export const places = (s: School): string[] =>
  s.places.map((p) => `${p.child} ${p.offering} ${p.startsOn}..${p.lastDay ?? ''}`).sort();

/**
 * Rule 7: a semester is owed by a place held in it, unless the place was given up by the semester's deadline (notice
 * and last day both by 10 August frees the autumn); notice after the deadline owes the semester even if the place
 * ends before it (10 December and the spring).
 */
export const owesSemester = (p: Place, semester: Semester): boolean => {
  if (p.startsOn > semesterEnd(semester)) return false;
  const deadline = withdrawalDeadline(semester);
  const heldAfterDeadline = p.lastDay === null || (p.lastDay >= semesterStart(semester) && p.lastDay > deadline);
  return heldAfterDeadline || (p.noticeOn !== null && p.noticeOn > deadline);
};

/** The day a place began, following it back through the places it went on from. */
const began = (s: School, p: Place): string => {
  const before = s.places.find((q) => q.replacedBy === p.seq);
  return before ? began(s, before) : p.startsOn;
};

/**
 * Fee per payer and semester in øre (rules 8–10): each owed place's semester fee; 50% off the first place of the third
 * and every further child of the same payer (oldest child first); a full waiver makes the school year's fees nothing.
 * Only payers with a place owed that semester appear.
 */
export const feeLines = (s: School, schoolYears: string[]): Record<string, number> => {
  const owed: Record<string, number> = {};
  for (const semester of schoolYears.flatMap(semestersOf)) {
    const byPayer = new Map<string, Place[]>();
    for (const p of s.places) {
      const offering = s.offerings[p.offering];
      const payer = s.payers[p.child];
      if (!offering || offering.schoolYear !== semester.schoolYear || !payer || !owesSemester(p, semester)) continue;
      byPayer.set(payer, [...(byPayer.get(payer) ?? []), p]);
    }
    for (const [payer, held] of byPayer) {
      const fee = (p: Place) => s.offerings[p.offering]?.feeOre ?? 0;
      let total = held.reduce((sum, p) => sum + fee(p), 0);
      const children = [...new Set(held.map((p) => p.child))].sort((a, b) =>
        (s.children[a]?.born ?? '').localeCompare(s.children[b]?.born ?? ''),
      );
      for (const child of children.slice(2)) {
        // The child's first place: the one held longest, a place gone on (rollover, transfer) from its beginning.
        const first = held
          .filter((p) => p.child === child)
          .sort((a, b) => began(s, a).localeCompare(began(s, b)) || a.seq - b.seq)[0];
        if (first) total -= fee(first) / 2;
      }
      if (s.waivers[payer]?.includes(semester.schoolYear)) total = 0;
      owed[`${payer} ${semesterKey(semester)}`] = total;
    }
  }
  return owed;
};

/** GSI as of a day: places of the school year held that day, students once, and children waiting that day. */
export const countsOn = (s: School, schoolYear: string, day: string) => {
  const held = s.places.filter(
    (p) =>
      s.offerings[p.offering]?.schoolYear === schoolYear &&
      p.startsOn <= day &&
      (p.lastDay === null || p.lastDay >= day),
  );
  const waitingChildren = new Set(
    s.applications
      .filter((a) => s.offerings[a.offering]?.schoolYear === schoolYear)
      .filter((a) => a.appliedOn <= day && (a.leftOn === null || a.leftOn > day))
      .map((a) => a.child),
  );
  return {
    students: new Set(held.map((p) => p.child)).size,
    places: held.length,
    waitingChildren: waitingChildren.size,
  };
};
