import { birthDateOf, isValidFodselsnummer } from '#libs/personal-data';

/**
 * The Trondheim-sized data set as plain commands, generated from a fixed seed so two runs give the same data.
 * Figures from the domain brief: ~3,700 students holding ~4,700 places (~300 in Klæbu), ~1,600 waiting, centres
 * Byåsen, Ranheim, Huseby, Spongdal, Klæbu and Midtbyen, and the 14 Kulturdag pilot schools.
 */
export const mulberry32 = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const CENTRES = [
  { location: 'Midtbyen', district: 'Midtbyen', weight: 0.24 },
  { location: 'Byåsen', district: 'Lerkendal', weight: 0.2 },
  { location: 'Ranheim', district: 'Østbyen', weight: 0.18 },
  { location: 'Huseby', district: 'Heimdal', weight: 0.16 },
  { location: 'Spongdal', district: 'Heimdal', weight: 0.16 },
  { location: 'Klæbu', district: 'Klæbu', weight: 0.06 },
] as const;

export const SUBJECTS = [
  { subject: 'Piano', subjectGroup: 'music', form: 'individual', capacity: 12 },
  { subject: 'Gitar', subjectGroup: 'music', form: 'individual', capacity: 12 },
  { subject: 'Fiolin', subjectGroup: 'music', form: 'individual', capacity: 10 },
  { subject: 'Sang', subjectGroup: 'music', form: 'individual', capacity: 12 },
  { subject: 'Trommer', subjectGroup: 'music', form: 'individual', capacity: 10 },
  { subject: 'Korps', subjectGroup: 'music', form: 'group', capacity: 30 },
  { subject: 'Visuell kunst', subjectGroup: 'visual-arts', form: 'group', capacity: 14 },
  { subject: 'Teater', subjectGroup: 'theatre', form: 'group', capacity: 16 },
  { subject: 'Dans', subjectGroup: 'dance', form: 'group', capacity: 18 },
  { subject: 'Film', subjectGroup: 'other', form: 'group', capacity: 12 },
  { subject: 'Sirkus', subjectGroup: 'other', form: 'group', capacity: 14 },
] as const;

export const KULTURDAG_SCHOOLS = [
  'Berg',
  'Eberg',
  'Lademoen',
  'Rosenborg',
  'Singsaker',
  'Åsvang',
  'Charlottenlund',
  'Ranheim',
  'Huseby',
  'Kattem',
  'Hallset',
  'Sjetne',
  'Tiller',
  'Klæbu',
].map((name) => `${name} skole`);

const FIRST_NAMES = [
  'Nora',
  'Emma',
  'Olivia',
  'Ella',
  'Sofie',
  'Jakob',
  'Emil',
  'Noah',
  'Oliver',
  'Filip',
  'Ingrid',
  'Aksel',
  'Sara',
  'Johannes',
  'Leah',
  'Iben',
];
const LAST_NAMES = [
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Berg',
  'Haugen',
];

export interface SeedPlan {
  offerings: {
    subject: string;
    subjectGroup: string;
    programme: 'core';
    location: string;
    district: string;
    form: string;
    capacity: number;
    feePerSemesterNok: number;
    schoolYear: string;
  }[];
  places: {
    offering: number;
    studentId: string;
    birthYear: number;
    gender: string;
    district: string;
    school: string;
  }[];
  applications: {
    offering: number;
    born: string;
    /** The child's own synthetic fødselsnummer: its birth date, and a 9th digit odd for male, even for female. */
    child: { name: string; nationalId: string; gender: 'female' | 'male'; district: string; school: string };
    guardian: { name: string; email: string };
    specialNeeds: boolean;
    appliedAt: string;
  }[];
  kulturdagSchools: {
    schoolId: string;
    join: { schoolYear: string; district: string };
    pupils: { schoolYear: string; pupils: { pupilId: string; birthYear: number }[] };
  }[];
}

// Seats per centre follow its weight: Klæbu's 6% of ~4,700 is its ~300 places.
const weighted = (random: () => number) => {
  let r = random();
  for (const centre of CENTRES) {
    r -= centre.weight;
    if (r < 0) return centre;
  }
  return CENTRES[0];
};

const slug = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/æ/gi, 'ae')
    .replace(/ø/gi, 'o')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();

const SYNTHETIC = { acceptSynthetic: true };

/**
 * A synthetic fødselsnummer (month + 80, Skatteetaten's test series: no real person holds one) for a child born on
 * `born` (2000–2039), with the 9th digit's parity of the gender, and not one already `taken`.
 */
export const syntheticFodselsnummer = (born: string, gender: 'female' | 'male', taken: Set<string>): string => {
  const [year = '', month = '', day = ''] = born.split('-');
  const birth = `${day}${Number(month) + 80}${year.slice(2)}`;
  // Individual numbers 500–999 are those of children born 2000–2039; the check digits are found by trying them.
  for (let individual = gender === 'male' ? 501 : 500; individual <= 999; individual += 2) {
    for (let check = 0; check < 100; check++) {
      const candidate = `${birth}${individual}${String(check).padStart(2, '0')}`;
      if (!isValidFodselsnummer(candidate, SYNTHETIC) || taken.has(candidate)) continue;
      if (birthDateOf(candidate, SYNTHETIC) !== born) continue;
      taken.add(candidate);
      return candidate;
    }
  }
  throw new Error(`no synthetic fødselsnummer left for ${gender} born ${born}`);
};

const uuidFrom = (random: () => number): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** The random seed `npm run seed` plans with. */
export const SEED = 20_251_001;

export const seedPlan = (seed: number, target = { students: 3_700, places: 4_700, waiting: 1_600 }): SeedPlan => {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const schoolYear = '2025-2026';

  // Offerings until their seats hold the places: each centre gets its share of subjects.
  const offerings: SeedPlan['offerings'] = [];
  let seats = 0;
  while (seats < target.places) {
    const centre = weighted(random);
    const subject = pick(SUBJECTS);
    offerings.push({
      ...subject,
      programme: 'core',
      location: centre.location,
      district: centre.district,
      feePerSemesterNok: 2105,
      schoolYear,
    });
    seats += subject.capacity;
  }

  // Students: the first `students` take one place each, the rest of the places go to students taking a second.
  const students = Array.from({ length: target.students }, (_, n) => {
    const centre = CENTRES[n % CENTRES.length] ?? CENTRES[0];
    return {
      studentId: uuidFrom(random),
      birthYear: 2006 + Math.floor(random() * 13),
      gender: random() < 0.56 ? 'female' : 'male',
      district: centre.district,
      school: pick(KULTURDAG_SCHOOLS),
    };
  });
  const free = offerings.map((o) => o.capacity);
  const places: SeedPlan['places'] = [];
  const taken = new Set<string>();
  const placesOf = new Map<string, number>();
  const place = (student: (typeof students)[number]): boolean => {
    const offering = Math.floor(random() * offerings.length);
    const held = placesOf.get(student.studentId) ?? 0;
    if (held >= 2 || (free[offering] ?? 0) < 1 || taken.has(`${student.studentId}/${offering}`)) return false;
    placesOf.set(student.studentId, held + 1);
    free[offering] = (free[offering] ?? 0) - 1;
    taken.add(`${student.studentId}/${offering}`);
    places.push({ offering, ...student });
    return true;
  };
  // Every student gets a first place; the remaining seats go as second places.
  for (const student of students) for (let tries = 0; tries < 50 && !place(student); tries++);
  for (let n = 0; places.length < target.places && n < target.places * 20; n++) {
    const student = students[Math.floor(random() * students.length)];
    if (student) place(student);
  }

  // Each application is its own invented child, with its own national id.
  const nationalIds = new Set<string>();
  const applications: SeedPlan['applications'] = Array.from({ length: target.waiting }, (_, n) => {
    const year = 2008 + Math.floor(random() * 11);
    const born = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const centre = pick(CENTRES);
    const offering = Math.floor(random() * offerings.length);
    const gender = random() < 0.5 ? 'female' : 'male';
    return {
      offering,
      born,
      child: {
        name: `${first} ${last}`,
        nationalId: syntheticFodselsnummer(born, gender, nationalIds),
        gender,
        district: centre.district,
        school: pick(KULTURDAG_SCHOOLS),
      },
      guardian: { name: `${pick(FIRST_NAMES)} ${last}`, email: `foresatt${n}@example.no` },
      specialNeeds: random() < 0.03,
      appliedAt: new Date(Date.UTC(2023, 0, 1) + Math.floor(random() * 900) * 86_400_000).toISOString(),
    };
  });

  const kulturdagSchools = KULTURDAG_SCHOOLS.map((school, n) => ({
    schoolId: slug(school),
    join: { schoolYear, district: (CENTRES[n % CENTRES.length] ?? CENTRES[0]).district },
    pupils: {
      schoolYear,
      pupils: Array.from({ length: 40 + Math.floor(random() * 30) }, () => ({
        pupilId: uuidFrom(random),
        birthYear: 2015 + Math.floor(random() * 4),
      })),
    },
  }));

  return { offerings, places, applications, kulturdagSchools };
};
