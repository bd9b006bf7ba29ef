// Norwegian formats everywhere: nb-NO numbers and dates, in Oslo's time zone.
const ZONE = 'Europe/Oslo';
const whole = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 0 });
const tenth = new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const nok = new Intl.NumberFormat('nb-NO', { style: 'currency', currency: 'NOK', maximumFractionDigits: 0 });
const day = new Intl.DateTimeFormat('nb-NO', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' });
const moment = new Intl.DateTimeFormat('nb-NO', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'medium' });

export const number = (value: number | null | undefined): string => (value == null ? '–' : whole.format(value));
export const percent = (value: number | null | undefined): string => (value == null ? '–' : `${tenth.format(value)} %`);
export const kroner = (ore: number | null | undefined): string => (ore == null ? '–' : nok.format(ore / 100));
/** A calendar day (YYYY-MM-DD) as Oslo reads it, e.g. «1. oktober 2025». */
export const date = (iso: string | null | undefined): string =>
  iso ? day.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)) : '–';
export const instant = (iso: string | null | undefined): string => (iso ? moment.format(new Date(iso)) : '–');

/** Today in Oslo, as YYYY-MM-DD. */
export const todayInOslo = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );

/** The school year (1 August – 31 July) a day falls in, e.g. 2025-2026. */
export const schoolYearOf = (isoDay: string): string => {
  const year = Number(isoDay.slice(0, 4));
  const first = Number(isoDay.slice(5, 7)) >= 8 ? year : year - 1;
  return `${first}-${first + 1}`;
};

export const ROLE_NAMES: Record<string, string> = {
  admin: 'Administrator',
  caseworker: 'Saksbehandler',
  auditor: 'Revisor',
};

export const SUBJECT_GROUPS: Record<string, string> = {
  music: 'Musikk',
  'visual-arts': 'Visuell kunst',
  theatre: 'Teater',
  dance: 'Dans',
  sami: 'Samisk',
  other: 'Annet',
};

const month = new Intl.DateTimeFormat('nb-NO', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const FIXED_REASONS: Record<string, string> = {
  'special needs declared': 'særskilte behov meldt',
  'no special needs declared': 'ingen særskilte behov meldt',
  'already has a place': 'har allerede en plass',
  'has no place': 'har ingen plass',
  'keeps its place in the subject': 'beholder plassen i faget',
  'holds no place in the subject': 'har ingen plass i faget',
  'chosen at audition': 'valgt etter opptaksprøve',
};

/** The queue's reasons (the domain's English sentences) in Bokmål; one we do not know is shown as it is. */
export const reason = (text: string): string => {
  const applied = /^applied (\d{4}-\d{2}-\d{2})$/.exec(text);
  if (applied?.[1]) return `søkte ${date(applied[1])}`;
  const born = /^born (\d{4})-(\d{2})$/.exec(text);
  if (born?.[1] && born[2]) return `født ${month.format(new Date(Date.UTC(Number(born[1]), Number(born[2]) - 1, 15)))}`;
  return FIXED_REASONS[text] ?? text;
};

/** An answer deadline: the end of its last Oslo day, shown as that day. */
export const deadline = (iso: string | null | undefined): string =>
  iso ? `ut ${day.format(new Date(Date.parse(iso) - 1))}` : '–';
