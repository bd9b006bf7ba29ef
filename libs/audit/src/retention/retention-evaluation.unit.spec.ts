import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { evaluateRetention, type RetentionFact } from './retention-evaluation.js';
import { defaultRetentionPolicy } from './retention-policy.js';

const child = 'c0000000-0000-4000-8000-000000000001';
const payer = 'p0000000-0000-4000-8000-000000000002';
const fact = (type: string, occurredAt: string, data: Record<string, unknown>): RetentionFact => ({
  type,
  occurredAt,
  data,
});
const applied = fact('ApplicationSubmitted', '2025-03-01T10:00:00.000Z', { applicationId: 'a1', childId: child });
const accepted = fact('OfferAccepted', '2025-06-01T10:00:00.000Z', { applicationId: 'a1', childId: child });
const enrolled = fact('PlaceEnrolled', '2025-06-01T10:00:01.000Z', { placeId: 'p1', studentId: child });
const withdrawn = fact('PlaceWithdrawn', '2026-06-30T10:00:00.000Z', { placeId: 'p1', studentId: child });
const payerRegistered = fact('ChildPayerRegistered', '2025-06-05T10:00:00.000Z', { childId: child, payerId: payer });
const judge = (facts: RetentionFact[], at: string, subjects = [child, payer]) =>
  evaluateRetention(facts, defaultRetentionPolicy, { at: new Date(at), subjects: new Set(subjects) });

describe('retention: whose personal data is due for erasure', () => {
  it('keeps a child while an application is open, however old', () => {
    const result = judge([applied], '2040-01-01T00:00:00Z');
    assert.deepEqual(result.due, []);
    assert.deepEqual(result.kept[0]?.openPurposes, ['application a1']);
  });

  it('keeps a child holding a place, and its payer with it', () => {
    const result = judge([applied, accepted, enrolled, payerRegistered], '2040-01-01T00:00:00Z');
    assert.deepEqual(result.due, []);
    assert.deepEqual(result.kept.find((k) => k.subjectId === payer)?.openPurposes, [`place p1 (of ${child})`]);
  });

  it('makes both due three years after the place ended, not a day before', () => {
    const facts = [applied, accepted, enrolled, payerRegistered, withdrawn];
    assert.deepEqual(judge(facts, '2029-06-30T09:59:59Z').due, []);
    const result = judge(facts, '2029-06-30T10:00:00Z');
    assert.deepEqual(
      result.due.map((d) => [d.subjectId, d.dueAt, d.closedPurposes]),
      [
        [child, '2029-06-30T10:00:00.000Z', 2],
        [payer, '2029-06-30T10:00:00.000Z', 0],
      ],
    );
  });

  it('judges only subjects whose data is still there, and names subjects no event mentions', () => {
    const result = judge([applied, accepted], '2040-01-01T00:00:00Z', [payer]);
    assert.deepEqual(result.due, []);
    assert.deepEqual(result.withoutEvents, [payer]);
  });

  it('reports event types the policy does not name', () => {
    const result = judge(
      [fact('SomethingNew', '2025-01-01T00:00:00.000Z', { childId: child })],
      '2026-01-01T00:00:00Z',
    );
    assert.deepEqual(result.unknownEventTypes, ['SomethingNew']);
  });

  it('names each event type once', () => {
    const types = defaultRetentionPolicy.events.map((e) => e.eventType);
    assert.equal(new Set(types).size, types.length);
  });
});
