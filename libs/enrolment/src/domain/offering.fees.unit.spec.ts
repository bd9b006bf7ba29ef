import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { nextSemester, type Semester } from '#libs/calendar';
import { DeciderSpecification } from '#libs/testing';
import * as refusals from './enrolment.errors.js';
import type { OfferingCommand, OfferingDetails } from './offering.commands.js';
import { evolve, offeringDecider } from './offering.decider.js';
import type { OfferingEvent } from './offering.events.js';
import { feeForSemester, kronerToOre, MAX_FEE_PER_SEMESTER_ORE, semesterFirstDay } from './offering.fees.js';
import { initialOffering, type Offering } from './offering.state.js';

const given = DeciderSpecification.for(offeringDecider);
const OPENED_AT = '2025-06-02T10:00:00.000Z';
const offeringId = 'offering-piano-byasen';
const details: OfferingDetails = {
  ...{ subject: 'Piano', subjectGroup: 'music', programme: 'core', location: 'Byåsen', district: 'Lerkendal' },
  ...{ form: 'individual', feePerSemesterOre: 205_250, schoolYear: '2025-2026' },
};
const opened: OfferingEvent = {
  type: 'OfferingOpened',
  data: { ...details, offeringId, capacity: 8, openedAt: OPENED_AT },
};
const open = (feePerSemesterOre: number): OfferingCommand => ({
  type: 'OpenOffering',
  data: { ...details, feePerSemesterOre, offeringId, capacity: 8 },
  metadata: { now: OPENED_AT },
});
const changeFee = (feePerSemesterOre: number, effectiveFrom: string, now: string, reason = 'Bystyret, budget 2026') =>
  ({
    type: 'ChangeFee',
    data: { feePerSemesterOre, effectiveFrom, reason },
    metadata: { now },
  }) satisfies OfferingCommand;
const feeChanged = (feePerSemesterOre: number, previous: number, effectiveFrom: string, changedAt: string) =>
  ({
    type: 'OfferingFeeChanged',
    data: {
      ...{ offeringId, feePerSemesterOre, previousFeePerSemesterOre: previous, effectiveFrom },
      ...{ reason: 'Bystyret, budget 2026', changedAt },
    },
  }) satisfies OfferingEvent;
const DECEMBER = '2025-12-15T09:00:00.000Z';
const fold = (events: readonly OfferingEvent[]): Offering => events.reduce(evolve, initialOffering);
const autumn2025: Semester = { schoolYear: '2025-2026', term: 'autumn' };
const spring2026: Semester = { schoolYear: '2025-2026', term: 'spring' };
const feeOf = (state: Offering, semester: Semester): number => {
  assert.ok(state.status !== 'NotOpened');
  return feeForSemester(state.details.feePerSemesterOre, state.fees ?? [], semester);
};

describe('an offering fee in øre', () => {
  it('opens with a fee of NOK 2,052.50 as 205250 øre', () => given([]).when(open(205_250)).then([opened]));

  it.each([
    ['a fraction of an øre', 205_250.5],
    ['a negative fee', -1],
    ['a fee above NOK 100,000 a semester', MAX_FEE_PER_SEMESTER_ORE + 1],
  ])('refuses %s', (_, fee) =>
    given([])
      .when(open(fee))
      .thenThrows(refusals.OfferingIsInvalid, /whole øre/),
  );

  it('reads an offering recorded in whole kroner as that many hundred øre', () => {
    const { feePerSemesterOre: _ore, ...inKroner } = details;
    const old = fold([
      {
        type: 'OfferingOpened',
        data: { ...inKroner, feePerSemesterNok: 2105, offeringId, capacity: 8, openedAt: OPENED_AT },
      },
    ]);
    expect(feeOf(old, autumn2025)).toBe(210_500);
  });

  it.each([
    ['2052.50', 205_250],
    ['2052.5', 205_250],
    ['2052', 205_200],
    ['0.05', 5],
    ['2052.51', 205_251],
  ])('reads NOK "%s" as %i øre', (kroner, ore) => expect(kronerToOre(kroner)).toBe(ore));

  it.each(['2052.505', '-1', '1,50', '', '2 052'])('refuses NOK "%s"', (kroner) =>
    expect(() => kronerToOre(kroner)).toThrow(refusals.OfferingIsInvalid),
  );
});

describe('an offering price list', () => {
  describe('before the spring semester begins', () => {
    it('records a new fee from 1 January, with the fee it replaces and the reason', () =>
      given([opened])
        .when(changeFee(215_000, '2026-01-01', DECEMBER))
        .then([feeChanged(215_000, 205_250, '2026-01-01', DECEMBER)]));

    it('bills the autumn at the old fee and the spring at the new one', () => {
      const state = fold([opened, feeChanged(215_000, 205_250, '2026-01-01', DECEMBER)]);
      expect([feeOf(state, autumn2025), feeOf(state, spring2026)]).toEqual([205_250, 215_000]);
    });

    it('records nothing when the fee from that day is already the one asked for', () =>
      given([opened, feeChanged(215_000, 205_250, '2026-01-01', DECEMBER)])
        .when(changeFee(215_000, '2026-01-01', DECEMBER))
        .then([]));

    it('records a fee equal to the one in force as a line of its own: a later change to an earlier day leaves it', () => {
      const springDearer = feeChanged(215_000, 205_250, '2026-01-01', DECEMBER);
      given([opened, springDearer])
        .when(changeFee(215_000, '2026-08-01', DECEMBER))
        .then([feeChanged(215_000, 215_000, '2026-08-01', DECEMBER)]);
      const state = fold([
        opened,
        springDearer,
        feeChanged(215_000, 215_000, '2026-08-01', DECEMBER),
        feeChanged(0, 215_000, '2026-01-01', DECEMBER),
      ]);
      expect([feeOf(state, spring2026), feeOf(state, nextSemester(spring2026))]).toEqual([0, 215_000]);
    });

    it('changes the fee of a closed offering too: its places run on and are billed', () =>
      given([opened, { type: 'OfferingClosed', data: { offeringId, closedAt: DECEMBER } }])
        .when(changeFee(215_000, '2026-01-01', DECEMBER))
        .then([feeChanged(215_000, 205_250, '2026-01-01', DECEMBER)]));

    it('sets the next school year’s fee from 1 August while the spring keeps its own', () =>
      given([opened, feeChanged(215_000, 205_250, '2026-01-01', DECEMBER)])
        .when(changeFee(220_000, '2026-08-01', DECEMBER))
        .then([feeChanged(220_000, 215_000, '2026-08-01', DECEMBER)]));
  });

  describe('refuses', () => {
    it('a change from a semester that has begun: its fee lines are billed', () =>
      given([opened])
        .when(changeFee(215_000, '2025-08-01', '2025-09-01T10:00:00.000Z'))
        .thenThrows(refusals.FeeChangeIsForASemesterUnderWay, /has begun/));

    it('a change from a semester’s first day made on that day', () =>
      given([opened])
        .when(changeFee(215_000, '2026-01-01', '2026-01-01T07:00:00.000Z'))
        .thenThrows(refusals.FeeChangeIsForASemesterUnderWay));

    it.each([
      ['a day that begins no semester', 215_000, '2026-02-01', /first day/],
      ['a semester before the offering teaches', 215_000, '2025-01-01', /teaches from 2025-08-01/],
      ['a fee in kroner with a fraction of an øre', 215_000.5, '2026-01-01', /whole øre/],
      ['a negative fee', -100, '2026-01-01', /whole øre/],
    ])('%s', (_, fee, from, message) =>
      given([opened])
        .when(changeFee(fee, from, DECEMBER))
        .thenThrows(refusals.OfferingIsInvalid, message),
    );

    it('a change without a reason', () =>
      given([opened])
        .when(changeFee(215_000, '2026-01-01', DECEMBER, '  '))
        .thenThrows(refusals.OfferingIsInvalid, /reason/));

    it('a date that does not exist', () =>
      given([opened])
        .when(changeFee(215_000, '2026-13-01', DECEMBER))
        .thenThrows(refusals.DateIsInvalid));
  });
});

// Written apart from feeForSemester: the price list read by hand.
const expectedFee = (opening: number, changes: readonly { fee: number; from: string }[], firstDay: string): number => {
  const inForce = changes.filter((c) => c.from <= firstDay);
  const latestFrom = inForce.reduce((latest, c) => (c.from > latest ? c.from : latest), '');
  return inForce.filter((c) => c.from === latestFrom).at(-1)?.fee ?? opening;
};

const SEMESTERS = Array.from({ length: 7 }).reduce<Semester[]>(
  (all, _, i) => [...all, nextSemester(all[i] ?? autumn2025)],
  [autumn2025],
);

describe('the fee of a semester, property', () => {
  it('is the last change effective on or before its first day, for any sequence of changes', () => {
    const change = fc.record({
      fee: fc.integer({ min: 0, max: 500_000 }),
      from: fc.constantFrom(...SEMESTERS.map(semesterFirstDay)),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 12 }), (changes) => {
        const now = '2025-07-01T10:00:00.000Z';
        const state = changes.reduce(
          (current, c) => {
            const events = offeringDecider.decide(changeFee(c.fee, c.from, now), current);
            return events.reduce(evolve, current);
          },
          fold([opened]),
        );
        for (const semester of SEMESTERS) {
          expect(feeOf(state, semester)).toBe(expectedFee(205_250, changes, semesterFirstDay(semester)));
        }
      }),
      {
        numRuns: 300,
        // CI found this one: a change equal to the fee in force was dropped, so a later change to an earlier day
        // moved it too.
        examples: [
          [
            [
              { fee: 13, from: '2025-08-01' },
              { fee: 13, from: '2027-01-01' },
              { fee: 0, from: '2025-08-01' },
            ],
          ],
        ],
      },
    );
  });
});
