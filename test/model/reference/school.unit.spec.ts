import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { countsOn, feeLines, places, waitlists } from './outcomes.js';
import { advanceTo, emptySchool, run, type Child, type Offering } from './school.js';

const Y1 = '2025-2026';
const children: Child[] = [
  { label: 'ada', born: '2014-02-01', guardian: 'g1' },
  { label: 'bo', born: '2015-05-01', guardian: 'g1' },
  { label: 'cy', born: '2016-09-01', guardian: 'g1' },
  { label: 'dag', born: '2013-03-01', guardian: 'g2' },
];
const offering = (key: string, capacity: number, feeOre = 210_500): Offering => ({
  label: `${key}@${Y1}`,
  key,
  schoolYear: Y1,
  capacity,
  feeOre,
  successor: null,
});
const school = (...offerings: Offering[]) => emptySchool('2025-08-04', children, offerings);

describe('the reference model', () => {
  it('offers a free seat to a child without a place before one with a place (rule 3)', () => {
    const s = school(offering('piano', 1), offering('gitar', 1));
    run(s, { type: 'enrol', child: 'dag', offering: `piano@${Y1}` });
    advanceTo(s, '2025-08-05');
    run(s, { type: 'enrol', child: 'ada', offering: `gitar@${Y1}` });
    run(s, { type: 'apply', child: 'dag', offering: `gitar@${Y1}` });
    assert.equal(run(s, { type: 'enrol', child: 'bo', offering: `gitar@${Y1}` }), 'refused', 'no seat left');
    advanceTo(s, '2025-08-06');
    run(s, { type: 'apply', child: 'bo', offering: `gitar@${Y1}` });
    assert.deepEqual(waitlists(s)[`gitar@${Y1}`]?.queue, ['bo', 'dag'], 'bo has no place, so goes first');
  });

  it('takes silence as acceptance after seven days, and the guardian who applied pays (rule 5)', () => {
    const s = school(offering('piano', 1));
    run(s, { type: 'apply', child: 'ada', offering: `piano@${Y1}` });
    advanceTo(s, '2025-08-11');
    assert.deepEqual(waitlists(s)[`piano@${Y1}`]?.offered, ['ada']);
    advanceTo(s, '2025-08-12');
    assert.deepEqual(places(s), [`ada piano@${Y1} 2025-08-12..`]);
    assert.deepEqual(feeLines(s, [Y1]), { [`g1 ${Y1}/autumn`]: 210_500, [`g1 ${Y1}/spring`]: 210_500 });
  });

  it('bills the spring to a withdrawal given after 10 December (rule 7), not to one before', () => {
    const s = school(offering('piano', 2), offering('gitar', 2, 205_250));
    run(s, { type: 'enrol', child: 'dag', offering: `piano@${Y1}` });
    run(s, { type: 'enrol', child: 'dag', offering: `gitar@${Y1}` });
    run(s, { type: 'registerPayer', child: 'dag', guardian: 'g2' });
    advanceTo(s, '2025-12-01');
    run(s, { type: 'withdraw', child: 'dag', offering: `gitar@${Y1}`, lastDayIn: 30 });
    advanceTo(s, '2025-12-11');
    run(s, { type: 'withdraw', child: 'dag', offering: `piano@${Y1}`, lastDayIn: 20 });
    assert.deepEqual(feeLines(s, [Y1]), {
      [`g2 ${Y1}/autumn`]: 210_500 + 205_250,
      [`g2 ${Y1}/spring`]: 210_500,
    });
  });

  it('frees the autumn for a place given up by 10 August, though its last day falls in August (rule 7)', () => {
    const s = school(offering('piano', 2));
    run(s, { type: 'enrol', child: 'dag', offering: `piano@${Y1}` });
    run(s, { type: 'registerPayer', child: 'dag', guardian: 'g2' });
    run(s, { type: 'withdraw', child: 'dag', offering: `piano@${Y1}`, lastDayIn: 3 });
    assert.deepEqual(feeLines(s, [Y1]), {});
  });

  it('halves the first place of the third child of one payer (rule 9), and a waiver clears the year (rule 10)', () => {
    const s = school(offering('piano', 3));
    for (const child of ['cy', 'bo', 'ada']) {
      run(s, { type: 'enrol', child, offering: `piano@${Y1}` });
      run(s, { type: 'registerPayer', child, guardian: 'g1' });
    }
    assert.equal(feeLines(s, [Y1])[`g1 ${Y1}/autumn`], 3 * 210_500 - 105_250, 'cy is the youngest: the third child');
    run(s, { type: 'waiver', guardian: 'g1', lowIncome: true });
    assert.equal(feeLines(s, [Y1])[`g1 ${Y1}/spring`], 0);
  });

  it('gives no place to a child erased while its offer stood: silence runs out, the entry is kept, passed over', () => {
    const s = school(offering('piano', 1));
    run(s, { type: 'apply', child: 'ada', offering: `piano@${Y1}` });
    run(s, { type: 'erase', child: 'ada' });
    assert.equal(run(s, { type: 'answer', child: 'ada', offering: `piano@${Y1}`, accept: true }), 'nothing');
    advanceTo(s, '2025-08-12');
    assert.deepEqual(places(s), [], 'nothing new is recorded for an erased person');
    assert.deepEqual(waitlists(s)[`piano@${Y1}`], { queue: ['ada'], offered: [] });
    run(s, { type: 'apply', child: 'bo', offering: `piano@${Y1}` });
    assert.deepEqual(waitlists(s)[`piano@${Y1}`]?.offered, ['bo'], 'the seat goes to the next child');
  });

  it('refuses a third place (rule 2) and passes an offer refused for it over until a place is given up', () => {
    const s = school(offering('piano', 1), offering('gitar', 1), offering('fiolin', 1));
    run(s, { type: 'enrol', child: 'ada', offering: `piano@${Y1}` });
    run(s, { type: 'enrol', child: 'ada', offering: `gitar@${Y1}` });
    assert.equal(run(s, { type: 'enrol', child: 'ada', offering: `fiolin@${Y1}` }), 'refused');
    run(s, { type: 'apply', child: 'ada', offering: `fiolin@${Y1}` });
    run(s, { type: 'answer', child: 'ada', offering: `fiolin@${Y1}`, accept: true });
    assert.deepEqual(waitlists(s)[`fiolin@${Y1}`], { queue: ['ada'], offered: [] });
    run(s, { type: 'withdraw', child: 'ada', offering: `piano@${Y1}`, lastDayIn: 0 });
    assert.deepEqual(waitlists(s)[`fiolin@${Y1}`]?.offered, ['ada']);
  });

  it('judges a passed-over child again on the next school year, by the places it holds in that year (rule 2)', () => {
    const s = school(offering('piano', 1), offering('gitar', 1), offering('fiolin', 1));
    run(s, { type: 'enrol', child: 'ada', offering: `piano@${Y1}` });
    run(s, { type: 'enrol', child: 'ada', offering: `gitar@${Y1}` });
    run(s, { type: 'apply', child: 'ada', offering: `fiolin@${Y1}` });
    run(s, { type: 'answer', child: 'ada', offering: `fiolin@${Y1}`, accept: true });
    assert.deepEqual(waitlists(s)[`fiolin@${Y1}`], { queue: ['ada'], offered: [] }, 'passed over: two places');
    advanceTo(s, '2026-04-10');
    run(s, { type: 'reconfirm', child: 'ada', offering: `fiolin@${Y1}` });
    advanceTo(s, '2026-06-01');
    run(s, { type: 'rollover', drop: 'gitar' });
    advanceTo(s, '2026-06-15');
    assert.deepEqual(waitlists(s)['fiolin@2026-2027']?.offered, ['ada'], 'one place next year: room for fiolin');
  });

  it('continues every place that did not quit into the next school year, and counts each year on 1 October', () => {
    const s = school(offering('piano', 2));
    run(s, { type: 'enrol', child: 'ada', offering: `piano@${Y1}` });
    run(s, { type: 'enrol', child: 'bo', offering: `piano@${Y1}` });
    run(s, { type: 'apply', child: 'cy', offering: `piano@${Y1}` });
    advanceTo(s, '2026-04-10');
    run(s, { type: 'reregister', child: 'bo', offering: `piano@${Y1}`, continues: false });
    advanceTo(s, '2026-06-01');
    run(s, { type: 'rollover', drop: null });
    assert.deepEqual(places(s), [
      `ada piano@${Y1} 2025-08-04..2026-07-31`,
      'ada piano@2026-2027 2026-08-01..',
      `bo piano@${Y1} 2025-08-04..2026-07-31`,
    ]);
    assert.deepEqual(countsOn(s, Y1, '2025-10-01'), { students: 2, places: 2, waitingChildren: 1 });
    assert.deepEqual(countsOn(s, '2026-2027', '2026-10-01'), { students: 1, places: 1, waitingChildren: 0 });
  });
});
