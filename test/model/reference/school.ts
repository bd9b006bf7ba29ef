import { addDays, schoolYearEnd, schoolYearOn, schoolYearStart } from './calendar.js';

/*
 * The reference model: a kulturskole as the domain brief's rules describe it, in plain data and plain functions,
 * written apart from the deciders. Children, guardians and offerings are named by the model's own labels.
 */

export const PLACES_PER_STUDENT = 2; // rule 2
export const ANSWER_DAYS = 7; // rule 5: decline within 7 days; silence is acceptance
export const REREGISTRATION_DEADLINE = '05-01'; // rule 6: by 1 May
export const RECONFIRMATION_REQUEST = '04-01'; // rule 6: entries made before the spring request must be confirmed
export const MAIN_ADMISSION_DAY = '06-15'; // rule 12: main admission in June

export interface Child {
  label: string;
  born: string;
  guardian: string;
}
export interface Offering {
  label: string;
  key: string;
  schoolYear: string;
  capacity: number;
  feeOre: number;
  successor: string | null;
}
export interface Application {
  seq: number;
  child: string;
  offering: string;
  appliedOn: string;
  payer: string;
  confirmedFor: string[];
  /** Enrolment refused the accepted offer (rule 2): passed over until the child gives up a place. */
  passedOver: boolean;
  offer: { madeOn: string } | null;
  leftOn: string | null;
}
export interface Place {
  seq: number;
  child: string;
  offering: string;
  startsOn: string;
  /** Last day held; null while held. */
  lastDay: string | null;
  /** The day notice was given (a withdrawal or a quit); rule 7 reads it. */
  noticeOn: string | null;
  /** The place went on as another (transfer, rollover): not given up, so not counted twice. */
  replacedBy: number | null;
}
export interface School {
  today: string;
  children: Record<string, Child>;
  offerings: Record<string, Offering>;
  applications: Application[];
  places: Place[];
  payers: Record<string, string | null>;
  /** guardian → school years with a full waiver (rule 10: income ≤ 4 G). */
  waivers: Record<string, string[]>;
  mainAdmissionRun: string[];
  reconfirmationRun: string[];
  erased: string[];
  seq: number;
}

export const emptySchool = (today: string, children: Child[], offerings: Offering[]): School => ({
  today,
  children: Object.fromEntries(children.map((c) => [c.label, c])),
  offerings: Object.fromEntries(offerings.map((o) => [o.label, o])),
  applications: [],
  places: [],
  payers: Object.fromEntries(children.map((c) => [c.label, null])),
  waivers: {},
  mainAdmissionRun: [],
  reconfirmationRun: [],
  erased: [],
  seq: 0,
});

/** A place the student holds (rule 2): not given notice on, not gone on as another place. */
export const isActive = (p: Place): boolean => p.noticeOn === null && p.replacedBy === null;
export const activePlaces = (s: School, child: string): Place[] =>
  s.places.filter((p) => p.child === child && isActive(p));
/** A seat is held from enrolment through the place's last day. */
const holdsSeat = (s: School, p: Place): boolean => p.lastDay === null || p.lastDay >= s.today;
export const waiting = (s: School, offering: string): Application[] =>
  s.applications.filter((a) => a.offering === offering && a.leftOn === null);
export const freeSeats = (s: School, offering: string): number => {
  const o = s.offerings[offering];
  if (!o) return 0;
  const held = s.places.filter((p) => p.offering === offering && holdsSeat(s, p)).length;
  const offered = waiting(s, offering).filter((a) => a.offer !== null).length;
  return o.capacity - held - offered;
};

/** Rule 3: no place before a place, then the application date, then age (older first), then arrival. */
export const queue = (s: School, offering: string): Application[] => {
  const hasPlace = (a: Application) => (activePlaces(s, a.child).length > 0 ? 1 : 0);
  const born = (a: Application) => s.children[a.child]?.born.slice(0, 7) ?? '';
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return waiting(s, offering)
    .filter((a) => a.offer === null)
    .sort(
      (a, b) => hasPlace(a) - hasPlace(b) || cmp(a.appliedOn, b.appliedOn) || cmp(born(a), born(b)) || a.seq - b.seq,
    );
};

const isComing = (s: School, o: Offering): boolean => s.today < schoolYearStart(o.schoolYear);
const isOver = (s: School, o: Offering): boolean => s.today > schoolYearEnd(o.schoolYear);

/** The admission process: every free seat of a running (or main-admitted) offering goes to the queue's head. */
export const admit = (s: School): void => {
  for (const o of Object.values(s.offerings)) {
    if (isOver(s, o) || (isComing(s, o) && !s.mainAdmissionRun.includes(o.label))) continue;
    for (;;) {
      const head = queue(s, o.label).find((a) => !a.passedOver);
      if (!head || freeSeats(s, o.label) <= 0) break;
      head.offer = { madeOn: s.today };
    }
  }
};

/** A place begins today, or with its school year when that is still to come. */
const firstDay = (s: School, o: Offering): string =>
  s.today < schoolYearStart(o.schoolYear) ? schoolYearStart(o.schoolYear) : s.today;

const newPlace = (s: School, child: string, offering: string, startsOn: string): Place => {
  const place = { seq: ++s.seq, child, offering, startsOn, lastDay: null, noticeOn: null, replacedBy: null };
  s.places.push(place);
  return place;
};

/** Gives up a place: children passed over elsewhere may be offered again (their places changed). */
const gaveUpPlace = (s: School, child: string): void => {
  for (const a of s.applications) if (a.child === child) a.passedOver = false;
};

/**
 * An accepted offer becomes a place, unless rule 2 refuses it, or the child's personal data was erased while the offer
 * stood (an erased person can be given nothing new; silence still runs out): then the entry is kept, passed over.
 */
const acceptOffer = (s: School, a: Application): void => {
  a.offer = null;
  const refused = activePlaces(s, a.child).length >= PLACES_PER_STUDENT || placeIn(s, a.child, a.offering);
  if (refused || s.erased.includes(a.child)) {
    a.passedOver = true;
    return;
  }
  a.leftOn = s.today;
  const offering = s.offerings[a.offering];
  newPlace(s, a.child, a.offering, offering ? firstDay(s, offering) : s.today);
  // The applying guardian pays unless another payer is named.
  if (s.payers[a.child] == null) s.payers[a.child] = a.payer;
};

/** Time passes to `day`: silent offers are accepted, the spring's unconfirmed entries go, June's admission runs. */
export const advanceTo = (s: School, day: string): void => {
  if (day < s.today) throw new Error(`time runs forward: ${day} < ${s.today}`);
  s.today = day;
  const expired = s.applications
    .filter((a) => a.offer && addDays(a.offer.madeOn, ANSWER_DAYS) < day)
    .sort((a, b) => (a.offer?.madeOn ?? '').localeCompare(b.offer?.madeOn ?? '') || a.seq - b.seq);
  for (const a of expired) acceptOffer(s, a);
  admit(s);
  const year = Number(day.slice(0, 4));
  const coming = `${year}-${year + 1}`;
  if (day > `${year}-${REREGISTRATION_DEADLINE}` && !s.reconfirmationRun.includes(coming)) {
    s.reconfirmationRun.push(coming);
    for (const a of s.applications)
      if (a.leftOn === null && a.offer === null && a.appliedOn < `${year}-${RECONFIRMATION_REQUEST}`)
        if (!a.confirmedFor.includes(coming)) a.leftOn = day;
  }
  for (const o of Object.values(s.offerings))
    if (isComing(s, o) && day >= `${Number(o.schoolYear.slice(0, 4))}-${MAIN_ADMISSION_DAY}`)
      if (!s.mainAdmissionRun.includes(o.label)) s.mainAdmissionRun.push(o.label);
  admit(s);
};

/**
 * The next day after today, up to `until`, on which the calendar does something by itself (a silent offer accepted, a
 * seat freed after a last day, unconfirmed entries removed, June's main admission): time passes through each of them
 * as the daily tick would, never over them.
 */
export const nextDueDay = (s: School, until: string): string => {
  const days = [
    ...s.applications.flatMap((a) => (a.offer ? [addDays(a.offer.madeOn, ANSWER_DAYS + 1)] : [])),
    ...s.places.flatMap((p) => (p.lastDay ? [addDays(p.lastDay, 1)] : [])),
    ...[s.today.slice(0, 4), String(Number(s.today.slice(0, 4)) + 1)].flatMap((year) => [
      addDays(`${year}-${REREGISTRATION_DEADLINE}`, 1),
      `${year}-${MAIN_ADMISSION_DAY}`,
    ]),
  ].filter((day) => day > s.today && day < until);
  return days.sort()[0] ?? until;
};

export type Outcome = 'done' | 'refused' | 'nothing';

export type Command =
  | { type: 'apply'; child: string; offering: string }
  | { type: 'answer'; child: string; offering: string; accept: boolean }
  | { type: 'withdrawApplication'; child: string; offering: string }
  | { type: 'reconfirm'; child: string; offering: string }
  | { type: 'enrol'; child: string; offering: string }
  | { type: 'withdraw'; child: string; offering: string; lastDayIn: number }
  | { type: 'transfer'; child: string; offering: string; to: string }
  | { type: 'reregister'; child: string; offering: string; continues: boolean }
  | { type: 'registerPayer'; child: string; guardian: string }
  | { type: 'waiver'; guardian: string; lowIncome: boolean }
  | { type: 'erase'; child: string }
  | { type: 'rollover'; drop: string | null }
  | { type: 'mainAdmission'; offering: string };

const placeIn = (s: School, child: string, offering: string): Place | undefined =>
  s.places.find((p) => p.child === child && p.offering === offering && isActive(p));
const entryIn = (s: School, child: string, offering: string): Application | undefined =>
  waiting(s, offering).find((a) => a.child === child);

/** Runs one command on the model; what the real system must answer: done (2xx), refused (4xx) or nothing to do. */
export const run = (s: School, command: Command): Outcome => {
  const outcome = decide(s, command);
  admit(s);
  return outcome;
};

const decide = (s: School, c: Command): Outcome => {
  if ('child' in c && s.erased.includes(c.child)) return 'nothing';
  switch (c.type) {
    case 'apply': {
      const o = s.offerings[c.offering];
      const child = s.children[c.child];
      if (!o || !child || isOver(s, o)) return 'nothing';
      // One application per subject (offering); a child holding a place in it may apply (to keep it next year).
      if (entryIn(s, c.child, c.offering)) return 'refused';
      const confirmedFor =
        s.today.slice(5) >= RECONFIRMATION_REQUEST ? [`${s.today.slice(0, 4)}-${Number(s.today.slice(0, 4)) + 1}`] : [];
      s.applications.push({
        ...{ seq: ++s.seq, child: c.child, offering: c.offering, appliedOn: s.today, payer: child.guardian },
        ...{ confirmedFor, passedOver: false, offer: null, leftOn: null },
      });
      return 'done';
    }
    case 'answer': {
      const a = entryIn(s, c.child, c.offering);
      if (!a?.offer) return 'nothing';
      if (c.accept) acceptOffer(s, a);
      else {
        a.offer = null;
        a.leftOn = s.today;
      }
      return 'done';
    }
    case 'withdrawApplication': {
      const a = entryIn(s, c.child, c.offering);
      if (!a) return 'nothing';
      a.offer = null;
      a.leftOn = s.today;
      return 'done';
    }
    case 'reconfirm': {
      const a = entryIn(s, c.child, c.offering);
      if (!a) return 'nothing';
      const year = Number(s.today.slice(0, 4));
      a.confirmedFor.push(`${year}-${year + 1}`);
      return 'done';
    }
    case 'enrol': {
      const o = s.offerings[c.offering];
      if (!o || isOver(s, o)) return 'nothing';
      if (placeIn(s, c.child, c.offering)) return 'refused';
      if (activePlaces(s, c.child).length >= PLACES_PER_STUDENT) return 'refused';
      if (freeSeats(s, c.offering) <= 0) return 'refused';
      newPlace(s, c.child, c.offering, firstDay(s, o));
      // No rule ends the child's waiting entry for the offering: it stays.
      return 'done';
    }
    case 'withdraw': {
      const p = placeIn(s, c.child, c.offering);
      if (!p) return 'nothing';
      p.noticeOn = s.today;
      p.lastDay = addDays(s.today, c.lastDayIn);
      gaveUpPlace(s, c.child);
      return 'done';
    }
    case 'transfer': {
      const p = placeIn(s, c.child, c.offering);
      const to = s.offerings[c.to];
      const from = s.offerings[c.offering];
      if (!p || !to || !from || to.schoolYear !== from.schoolYear || c.to === c.offering) return 'nothing';
      // Effective from the next semester's first day in the same school year (autumn only: 1 January).
      const effectiveOn = `${Number(from.schoolYear.slice(0, 4)) + 1}-01-01`;
      if (s.today >= effectiveOn || p.startsOn >= effectiveOn) return 'nothing';
      if (placeIn(s, c.child, c.to)) return 'refused';
      if (freeSeats(s, c.to) <= 0) return 'refused';
      const next = newPlace(s, c.child, c.to, effectiveOn);
      p.lastDay = addDays(effectiveOn, -1);
      p.replacedBy = next.seq;
      return 'done';
    }
    case 'reregister': {
      const p = placeIn(s, c.child, c.offering);
      if (!p) return 'nothing';
      if (!c.continues) {
        p.noticeOn = s.today;
        p.lastDay = schoolYearEnd(s.offerings[c.offering]?.schoolYear ?? '');
        gaveUpPlace(s, c.child);
      }
      return 'done';
    }
    case 'registerPayer':
      s.payers[c.child] = c.guardian;
      return 'done';
    case 'waiver': {
      // Rule 10: ≤ 4 G gives a full waiver for the school year applied for; the model's incomes are far from 4 G.
      if (!c.lowIncome) return 'done';
      const year = schoolYearOf(s);
      s.waivers[c.guardian] = [...(s.waivers[c.guardian] ?? []), year];
      return 'done';
    }
    case 'erase':
      s.erased.push(c.child);
      return 'done';
    case 'rollover':
      return rollover(s, c.drop);
    case 'mainAdmission': {
      const o = s.offerings[c.offering];
      if (!o || !isComing(s, o) || s.mainAdmissionRun.includes(o.label)) return 'nothing';
      s.mainAdmissionRun.push(o.label);
      return 'done';
    }
  }
};

const schoolYearOf = (s: School): string => schoolYearOn(s.today);

/**
 * Rollover: each offering of the running school year opens again in the next (capacity and fee kept), unless dropped;
 * every place that did not quit continues in it from 1 August; waiting children carry over in their order, none of
 * them passed over (a refusal under last year's places says nothing of the new year's).
 */
const rollover = (s: School, drop: string | null): Outcome => {
  const year = schoolYearOf(s);
  const next = `${Number(year.slice(0, 4)) + 1}-${Number(year.slice(0, 4)) + 2}`;
  const current = Object.values(s.offerings).filter((o) => o.schoolYear === year);
  for (const o of current) {
    if (o.key === drop) {
      for (const p of s.places.filter((q) => q.offering === o.label && isActive(q))) {
        p.lastDay = schoolYearEnd(year);
        p.replacedBy = 0; // ends with the year, not given up by the family
      }
      continue;
    }
    const label = `${o.key}@${next}`;
    s.offerings[label] = { ...o, label, schoolYear: next, successor: null };
    o.successor = label;
    for (const p of s.places.filter((q) => q.offering === o.label && isActive(q))) {
      const continued = newPlace(s, p.child, label, schoolYearStart(next));
      p.lastDay = schoolYearEnd(year);
      p.replacedBy = continued.seq;
    }
    for (const a of queue(s, o.label)) {
      a.leftOn = s.today;
      s.applications.push({
        ...a,
        seq: ++s.seq,
        offering: label,
        leftOn: null,
        offer: null,
        confirmedFor: [...a.confirmedFor],
        // Rule 2 counts the places of the new school year: a child passed over for last year's places is judged again.
        passedOver: false,
      });
    }
  }
  return 'done';
};
