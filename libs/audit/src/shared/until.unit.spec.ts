import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { RecordedEvent } from '#libs/event-store';
import { parseUntil, recordedBy, UntilIsInvalid } from './until.js';

describe('until: an instant or a position', () => {
  it('reads digits as a position in $all', () => {
    assert.deepEqual(parseUntil('123456789'), { kind: 'position', position: 123_456_789n });
  });

  it('reads an ISO-8601 instant, with offset or as a date', () => {
    assert.deepEqual(parseUntil('2025-10-01T00:00:00+02:00'), {
      kind: 'instant',
      instant: new Date('2025-09-30T22:00:00Z'),
    });
    assert.deepEqual(parseUntil('2025-10-01'), { kind: 'instant', instant: new Date('2025-10-01T00:00:00Z') });
  });

  it('refuses anything else', () => {
    for (const text of ['yesterday', '01.10.2025', '2025-13-01', '12abc'])
      assert.throws(() => parseUntil(text), UntilIsInvalid, text);
  });

  it('includes the event recorded at the very instant or position', () => {
    const metadata = { occurredAt: '2025-09-01T00:00:00Z' } as RecordedEvent['metadata'];
    const event = { recordedAt: new Date('2025-10-01T00:00:00Z'), position: 42n, metadata };
    assert.equal(recordedBy(event, parseUntil('2025-10-01T00:00:00Z')), true);
    assert.equal(recordedBy(event, parseUntil('2025-09-30T23:59:59.999Z')), false);
    assert.equal(recordedBy(event, parseUntil('42')), true);
    assert.equal(recordedBy(event, parseUntil('41')), false);
  });

  it('takes a fact imported from the old system as known from the day it happened, not from the import (ADR 0014)', () => {
    const metadata = { occurredAt: '2025-09-01T00:00:00Z', imported: true } as RecordedEvent['metadata'];
    const event = { recordedAt: new Date('2026-12-05T00:00:00Z'), position: 42n, metadata };
    assert.equal(recordedBy(event, parseUntil('2025-10-01T00:00:00Z')), true);
    assert.equal(recordedBy(event, parseUntil('2025-08-31T23:59:59Z')), false);
  });
});
