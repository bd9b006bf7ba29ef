import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MESSAGE_CONTRACTS } from './catalogue.js';
import { breakingChanges, breakingChangesSince } from './compatibility.js';
import { readSnapshot } from './snapshot.js';

const placeStarted = {
  type: 'object',
  required: ['placeId', 'studentRef', 'programme'],
  properties: {
    placeId: { type: 'string' },
    studentRef: { type: 'string' },
    programme: { type: 'string', enum: ['breadth', 'core'] },
    transferredFrom: { oneOf: [{ type: 'null' }, { type: 'object', properties: { placeId: { type: 'string' } } }] },
    lines: { type: 'array', items: { type: 'object', properties: { amountOre: { type: 'integer' } } } },
  },
};
type Mutable = Record<string, unknown> & { properties: Record<string, unknown>; required: string[] };
const changed = (change: (schema: Mutable) => void) => {
  const copy = structuredClone(placeStarted) as Mutable;
  change(copy);
  return breakingChanges(placeStarted, copy).map((c) => `${c.path}: ${c.problem}`);
};

describe('schema compatibility for consumers of an existing version', () => {
  it('accepts an additive optional field', () =>
    assert.deepEqual(
      changed((s) => (s.properties.location = { type: 'string' })),
      [],
    ));

  it('refuses a removed field', () =>
    assert.deepEqual(
      changed((s) => {
        delete s.properties.placeId;
        s.required = ['studentRef', 'programme'];
      }),
      ['$: field placeId is no longer required', '$: field placeId was removed or renamed'],
    ));

  it('refuses a renamed field', () => {
    const problems = changed((s) => {
      s.properties.pupilRef = s.properties.studentRef;
      delete s.properties.studentRef;
      s.required = ['placeId', 'pupilRef', 'programme'];
    });
    assert.ok(problems.includes('$: field studentRef was removed or renamed'), problems.join('; '));
    assert.ok(problems.includes('$: field pupilRef is newly required'), problems.join('; '));
  });

  it('refuses a changed type, also deep inside arrays', () =>
    assert.deepEqual(
      changed(
        (s) =>
          (s.properties.lines = {
            type: 'array',
            items: { type: 'object', properties: { amountOre: { type: 'string' } } },
          }),
      ),
      ['$.lines[].amountOre: type changed from integer to string'],
    ));

  it('refuses a field that becomes required', () =>
    assert.deepEqual(
      changed((s) => s.required.push('transferredFrom')),
      ['$: field transferredFrom is newly required'],
    ));

  it('refuses a field that is no longer required', () =>
    assert.deepEqual(
      changed((s) => (s.required = ['placeId', 'studentRef'])),
      ['$: field programme is no longer required'],
    ));

  it('refuses a new enum value a consumer cannot know', () =>
    assert.deepEqual(
      changed((s) => (s.properties.programme = { type: 'string', enum: ['breadth', 'core', 'deepening'] })),
      ['$.programme: enum widened by deepening'],
    ));

  it('refuses a changed alternative in a oneOf', () =>
    assert.deepEqual(
      changed((s) => (s.properties.transferredFrom = { oneOf: [{ type: 'null' }, { type: 'string' }] })),
      [
        '$.transferredFrom|1: type changed from object to string',
        '$.transferredFrom|1: field placeId was removed or renamed',
      ],
    ));

  it('finds the committed v1 schemas unchanged or changed compatibly, with no message type dropped', async () =>
    assert.deepEqual(
      breakingChangesSince(
        await readSnapshot(),
        Object.fromEntries(MESSAGE_CONTRACTS.map((c) => [c.type, c.schema as Record<string, unknown>])),
      ),
      [],
    ));

  it('has every published message type in the committed snapshot', async () => {
    const snapshot = await readSnapshot();
    assert.deepEqual(
      MESSAGE_CONTRACTS.map((c) => c.type).filter((type) => !(type in snapshot)),
      [],
      'run contracts/update-snapshot.js after reviewing the new message type',
    );
  });
});
