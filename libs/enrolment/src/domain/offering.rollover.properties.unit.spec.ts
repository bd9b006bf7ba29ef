import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { DomainError, type Decider } from '#libs/decider';
import { trondheimEnrolmentPolicy } from './enrolment.policy.js';
import type { OfferingCommand, OfferingDetails } from './offering.commands.js';
import { offeringDecider } from './offering.decider.js';
import type { OfferingEvent } from './offering.events.js';
import type { Offering } from './offering.state.js';
import type { StudentCommand } from './student.commands.js';
import { studentDecider } from './student.decider.js';
import type { StudentEvent } from './student.events.js';
import type { Student } from './student.state.js';

/*
 * Rule 6 and rollover as invariants: whatever the families answer (continue, quit, silence) and whatever the
 * silence policy, after the rollover each student holds at most the allowed places in each school year, no offering
 * holds more places than seats on any day, and no student counts twice in one school year (as of its 1 October).
 */

const LAST = '2025-2026';
const NEXT = '2026-2027';
const ENROLLED = '2025-08-20T10:00:00.000Z';
const ANSWERED = '2026-04-10T12:00:00.000Z';
const DAYS = ['2025-10-01', '2026-04-15', '2026-07-31', '2026-08-01', '2026-10-01'];

const details = (subject: string, schoolYear: string): OfferingDetails => ({
  ...{ subject, subjectGroup: 'music', programme: 'core', location: 'Ranheim', district: 'Østbyen' },
  ...{ form: 'group', feePerSemesterOre: 210_500, schoolYear },
});

/** A tiny event-sourced world: one log per stream, decided by the real deciders. */
class World {
  readonly offerings = new Map<string, OfferingEvent[]>();
  readonly students = new Map<string, StudentEvent[]>();

  private run<C, E extends { type: string }, S>(decider: Decider<C, E, S>, log: E[], command: C): boolean {
    const state = log.reduce(decider.evolve, decider.initialState);
    try {
      log.push(...decider.decide(command, state));
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false; // a refusal writes nothing
      throw error;
    }
  }

  offering(id: string, type: OfferingCommand['type'], data: object, now: string): boolean {
    const log = this.offerings.get(id) ?? [];
    this.offerings.set(id, log);
    return this.run(offeringDecider, log, { type, data, metadata: { now } } as OfferingCommand);
  }

  student(id: string, type: StudentCommand['type'], data: object, now: string): boolean {
    const log = this.students.get(id) ?? [];
    this.students.set(id, log);
    return this.run(studentDecider, log, { type, data, metadata: { now } } as StudentCommand);
  }

  offeringState(id: string): Offering {
    return (this.offerings.get(id) ?? []).reduce(offeringDecider.evolve, offeringDecider.initialState);
  }

  studentState(id: string): Student {
    return (this.students.get(id) ?? []).reduce(studentDecider.evolve, studentDecider.initialState);
  }

  /** As the enrolment handler does it: the student first, then the offering (given back if the offering refuses). */
  enrol(offeringId: string, studentId: string, placeId: string, now: string): void {
    const take = { studentId, birthYear: 2014, placeId, offeringId, schoolYear: LAST };
    if (!this.student(studentId, 'TakePlace', take, now)) return;
    const enrol = {
      ...{ placeId, studentId, birthYear: 2014, gender: 'female', district: 'Østbyen', school: 'Ranheim skole' },
      ...{ viaOfferId: null, transferredFrom: null },
    };
    if (!this.offering(offeringId, 'Enrol', enrol, now)) this.student(studentId, 'GiveUpPlace', { placeId }, now);
  }

  /** As the rollover handler does it: open the successor, then per continuing place move, enrol and continue. */
  rollOver(fromOfferingId: string, now: string): void {
    const from = this.offeringState(fromOfferingId);
    if (from.status === 'NotOpened') return;
    const toOfferingId = `${fromOfferingId}-next`;
    const open = { ...details(from.details.subject, NEXT), offeringId: toOfferingId, capacity: from.capacity };
    this.offering(toOfferingId, 'OpenOffering', { ...open, continuesOfferingId: fromOfferingId }, now);
    for (const place of Object.values(from.places)) {
      if (from.reregistration?.[place.placeId] === 'Quitting') continue;
      const toPlaceId = `${place.placeId}-next`;
      const moved = this.student(
        place.studentId,
        'MovePlace',
        { fromPlaceId: place.placeId, placeId: toPlaceId, offeringId: toOfferingId },
        now,
      );
      if (!moved) continue;
      const enrol = {
        ...{ placeId: toPlaceId, studentId: place.studentId, birthYear: 2014, gender: 'female' },
        ...{ district: 'Østbyen', school: 'Ranheim skole', viaOfferId: null, transferredFrom: null },
        continuesFrom: { offeringId: fromOfferingId, placeId: place.placeId },
      };
      assert.ok(this.offering(toOfferingId, 'Enrol', enrol, now), 'the successor takes every continuing place');
      const continued = { placeId: place.placeId, toOfferingId, toPlaceId };
      assert.ok(this.offering(fromOfferingId, 'ContinuePlace', continued, now));
    }
  }
}

/** Every place as (offering, student, first day, last day) from the offerings' own events. */
const placesOf = (world: World) => {
  const places = new Map<
    string,
    { offeringId: string; schoolYear: string; studentId: string; from: string; to: string }
  >();
  for (const [offeringId, log] of world.offerings) {
    const state = world.offeringState(offeringId);
    const schoolYear = state.status === 'NotOpened' ? '' : state.details.schoolYear;
    for (const event of log) {
      if (event.type === 'PlaceEnrolled') {
        const from = event.data.startsOn ?? event.data.enrolledAt.slice(0, 10);
        places.set(event.data.placeId, { offeringId, schoolYear, studentId: event.data.studentId, from, to: '9999' });
      }
      const ended = places.get((event.data as { placeId?: string }).placeId ?? '');
      if (ended && event.type === 'PlaceWithdrawn') ended.to = event.data.effectiveOn;
      if (ended && event.type === 'PlaceContinued') ended.to = event.data.lastDay;
    }
  }
  return [...places.values()];
};

const answer = fc.constantFrom('continue', 'quit', 'silence');

describe('re-registration and rollover keep the place rules (property)', () => {
  it('holds for any answers, any silence policy and any enrolments', () =>
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom('a', 'b'), answer), { maxLength: 14 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<'continue' | 'quit'>('continue', 'quit'),
        fc.boolean(),
        (enrolments, capacityA, capacityB, silence, twice) => {
          const world = new World();
          const capacity = { a: capacityA, b: capacityB };
          for (const id of ['a', 'b'] as const) {
            const open = { ...details(id, LAST), offeringId: id, capacity: capacity[id] };
            world.offering(id, 'OpenOffering', open, '2025-06-01T10:00:00.000Z');
          }
          const answers = new Map<string, string>();
          enrolments.forEach(([student, offering, reply], n) => {
            world.enrol(offering, `student-${student}`, `place-${n}`, ENROLLED);
            answers.set(`place-${n}`, reply);
          });
          for (const id of ['a', 'b']) {
            world.offering(id, 'RequestReregistration', { deadline: '2026-05-01' }, '2026-04-01T06:00:00.000Z');
            const state = world.offeringState(id);
            if (state.status === 'NotOpened') continue;
            for (const placeId of Object.keys(state.places)) {
              const reply = answers.get(placeId);
              if (reply === 'silence') continue;
              const before = world.offeringState(id);
              const studentId = before.status === 'NotOpened' ? '' : (before.places[placeId]?.studentId ?? '');
              if (world.offering(id, 'Reregister', { placeId, continues: reply === 'continue' }, ANSWERED)) {
                if (reply === 'quit') world.student(studentId, 'GiveUpPlace', { placeId }, ANSWERED);
              }
            }
            const MAY = '2026-05-02T06:00:00.000Z';
            world.offering(id, 'ApplyReregistrationSilence', { silence }, MAY);
            // A silent quit gives the student's place up, as the process does.
            for (const event of world.offerings.get(id) ?? []) {
              if (event.type === 'PlaceQuitAtYearEnd' && event.data.answer === 'silence')
                world.student(event.data.studentId, 'GiveUpPlace', { placeId: event.data.placeId }, MAY);
            }
          }
          for (let run = 0; run < (twice ? 2 : 1); run++) {
            for (const id of ['a', 'b']) world.rollOver(id, '2026-06-01T10:00:00.000Z');
          }

          const places = placesOf(world);
          const allowed = trondheimEnrolmentPolicy.placesPerStudent;
          for (const schoolYear of [LAST, NEXT]) {
            const perStudent = new Map<string, number>();
            for (const p of places.filter((p) => p.schoolYear === schoolYear)) {
              perStudent.set(p.studentId, (perStudent.get(p.studentId) ?? 0) + 1);
            }
            for (const [studentId, count] of perStudent) {
              assert.ok(count <= allowed, `${studentId} holds ${count} places in ${schoolYear}`);
            }
          }
          for (const day of DAYS) {
            for (const offeringId of world.offerings.keys()) {
              const state = world.offeringState(offeringId);
              const seats = state.status === 'NotOpened' ? 0 : state.capacity;
              const held = places.filter((p) => p.offeringId === offeringId && p.from <= day && day <= p.to);
              assert.ok(held.length <= seats, `${offeringId} holds ${held.length} of ${seats} seats on ${day}`);
            }
          }
          // As of each school year's 1 October, a student's places are all of that year's offerings: never counted
          // in last year's and this year's at once, nor twice in one offering.
          for (const [day, schoolYear] of [
            ['2025-10-01', LAST],
            ['2026-10-01', NEXT],
          ] as const) {
            const counted = places.filter((p) => p.from <= day && day <= p.to);
            assert.ok(counted.every((p) => p.schoolYear === schoolYear));
            const keys = counted.map((p) => `${p.studentId}/${p.offeringId}`);
            assert.equal(new Set(keys).size, keys.length);
          }
          // Every place that did not quit went on, and the student stream's count agrees with the offerings.
          for (const studentId of world.students.keys()) {
            const student = world.studentState(studentId);
            const held = student.status === 'Known' ? Object.keys(student.places).length : 0;
            const next = places.filter((p) => p.studentId === studentId && p.schoolYear === NEXT).length;
            assert.equal(held, next, `${studentId}: the student's places are next year's`);
          }
        },
      ),
      { numRuns: 200 },
    ));
});
