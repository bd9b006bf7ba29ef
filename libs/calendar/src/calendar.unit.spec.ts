import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import {
  addCalendarDays,
  answerDeadline,
  compareSemesters,
  isDate,
  isPrimarySchoolAge,
  nextSemester,
  osloDate,
  osloStartOf,
  previousSemester,
  schoolYearOf,
  semesterOf,
} from './index.js';

describe('the kulturskole calendar', () => {
  it('reads instants as Oslo calendar days', () => {
    assert.equal(osloDate('2025-07-31T22:30:00Z'), '2025-08-01', 'half past midnight in Oslo, summer time');
    assert.equal(osloDate('2025-12-31T23:30:00Z'), '2026-01-01', 'winter time');
    assert.equal(osloDate('2025-03-01'), '2025-03-01');
  });

  it("reads every instant as the time-zone database's Oslo day, DST changes and the hours before midnight included", () => {
    const byZone = new Intl.DateTimeFormat('en-CA', {
      ...{ timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' },
    });
    // Around the two changes of 2026 (29 March, 25 October) minute by minute, where a fixed offset would go wrong.
    for (const change of ['2026-03-28T20:00:00Z', '2026-10-24T20:00:00Z']) {
      for (let minute = 0; minute < 36 * 60; minute++) {
        const instant = new Date(Date.parse(change) + minute * 60_000);
        assert.equal(osloDate(instant), byZone.format(instant), instant.toISOString());
      }
    }
    const anyInstant = fc.date({
      min: new Date('1890-01-01T00:00:00Z'),
      max: new Date('2200-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(anyInstant, (instant) => osloDate(instant) === byZone.format(instant)),
      { numRuns: 20_000 },
    );
    // As events carry it: the ISO text in UTC, with milliseconds, seconds only or minutes only; or with an offset.
    const asText = fc
      .tuple(anyInstant, fc.constantFrom('ms', 'seconds', 'minutes', 'offset'))
      .map(([instant, form]) => {
        const iso = instant.toISOString();
        const inOslo = `${new Date(instant.getTime() + 2 * 3_600_000).toISOString().slice(0, 23)}+02:00`;
        const text = { ms: iso, seconds: `${iso.slice(0, 19)}Z`, minutes: `${iso.slice(0, 16)}Z`, offset: inOslo }[
          form
        ];
        return { text, instant: new Date(Date.parse(text)) };
      });
    fc.assert(
      fc.property(asText, ({ text, instant }) => osloDate(text) === byZone.format(instant)),
      { numRuns: 20_000 },
    );
    // Text that only looks like an instant is not read as a day; a 30 February is read as Date reads it, as before.
    assert.throws(() => osloDate('2026-13-01T10:00:00Z'), RangeError);
    assert.equal(osloDate('2026-02-30T10:00:00Z'), osloDate(new Date('2026-02-30T10:00:00Z')));
  });

  it('starts the school year and the autumn semester in August (Oslo time)', () => {
    assert.equal(schoolYearOf('2025-07-31T21:59:59Z'), '2024-2025');
    assert.equal(schoolYearOf('2025-07-31T22:00:00Z'), '2025-2026');
    assert.deepEqual(semesterOf('2026-03-01'), { schoolYear: '2025-2026', term: 'spring' });
    assert.deepEqual(nextSemester({ schoolYear: '2025-2026', term: 'spring' }), {
      schoolYear: '2026-2027',
      term: 'autumn',
    });
  });

  it('knows real dates from look-alikes', () => {
    assert.equal(isDate('2025-02-28'), true);
    assert.equal(isDate('2025-02-30'), false);
    assert.equal(isDate('01.03.2025'), false);
  });

  it('orders semesters and steps back over the summer', () => {
    const autumn = { schoolYear: '2025-2026', term: 'autumn' } as const;
    assert.deepEqual(previousSemester(autumn), { schoolYear: '2024-2025', term: 'spring' });
    assert.deepEqual(previousSemester(nextSemester(autumn)), autumn);
    assert.ok(compareSemesters(previousSemester(autumn), autumn) < 0);
    assert.ok(compareSemesters(nextSemester(autumn), autumn) > 0);
    assert.equal(compareSemesters(autumn, { ...autumn }), 0);
  });

  it('counts grades 1 to 10 by the year a child turns 6 to 15', () => {
    assert.deepEqual(
      [2009, 2010, 2019, 2020].map((born) => isPrimarySchoolAge(born, '2025-2026')),
      [false, true, true, false],
    );
    assert.equal(isPrimarySchoolAge(2010.5, '2025-2026'), false);
  });

  describe('Oslo days and answer deadlines (rule 5)', () => {
    it('starts each Oslo day at its own midnight, on both clock-change days too', () => {
      assert.equal(osloStartOf('2025-01-15'), '2025-01-14T23:00:00.000Z');
      assert.equal(osloStartOf('2025-07-15'), '2025-07-14T22:00:00.000Z');
      // Last Sunday of March: the day starts in winter time, the clocks go forward at 02:00.
      assert.equal(osloStartOf('2025-03-30'), '2025-03-29T23:00:00.000Z');
      assert.equal(osloStartOf('2025-03-31'), '2025-03-30T22:00:00.000Z');
      // Last Sunday of October: the day starts in summer time, the clocks go back at 03:00.
      assert.equal(osloStartOf('2025-10-26'), '2025-10-25T22:00:00.000Z');
      assert.equal(osloStartOf('2025-10-27'), '2025-10-26T23:00:00.000Z');
      assert.throws(() => osloStartOf('2025-02-30'), RangeError);
    });

    it('ends on Oslo midnight after the last day, not 7×24 hours later, across the October change', () => {
      // Offered Friday 24 Oct 2025 at 15:00 summer time; answers count through Friday 31 Oct in winter time.
      assert.equal(answerDeadline('2025-10-24T13:00:00Z', 7), '2025-10-31T23:00:00.000Z');
    });

    it('ends on Oslo midnight across the March change', () => {
      assert.equal(answerDeadline('2025-03-27T09:00:00Z', 7), '2025-04-03T22:00:00.000Z');
      // Offered just after midnight in Oslo: the offer day is the Oslo day, not the UTC one.
      assert.equal(answerDeadline('2025-03-23T23:30:00Z', 7), '2025-03-31T22:00:00.000Z');
      // Offered on the clock-change day itself; and with the 23-hour change day as the last day.
      assert.equal(answerDeadline('2025-03-30T12:00:00Z', 1), '2025-03-31T22:00:00.000Z');
      assert.equal(answerDeadline('2025-03-23T12:00:00Z', 7), '2025-03-30T22:00:00.000Z');
    });

    it('refuses a number of days that is not whole and not negative', () => {
      assert.throws(() => answerDeadline('2025-10-24T13:00:00Z', 1.5), RangeError);
      assert.throws(() => answerDeadline('2025-10-24T13:00:00Z', -1), RangeError);
    });

    it('always ends at an Oslo midnight, exactly `days` Oslo days after the offer day', () =>
      fc.assert(
        fc.property(
          fc.date({
            min: new Date('2000-01-01T00:00:00Z'),
            max: new Date('2099-12-31T00:00:00Z'),
            noInvalidDate: true,
          }),
          fc.integer({ min: 1, max: 30 }),
          (offered, days) => {
            const offeredAt = offered.toISOString();
            const deadline = answerDeadline(offeredAt, days);
            const lastDay = osloDate(new Date(Date.parse(deadline) - 1));
            assert.equal(deadline, osloStartOf(osloDate(deadline)), 'an Oslo midnight');
            assert.equal(lastDay, addCalendarDays(osloDate(offeredAt), days));
            assert.ok(Date.parse(deadline) > Date.parse(offeredAt));
          },
        ),
      ));
  });
});
