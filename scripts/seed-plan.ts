import { DEFAULT_REGISTERS, type Registers } from '#libs/municipality';
import { birthDateOf, isValidFodselsnummer } from '#libs/personal-data';

/**
 * The seed as a school's own history (issue 14, ADR 0014): two school years ending in the one `today` falls in,
 * written as import lines with the dates things happened, for each tenant of the deployment's registers. A fixed
 * random seed gives the same school every run (relative to today). Figures from the domain brief: Trondheim ~3,700
 * students holding ~4,700 places, ~1,600 waiting, 14 Kulturdag pilot schools; a smaller second municipality.
 * Names are invented; national ids are synthetic (month + 80: Skatteetaten's test series, no real person holds one).
 */
export const mulberry32 = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The random seed `npm run seed` plans with. */
export const SEED = 20_251_001;

export interface SeedProfile {
  tenant: string;
  /** Figures of the current school year, today. */
  students: number;
  places: number;
  waiting: number;
  kulturdagSchools: number;
  /** Seats per offering by form, and the share of the centres (by register key; others share the rest evenly). */
  centreWeights: Record<string, number>;
  feePerSemesterNok: number;
}

export const PROFILES: Record<string, SeedProfile> = {
  trondheim: {
    tenant: 'trondheim',
    students: 3_700,
    places: 4_700,
    waiting: 1_600,
    kulturdagSchools: 14,
    // Klæbu's ~300 places of ~4,700 (the domain brief).
    centreWeights: { Midtbyen: 0.24, Byåsen: 0.2, Ranheim: 0.18, Huseby: 0.16, Spongdal: 0.16, Klæbu: 0.06 },
    feePerSemesterNok: 2105,
  },
  lindesnes: {
    tenant: 'lindesnes',
    students: 420,
    places: 500,
    waiting: 90,
    kulturdagSchools: 3,
    centreWeights: { Buen: 0.6, Vigeland: 0.25, Øyslebø: 0.15 },
    feePerSemesterNok: 1950,
  },
};

/** One import line, as `npm run import` reads it. */
export interface SeedLine {
  key: string;
  at: string;
  command: string;
  data: Record<string, unknown>;
}

export interface Figures {
  students: number;
  places: number;
  waitingChildren: number;
}

export interface SeedHistory {
  tenant: string;
  schoolYears: { previous: string; current: string };
  lines: SeedLine[];
  /** What the statistics must show after the import: today in the current year, and GSI per 1 October passed. */
  expected: { today: { date: string; schoolYear: string } & Figures; gsi: Record<string, Figures> };
}

const FIRST_NAMES = ['Nora', 'Emma', 'Olivia', 'Ella', 'Sofie', 'Jakob', 'Emil', 'Noah', 'Oliver', 'Filip', 'Ingrid'];
const MORE_FIRST_NAMES = ['Aksel', 'Sara', 'Johannes', 'Leah', 'Iben'];
const LAST_NAMES = ['Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen'];
const MORE_LAST_NAMES = ['Jensen', 'Karlsen', 'Berg', 'Haugen'];
const NAMES = { first: [...FIRST_NAMES, ...MORE_FIRST_NAMES], last: [...LAST_NAMES, ...MORE_LAST_NAMES] };

// Seats per offering: individual lessons are one teacher's week, groups a class.
const CAPACITY = { individual: 12, group: 16 } as const;

const SYNTHETIC = { acceptSynthetic: true };

/**
 * A synthetic fødselsnummer (month + 80) for someone born on `born` (1940–2039), with the 9th digit's parity of the
 * gender, and not one already `taken`.
 */
export const syntheticFodselsnummer = (born: string, gender: 'female' | 'male', taken: Set<string>): string => {
  const [year = '', month = '', day = ''] = born.split('-');
  const birth = `${day}${Number(month) + 80}${year.slice(2)}`;
  // Individual numbers 500–999 are those born 2000–2039, 000–499 those born 1900–1999.
  const first = Number(year) >= 2000 ? 500 : 0;
  for (let individual = first + (gender === 'male' ? 1 : 0); individual <= first + 499; individual += 2) {
    for (let check = 0; check < 100; check++) {
      const candidate = `${birth}${String(individual).padStart(3, '0')}${String(check).padStart(2, '0')}`;
      if (!isValidFodselsnummer(candidate, SYNTHETIC) || taken.has(candidate)) continue;
      if (birthDateOf(candidate, SYNTHETIC) !== born) continue;
      taken.add(candidate);
      return candidate;
    }
  }
  throw new Error(`no synthetic fødselsnummer left for ${gender} born ${born}`);
};

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
/** An instant on the day, spread over 07:00–19:00 UTC so its Oslo date is the same day. */
const onDay = (date: string, n: number) => {
  if (n >= 43_200) throw new Error(`more than 43,200 facts planned on ${date}`);
  return new Date(dayMs(date) + 7 * 3_600_000 + n * 1000).toISOString();
};

/** The school year (1 August – 31 July) a day falls in, by its first calendar year. */
export const schoolYearStarting = (date: string): number =>
  Number(date.slice(5, 7)) >= 8 ? Number(date.slice(0, 4)) : Number(date.slice(0, 4)) - 1;

interface Place {
  key: string;
  person: string;
  offering: number;
  schoolYear: 'previous' | 'current';
  start: string;
  /** The place's last day, when it has one. */
  end: string | null;
}

interface Waiting {
  child: string;
  offering: number;
  applied: string;
}

/**
 * The plan of one tenant's two school years, ending in the one `today` falls in. The school grows into this year's
 * figures: last year had 95% of its students; a few withdrew during the year, some quit at its end, the rest
 * continued through the rollover, and new students came in August. Popular offerings are full and hold the waitlist
 * (nobody leaves them), so no seat is free for a waiting child and the figures are exact.
 */
export const seedHistory = (profile: SeedProfile, seed: number, today: Date): SeedHistory => {
  const registers: Registers | undefined = DEFAULT_REGISTERS[profile.tenant];
  if (!registers) throw new Error(`no registers for ${profile.tenant}`);
  const random = mulberry32(seed + profile.tenant.length * 7919);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const todayDate = today.toISOString().slice(0, 10);
  const y0 = schoolYearStarting(todayDate) - 1;
  const previous = `${y0}-${y0 + 1}`;
  const current = `${y0 + 1}-${y0 + 2}`;
  const latest = isoDay(dayMs(todayDate) - DAY); // nothing is imported later than yesterday
  const within = (date: string) => date <= latest;
  const dateBetween = (from: string, to: string) =>
    isoDay(dayMs(from) + Math.floor((random() * (dayMs(to) - dayMs(from) + DAY)) / DAY) * DAY);

  const lines: SeedLine[] = [];
  // Within a day, lines keep the order they are planned in: a person before its place, a place before its payer.
  const perDay = new Map<string, number>();
  const line = (key: string, date: string, command: string, data: Record<string, unknown>) => {
    const n = perDay.get(date) ?? 0;
    perDay.set(date, n + 1);
    lines.push({ key, at: onDay(date, n), command, data });
  };

  // Centres from the tenant's register, weighted; subjects from its catalogue, each in its first form.
  const centres = Object.entries(registers.centres).map(([key, centre]) => ({
    key,
    district: centre.district,
    weight: profile.centreWeights[key] ?? 0,
  }));
  const subjects = Object.values(registers.subjects)
    .filter((subject) => !subject.name.startsWith('Talent'))
    .map((subject) => ({ ...subject, form: subject.forms[0] ?? 'group' }));
  const schools = Object.values(registers.schools);
  const centre = () => {
    let r = random();
    for (const c of centres) if ((r -= c.weight) < 0) return c;
    return centres[0] as (typeof centres)[number];
  };

  // Offerings of last year, until their seats hold last year's places with room to grow. Every third is popular:
  // full, with a waitlist.
  const placesPrevious = Math.round(profile.places * 0.95);
  const offerings: { key: string; capacity: number; popular: boolean; fill: number }[] = [];
  for (let seats = 0; seats < placesPrevious;) {
    const c = centre();
    const subject = pick(subjects);
    const capacity = CAPACITY[subject.form as keyof typeof CAPACITY] ?? 12;
    const popular = offerings.length % 3 === 0;
    const key = `offering-${previous}-${offerings.length}`;
    offerings.push({ key, capacity, popular, fill: popular ? capacity : Math.floor(capacity * 0.8) });
    seats += popular ? capacity : Math.floor(capacity * 0.8);
    line(key, `${y0}-03-01`, 'openOffering', {
      subject: subject.name,
      subjectGroup: subject.subjectGroup,
      programme: 'core',
      location: c.key,
      district: c.district,
      form: subject.form,
      capacity,
      feePerSemesterNok: profile.feePerSemesterNok,
      schoolYear: previous,
    });
  }

  // People: each student and waiting child registered the day it first appears.
  const nationalIds = new Set<string>();
  let people = 0;
  const nationalIdOf = new Map<string, string>();
  const person = (date: string, born: string, gender: 'female' | 'male') => {
    const key = `person-${people++}`;
    const name = `${pick(NAMES.first)} ${pick(NAMES.last)}`;
    const nationalId = syntheticFodselsnummer(born, gender, nationalIds);
    nationalIdOf.set(key, nationalId);
    line(key, date, 'registerPerson', { nationalId, name, gender });
    return key;
  };
  const birthDate = (from: number, to: number) =>
    `${from + Math.floor(random() * (to - from + 1))}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;

  // Guardians pay: one in ten has two or three children in the school (the sibling discount's case).
  let guardian = { nationalId: '', children: 0, limit: 0 };
  const payerFor = () => {
    if (guardian.children >= guardian.limit) {
      guardian = {
        nationalId: syntheticFodselsnummer(birthDate(1975, 1992), random() < 0.6 ? 'female' : 'male', nationalIds),
        children: 0,
        limit: random() < 0.1 ? 2 + Math.floor(random() * 2) : 1,
      };
    }
    guardian.children++;
    return guardian.nationalId;
  };

  const places: Place[] = [];
  const students: { person: string; born: string; gender: 'female' | 'male'; district: string; school: string }[] = [];
  const held = new Map<string, Set<number>>();
  const fill = offerings.map(() => 0);
  const enrol = (
    student: (typeof students)[number],
    offering: number,
    date: string,
    schoolYear: Place['schoolYear'],
    ref: string,
  ) => {
    const key = `place-${places.length}`;
    line(key, date, 'enrolStudent', {
      offering: ref,
      person: student.person,
      birthYear: Number(student.born.slice(0, 4)),
      gender: student.gender,
      district: student.district,
      school: student.school,
    });
    places.push({ key, person: student.person, offering, schoolYear, start: date, end: null });
    held.set(student.person, (held.get(student.person) ?? new Set()).add(offering));
    return key;
  };
  const newStudent = (date: string) => {
    const gender = random() < 0.56 ? 'female' : 'male';
    const born = birthDate(Number(date.slice(0, 4)) - 18, Number(date.slice(0, 4)) - 6);
    const school = pick(schools);
    const student = {
      person: person(date, born, gender),
      born,
      gender,
      district: school.district,
      school: school.name,
    } as const;
    students.push(student);
    return student;
  };
  // A seat for the student in an offering it does not hold, of those with room: popular ones first, so that every
  // popular offering is full and its waiting children get no seat the plan does not count.
  const seatFor = (student: (typeof students)[number], limit: (o: number) => number) => {
    const room = (o: number) => (fill[o] ?? 0) < limit(o) && !held.get(student.person)?.has(o);
    const popularWithRoom = offerings.flatMap((offering, o) => (offering.popular && room(o) ? [o] : []));
    if (popularWithRoom.length > 0) return pick(popularWithRoom);
    for (let tries = 0; tries < 60; tries++) {
      const o = Math.floor(random() * offerings.length);
      if ((fill[o] ?? 0) < limit(o) && !held.get(student.person)?.has(o)) return o;
    }
    return offerings.findIndex((_, o) => (fill[o] ?? 0) < limit(o) && !held.get(student.person)?.has(o));
  };

  // Last year's places, from mid-August to late September (all before 1 October).
  const studentsPrevious = Math.round(profile.students * 0.95);
  const enrolled: { student: (typeof students)[number]; date: string }[] = [];
  for (let n = 0; n < studentsPrevious; n++)
    enrolled.push({ student: newStudent(`${y0}-08-10`), date: dateBetween(`${y0}-08-11`, `${y0}-09-26`) });
  // …placed in date order, so the file is in time order.
  const placeLast = (student: (typeof students)[number], date: string) => {
    const o = seatFor(student, (i) => offerings[i]?.fill ?? 0);
    if (o < 0) return false;
    fill[o] = (fill[o] ?? 0) + 1;
    enrol(student, o, date, 'previous', offerings[o]?.key ?? '');
    return true;
  };
  const firstPlaces = [...enrolled].sort((a, b) => a.date.localeCompare(b.date));
  for (const { student, date } of firstPlaces) placeLast(student, date);
  for (let n = 0; places.length < placesPrevious && n < placesPrevious * 10; n++) {
    const { student } = pick(enrolled);
    if ((held.get(student.person)?.size ?? 0) < 2) placeLast(student, `${y0}-09-27`);
  }

  // Payers: every student's guardian, registered with the first place.
  const payerOf = new Map<string, string>();
  for (const place of places) {
    if (payerOf.has(place.person)) continue;
    const payerNationalId = payerFor();
    payerOf.set(place.person, payerNationalId);
    line(`payer-${place.person}`, `${y0}-09-28`, 'registerPayer', { child: place.key, payerNationalId });
  }

  // Kulturdag: schools join each year and register their pupils; some pupils apply for a core place later.
  const kulturdagPupils: {
    person: string;
    born: string;
    gender: 'female' | 'male';
    district: string;
    school: string;
  }[] = [];
  for (const [year, first] of [
    [previous, y0],
    [current, y0 + 1],
  ] as const) {
    if (!within(`${first}-09-05`)) continue;
    for (const [n, school] of schools.slice(0, profile.kulturdagSchools).entries()) {
      const schoolId = Object.keys(registers.schools).find((k) => registers.schools[k] === school) ?? school.name;
      line(`kulturdag-${year}-${n}`, `${first}-08-05`, 'joinKulturdag', {
        schoolId,
        schoolYear: year,
        district: school.district,
      });
      const pupils = Array.from({ length: 40 + Math.floor(random() * 30) }, () => {
        const gender = random() < 0.5 ? 'female' : 'male';
        const born = birthDate(first - 9, first - 7);
        const pupil = {
          person: person(`${first}-09-05`, born, gender),
          born,
          gender,
          district: school.district,
          school: school.name,
        } as const;
        kulturdagPupils.push(pupil);
        return { person: pupil.person, birthYear: Number(born.slice(0, 4)) };
      });
      line(`kulturdag-pupils-${year}-${n}`, `${first}-09-05`, 'registerKulturdagPupils', {
        schoolId,
        schoolYear: year,
        pupils,
      });
    }
  }

  // Withdrawals during last year from the other offerings, before the 10 December notice: last day 31 December.
  for (const place of places) {
    if (offerings[place.offering]?.popular || random() >= 0.04) continue;
    place.end = `${y0}-12-31`;
    line(`withdraw-${place.key}`, dateBetween(`${y0}-10-20`, `${y0}-11-30`), 'withdrawPlace', {
      place: place.key,
      effectiveOn: place.end,
    });
  }

  // Waiting children: half applied last spring, after the yearly reconfirmation was asked for (an entry imported
  // from before it would be removed by today's daily check before its imported reconfirmation arrives), carried
  // over by the rollover; half this year. Each applies once,
  // to a popular offering; one in ten is a Kulturdag pupil of last year.
  const popular = offerings.flatMap((o, index) => (o.popular ? [index] : []));
  const waiting: Waiting[] = [];
  const applicationKeys: { key: string; waiting: Waiting }[] = [];
  const apply = (date: string, offeringRef: string, offering: number) => {
    const pupil = random() < 0.1 ? kulturdagPupils.pop() : undefined;
    const gender = pupil?.gender ?? (random() < 0.5 ? 'female' : 'male');
    const born = pupil?.born ?? birthDate(Number(date.slice(0, 4)) - 15, Number(date.slice(0, 4)) - 6);
    const school = pick(schools);
    const last = pick(NAMES.last);
    const child = pupil?.person ?? `applicant-${waiting.length}`;
    const key = `application-${waiting.length}`;
    const entry = { child, offering, applied: date };
    waiting.push(entry);
    applicationKeys.push({ key, waiting: entry });
    line(key, date, 'submitApplication', {
      offering: offeringRef,
      child: {
        name: `${pick(NAMES.first)} ${last}`,
        nationalId: (pupil && nationalIdOf.get(pupil.person)) ?? syntheticFodselsnummer(born, gender, nationalIds),
        gender,
        district: pupil?.district ?? school.district,
        school: pupil?.school ?? school.name,
      },
      guardian: {
        name: `${pick(NAMES.first)} ${last}`,
        email: `foresatt${waiting.length}@example.no`,
        // The applying guardian pays for the place the application may lead to (issue 14).
        nationalId: syntheticFodselsnummer(birthDate(1975, 1992), random() < 0.6 ? 'female' : 'male', nationalIds),
      },
      specialNeeds: random() < 0.03,
    });
  };
  const applyDates = (count: number, from: string, to: string) =>
    Array.from({ length: count }, () => dateBetween(from, to))
      .filter(within)
      .sort();
  for (const date of applyDates(Math.round(profile.waiting / 2), `${y0 + 1}-04-02`, `${y0 + 1}-05-31`)) {
    const o = pick(popular);
    apply(date, offerings[o]?.key ?? '', o);
  }

  // Rule 6 for waiting children: each entry from before 1 April confirms in April.
  for (const { key, waiting: entry } of applicationKeys) {
    if (entry.applied < `${y0 + 1}-04-01`)
      line(`reconfirm-${key}`, `${y0 + 1}-04-10`, 'reconfirmApplication', { application: key, schoolYear: current });
  }

  // Rule 6 for places: one in ten of the other offerings' students quits at the year's end; the rest continue
  // (half say so, half stay silent: Trondheim's silence continues).
  for (const place of places) {
    if (place.end || offerings[place.offering]?.popular) continue;
    const quits = random() < 0.1;
    if (quits) place.end = `${y0 + 1}-07-31`;
    if (quits || random() < 0.5)
      line(`reregister-${place.key}`, `${y0 + 1}-04-20`, 'reregisterPlace', { place: place.key, continue: !quits });
  }

  const rolledOver = within(`${y0 + 1}-06-20`);
  if (rolledOver) {
    line(`rollover-${current}`, `${y0 + 1}-06-20`, 'rollOver', { schoolYear: current });
    for (const [o, offering] of offerings.entries()) {
      line(`successor-${o}`, `${y0 + 1}-06-20`, 'successorOffering', {
        rollover: `rollover-${current}`,
        offering: offering.key,
      });
    }
  }
  // Continuing places end with last year and start again in this year's successor offering.
  const continuing = places.filter((p) => p.end === null);
  for (const place of continuing) place.end = `${y0 + 1}-07-31`;
  if (rolledOver) {
    for (const place of continuing)
      places.push({
        ...place,
        key: `${place.key}-continued`,
        schoolYear: 'current',
        start: `${y0 + 1}-08-01`,
        end: null,
      });
  }

  // This year's applications, to the popular offerings' successors.
  if (rolledOver) {
    for (const date of applyDates(profile.waiting - waiting.length, `${y0 + 1}-06-22`, latest)) {
      const o = pick(popular);
      apply(date, `successor-${o}`, o);
    }
  }

  // New students in August and September, into the seats the quitters and withdrawals left.
  if (rolledOver) {
    const continuingStudents = new Set(continuing.map((p) => p.person)).size;
    const room = offerings.map((o, i) => o.capacity - continuing.filter((p) => p.offering === i).length);
    const newcomers = Array.from({ length: Math.max(0, profile.students - continuingStudents) }, () =>
      dateBetween(`${y0 + 1}-08-11`, `${y0 + 1}-09-26`),
    )
      .filter(within)
      .sort();
    for (const date of newcomers) {
      const student = newStudent(date);
      const o = offerings.findIndex((offering, i) => !offering.popular && (room[i] ?? 0) > 0 && random() < 0.2);
      const chosen = o >= 0 ? o : offerings.findIndex((offering, i) => !offering.popular && (room[i] ?? 0) > 0);
      if (chosen < 0) break;
      room[chosen] = (room[chosen] ?? 0) - 1;
      const key = enrol(student, chosen, date, 'current', `successor-${chosen}`);
      line(`payer-${student.person}`, date, 'registerPayer', { child: key, payerNationalId: payerFor() });
    }
  }

  lines.sort((a, b) => a.at.localeCompare(b.at));
  const figures = (schoolYear: Place['schoolYear'], date: string): Figures => {
    const active = places.filter(
      (p) => p.schoolYear === schoolYear && p.start <= date && (p.end === null || date <= p.end),
    );
    const entries = waiting.filter(
      (w) => w.applied <= date && (schoolYear === 'current' ? rolledOver : date <= `${y0 + 1}-06-19`),
    );
    return {
      students: new Set(active.map((p) => p.person)).size,
      places: active.length,
      waitingChildren: new Set(entries.map((w) => w.child)).size,
    };
  };
  const gsi: Record<string, Figures> = { [String(y0)]: figures('previous', `${y0}-10-01`) };
  if (within(`${y0 + 1}-10-01`)) gsi[String(y0 + 1)] = figures('current', `${y0 + 1}-10-01`);
  const todayInYear = todayDate;
  return {
    tenant: profile.tenant,
    schoolYears: { previous, current },
    lines: lines.filter((l) => l.at.slice(0, 10) <= latest),
    expected: { today: { date: todayInYear, schoolYear: current, ...figures('current', todayInYear) }, gsi },
  };
};
