/**
 * Norway-sized history for `npm run bench:country`: 356 municipalities (tenants) whose kulturskoler together hold about
 * 100,000 students, a few large (Oslo-, Bergen-, Trondheim-sized) and many small, each year of each one generated on
 * demand so ten school years (10M+ events) never sit in memory at once.
 *
 * A year is `statisticsHistory` (enrolment, waitlist, Kulturdag, payers, waivers) sized to the municipality, with
 * ids made unique per school year (every year opens its own offerings), plus what else a year records that the
 * statistics do not count: the spring re-registration of every place still held (request, reminders, answer), semester
 * fee assessments per household (and a new one when a place starts or ends later), leave, lessons cancelled by the
 * school, and the waiting children's yearly reconfirmation.
 */
import type { NewEvent } from '#libs/event-store';
import { statisticsHistory, type TimedEvent } from '../libs/statistics/src/fixtures/statistics-history.js';

export const COUNTRY_TENANTS = 356;
// About 100,000: a little more, so that ten school years pass 10M events.
export const COUNTRY_STUDENTS = 102_000;

export interface Municipality {
  tenant: string;
  /** 1 is the largest. */
  rank: number;
  students: number;
}

/**
 * `count` municipalities, students ∝ 1 / (rank + 2): the largest ~6,700 (Oslo), then ~5,000 and ~4,000, a median
 * around 110 and the smallest ~55 (at 102,000 in all). Fewer than 356 are the country's largest `count`.
 */
export const municipalities = (count = COUNTRY_TENANTS, scale = 1): Municipality[] => {
  const weights = Array.from({ length: COUNTRY_TENANTS }, (_, i) => 1 / (i + 3));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.slice(0, count).map((weight, i) => ({
    tenant: `kommune-${String(i + 1).padStart(3, '0')}`,
    rank: i + 1,
    students: Math.max(5, Math.round((COUNTRY_STUDENTS * scale * weight) / sum)),
  }));
};

const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// The fixture numbers offerings, places, applications and waivers from 0 each year; these ids name one year's.
const PER_YEAR_IDS = ['offeringId', 'toOfferingId', 'placeId', 'toPlaceId', 'applicationId', 'offerId'] as const;
const PER_YEAR_STREAM = /\.(offering|fee-waiver)-(.+)$/;

/** One generated year's offerings, places, applications and waivers, made that year's own. */
export const idsOfYear = (history: TimedEvent[], year: number): void => {
  const suffix = (id: unknown) => (typeof id === 'string' ? `${id}-y${year}` : id);
  for (const timed of history) {
    timed.stream = timed.stream.replace(
      PER_YEAR_STREAM,
      (_, aggregate: string, id: string) => `.${aggregate}-${id}-y${year}`,
    );
    const data = timed.event.data as Record<string, unknown>;
    for (const field of PER_YEAR_IDS) if (field in data && data[field] !== null) data[field] = suffix(data[field]);
    const from = data.transferredFrom as { offeringId: string; placeId: string } | null | undefined;
    if (from) data.transferredFrom = { offeringId: suffix(from.offeringId), placeId: suffix(from.placeId) };
  }
};

/** One school year of one municipality, in recording order (deterministic: same municipality and year, same events). */
export const countryYear = (municipality: Municipality, year: number): TimedEvent[] => {
  const { tenant, rank, students } = municipality;
  const seed = year * 1_000 + rank;
  const history = statisticsHistory({
    tenant,
    seed,
    year,
    // Proportions of the Trondheim-sized history of bench:query and bench:rebuild.
    offerings: Math.max(6, Math.round(students * 0.09)),
    students,
    applications: Math.round(students * 0.43),
    kulturdagSchools: Math.max(1, Math.round(students / 265)),
    pupilsPerSchool: 55,
    waivers: Math.round(students * 0.075),
  });
  idsOfYear(history, year);
  history.push(...unCountedEvents(history, tenant, year, random(seed)));
  return history.sort((a, b) => a.recordAt.localeCompare(b.recordAt));
};

/** What a year also records beside the statistics' events: re-registration, fees, leave, cancelled lessons, reconfirmation. */
const unCountedEvents = (history: TimedEvent[], tenant: string, year: number, next: () => number): TimedEvent[] => {
  const schoolYear = `${year}-${year + 1}`;
  const places = new Map<string, { offeringId: string; studentId: string; stream: string }>();
  const ended = new Set<string>();
  // When a household's places changed: after the autumn assessment, each change is assessed again.
  const changedAt = new Map<string, string[]>();
  const payerOf = new Map<string, string>();
  const offerings = new Map<string, string>();
  const waiting = new Map<string, { stream: string; offeringId: string; childId: string }>();
  for (const { stream, event, recordAt } of history) {
    const data = event.data as Record<string, string>;
    const placeId = data.placeId ?? '';
    if (event.type === 'OfferingOpened') offerings.set(data.offeringId ?? '', stream);
    if (event.type === 'PlaceEnrolled')
      places.set(placeId, { offeringId: data.offeringId ?? '', studentId: data.studentId ?? '', stream });
    if (event.type === 'PlaceWithdrawn' || event.type === 'PlaceTransferredOut') ended.add(placeId);
    if (event.type === 'PlaceEnrolled' || ended.has(placeId))
      changedAt.set(data.studentId ?? '', [...(changedAt.get(data.studentId ?? '') ?? []), recordAt]);
    if (event.type === 'ChildPayerRegistered') payerOf.set(data.childId ?? '', data.payerId ?? '');
    if (event.type === 'ApplicationSubmitted')
      waiting.set(data.applicationId ?? '', { stream, offeringId: data.offeringId ?? '', childId: data.childId ?? '' });
    else if (stream.includes('.waitlist.')) waiting.delete(data.applicationId ?? '');
  }
  const out: TimedEvent[] = [];
  const add = (stream: string, type: string, data: Record<string, unknown>, at: string) =>
    out.push({ stream, recordAt: at, event: newEvent(tenant, type, data, at) });

  // Rule 6, in March: every place still held is asked to continue; most are reminded, some twice; all answer.
  for (const [placeId, place] of places) {
    if (ended.has(placeId)) continue;
    const of = { offeringId: place.offeringId, placeId, studentId: place.studentId, schoolYear };
    const deadline = `${year + 1}-04-15`;
    add(
      place.stream,
      'PlaceReregistrationRequested',
      { ...of, deadline, requestedAt: `${year + 1}-03-01T07:00:00.000Z` },
      `${year + 1}-03-01T07:00:00.000Z`,
    );
    const roll = next();
    if (roll < 0.7)
      add(
        place.stream,
        'PlaceReregistrationReminded',
        { ...of, deadline, remindedAt: `${year + 1}-04-01T07:00:00.000Z` },
        `${year + 1}-04-01T07:00:00.000Z`,
      );
    if (roll < 0.4)
      add(
        place.stream,
        'PlaceReregistrationReminded',
        { ...of, deadline, remindedAt: `${year + 1}-04-12T07:00:00.000Z` },
        `${year + 1}-04-12T07:00:00.000Z`,
      );
    const answer = roll < 0.1 ? 'silence' : 'reply';
    const answeredAt =
      answer === 'silence'
        ? `${year + 1}-04-16T02:00:00.000Z`
        : `${year + 1}-04-0${1 + Math.floor(next() * 9)}T18:00:00.000Z`;
    add(place.stream, 'PlaceReregistered', { ...of, answer, answeredAt }, answeredAt);
    if (next() < 0.08) {
      const from = `${year + 1}-01-${String(5 + Math.floor(next() * 20)).padStart(2, '0')}`;
      add(
        place.stream,
        'PlacePutOnLeave',
        { ...of, from, until: `${year + 1}-02-28`, recordedAt: `${from}T09:00:00.000Z` },
        `${from}T09:00:00.000Z`,
      );
      add(
        place.stream,
        'PlaceReturnedFromLeave',
        { ...of, returnedAt: `${year + 1}-03-01T09:00:00.000Z` },
        `${year + 1}-03-01T09:00:00.000Z`,
      );
    }
  }

  // Fees: each household is assessed for autumn (1 October) and spring (1 March), and again whenever one of its
  // places starts or ends after the autumn assessment.
  const households = new Map<string, { placeIds: string[]; changes: string[] }>();
  for (const [placeId, place] of places) {
    const payer = payerOf.get(place.studentId);
    if (!payer) continue;
    const household = households.get(payer) ?? { placeIds: [], changes: [] };
    households.set(payer, household);
    household.placeIds.push(placeId);
    household.changes.push(...(changedAt.get(place.studentId) ?? []));
  }
  const autumn = `${year}-10-01T03:00:00.000Z`;
  for (const [payerId, { placeIds, changes }] of households) {
    const stream = `${tenant}.funding.household-${payerId}`;
    let replaces: string | null = null;
    let n = 0;
    const assess = (term: 'autumn' | 'spring', at: string) => {
      const assessmentId = `${payerId}-${year}-${n++}`;
      const lines = placeIds.map((placeId) => ({
        kind: 'BaseFee',
        placeId,
        childId: places.get(placeId)?.studentId,
        amount: 210_500,
      }));
      const owes = lines.reduce((sum, line) => sum + line.amount, 0);
      add(
        stream,
        'SemesterFeesAssessed',
        { assessmentId, payerId, schoolYear, term, lines, notBilled: [], owes, replaces, assessedAt: at },
        at,
      );
      replaces = assessmentId;
    };
    assess('autumn', autumn);
    for (const at of [...new Set(changes)].filter((at) => at > autumn).sort()) assess('autumn', at);
    assess('spring', `${year + 1}-03-01T03:00:00.000Z`);
  }

  // In May, every child still waiting confirms it wants to stay on the waitlist for next school year.
  for (const [applicationId, application] of waiting) {
    const reconfirmedAt = `${year + 1}-05-${String(2 + Math.floor(next() * 27)).padStart(2, '0')}T17:00:00.000Z`;
    add(
      application.stream,
      'ApplicationReconfirmed',
      {
        offeringId: application.offeringId,
        applicationId,
        childId: application.childId,
        schoolYear: `${year + 1}-${year + 2}`,
        reconfirmedAt,
      },
      reconfirmedAt,
    );
  }

  // Lessons cancelled by the school: a quarter of the offerings lose some in a term.
  for (const [offeringId, stream] of offerings) {
    for (const term of ['autumn', 'spring'] as const) {
      if (next() >= 0.25) continue;
      const recordedAt = term === 'autumn' ? `${year}-12-15T12:00:00.000Z` : `${year + 1}-06-10T12:00:00.000Z`;
      add(
        stream,
        'LessonsCancelledBySchool',
        { offeringId, schoolYear, term, cancelledLessons: 1 + Math.floor(next() * 3), recordedAt },
        recordedAt,
      );
    }
  }
  return out;
};

const NIL = '00000000-0000-4000-a000-000000000000';
/** The appender gives every event a fresh id, so these ids only have to be UUIDs. */
const newEvent = (tenant: string, type: string, data: Record<string, unknown>, at: string): NewEvent => ({
  eventId: NIL,
  type,
  schemaVersion: 1,
  data,
  metadata: {
    tenant,
    correlationId: NIL,
    causationId: NIL,
    actor: { id: 'kulturskole', role: 'system' },
    occurredAt: at,
  },
});
