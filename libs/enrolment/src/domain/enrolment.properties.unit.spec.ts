import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { DomainError, fold } from '#libs/decider';
import type { OfferingCommand } from './offering.commands.js';
import { offeringDecider } from './offering.decider.js';
import type { OfferingEvent } from './offering.events.js';
import { freeSeats, seatsTaken, type Offering } from './offering.state.js';
import type { StudentCommand } from './student.commands.js';
import { studentDecider } from './student.decider.js';
import type { Student } from './student.state.js';

const NOW = '2025-09-01T10:00:00.000Z';
const metadata = { now: NOW };

type Step =
  | { kind: 'enrol'; student: number }
  | { kind: 'withdraw' | 'transfer' | 'leave'; place: number }
  | { kind: 'capacity'; capacity: number }
  | { kind: 'close' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('enrol' as const), student: fc.nat(7) }), weight: 4 },
  fc.record({ kind: fc.constantFrom('withdraw' as const, 'transfer' as const, 'leave' as const), place: fc.nat(9) }),
  fc.record({ kind: fc.constant('capacity' as const), capacity: fc.integer({ min: 0, max: 6 }) }),
  { arbitrary: fc.record({ kind: fc.constant('close' as const) }), weight: 1 },
);

const offeringCommand = (s: Step, i: number, state: Offering): OfferingCommand => {
  const placeIds = state.status === 'NotOpened' ? [] : Object.keys(state.places);
  const placeId = (n: number) => placeIds[n % Math.max(placeIds.length, 1)] ?? 'none';
  switch (s.kind) {
    case 'enrol':
      return {
        type: 'Enrol',
        data: {
          studentId: `student-${s.student}`,
          birthYear: 2014,
          gender: 'female',
          district: 'Østbyen',
          school: 'Ranheim skole',
          placeId: `place-${i}`,
          viaOfferId: null,
          transferredFrom: null,
        },
        metadata,
      };
    case 'withdraw':
      return { type: 'Withdraw', data: { placeId: placeId(s.place), effectiveOn: '2025-12-31' }, metadata };
    case 'transfer':
      return {
        type: 'Transfer',
        data: { placeId: placeId(s.place), toOfferingId: 'other', toPlaceId: `moved-${i}`, effectiveOn: '2025-10-01' },
        metadata,
      };
    case 'leave':
      return { type: 'PutOnLeave', data: { placeId: placeId(s.place), from: '2025-10-01', until: null }, metadata };
    case 'capacity':
      return { type: 'ChangeCapacity', data: { capacity: s.capacity }, metadata };
    case 'close':
      return { type: 'CloseOffering', data: {}, metadata };
  }
};

const decideOrRefuse = <C, E, S>(decide: (c: C, s: S) => E[], command: C, state: S): E[] => {
  try {
    return decide(command, state);
  } catch (error) {
    assert.ok(error instanceof DomainError, `a refusal must be a domain error: ${String(error)}`);
    return [];
  }
};

describe('enrolment properties over random command sequences', () => {
  it('an offering never holds more places than its capacity, one per student, and announces the true free seats', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 60 }), (capacity, steps) => {
        let state = fold(offeringDecider, [
          {
            type: 'OfferingOpened',
            data: {
              offeringId: 'o',
              capacity,
              subject: 'Dance',
              subjectGroup: 'dance',
              programme: 'core',
              location: 'Huseby',
              district: 'Heimdal',
              form: 'group',
              feePerSemesterNok: 2105,
              schoolYear: '2025-2026',
              openedAt: NOW,
            },
          } satisfies OfferingEvent,
        ]);
        steps.forEach((s, i) => {
          const events = decideOrRefuse(offeringDecider.decide, offeringCommand(s, i, state), state);
          state = events.reduce(offeringDecider.evolve, state);
          assert.ok(state.status !== 'NotOpened');
          // Places held, places running to their last day and seats under offer together never exceed capacity.
          assert.ok(
            seatsTaken(state) <= state.capacity,
            `${seatsTaken(state)} seats taken in capacity ${state.capacity}`,
          );
          const students = Object.values(state.places).map((p) => p.studentId);
          assert.equal(new Set(students).size, students.length);
          for (const e of events) {
            if (e.type === 'SeatsReleased') assert.equal(e.data.freeSeats, freeSeats(state));
            if (e.type === 'PlaceEnrolled') assert.equal(state.status, 'Open');
          }
        });
      }),
      { numRuns: 300 },
    ));

  it('a student never holds more places than the policy allows', () =>
    fc.assert(
      fc.property(
        fc.array(fc.record({ take: fc.boolean(), offering: fc.nat(4), place: fc.nat(9) }), { maxLength: 40 }),
        (steps) => {
          let state: Student = studentDecider.initialState;
          steps.forEach((s, i) => {
            const held = state.status === 'Known' ? Object.keys(state.places) : [];
            const command: StudentCommand = s.take
              ? {
                  type: 'TakePlace',
                  data: { studentId: 's', birthYear: 2012, placeId: `p-${i}`, offeringId: `o-${s.offering}` },
                  metadata,
                }
              : {
                  type: 'GiveUpPlace',
                  data: { placeId: held[s.place % Math.max(held.length, 1)] ?? 'none' },
                  metadata,
                };
            state = decideOrRefuse(studentDecider.decide, command, state).reduce(studentDecider.evolve, state);
            const places = state.status === 'Known' ? Object.values(state.places) : [];
            assert.ok(places.length <= 2);
            assert.equal(new Set(places).size, places.length);
          });
        },
      ),
      { numRuns: 300 },
    ));
});
