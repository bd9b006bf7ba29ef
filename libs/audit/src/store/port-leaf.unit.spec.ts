import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { AuditEvent } from './audit-store.js';
import { canonicalJson, portEventLeaf } from './port-leaf.js';

const event: AuditEvent = {
  position: 4096n,
  streamName: 'trondheim.waitlist.offering-1',
  streamRevision: 3,
  eventId: '6F1C7C52-0F0E-4C4A-9A55-2A0A1F6A0B01',
  type: 'PlaceOffered',
  schemaVersion: 1,
  data: { offerId: 'o-1', seats: [1, { b: 2, a: null }] },
  metadata: {
    tenant: 'trondheim',
    correlationId: 'req-1',
    causationId: 'c-1',
    actor: { id: 'kari', role: 'caseworker' },
    occurredAt: '2025-06-10T09:00:00.000Z',
  },
  recordedAt: new Date('2026-11-25T20:20:58.871Z'),
};

describe('the leaf of an event read through the port', () => {
  it('does not depend on the order the store gives the keys in, nor on the case of the event id', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 1, c: 'x' }] }), '{"a":[{"c":"x","d":1}],"b":1}');
    const reordered: AuditEvent = {
      ...event,
      eventId: event.eventId.toLowerCase(),
      data: { seats: [1, { a: null, b: 2 }], offerId: 'o-1' },
    };
    assert.deepEqual(portEventLeaf(reordered), portEventLeaf(event));
  });

  it('changes with every field it covers', () => {
    const changes: Partial<AuditEvent>[] = [
      { position: 4097n },
      { streamName: 'trondheim.waitlist.offering-2' },
      { streamRevision: 4 },
      { eventId: '6f1c7c52-0f0e-4c4a-9a55-2a0a1f6a0b02' },
      { type: 'OfferAccepted' },
      { schemaVersion: 2 },
      { recordedAt: new Date('2026-11-25T20:20:58.872Z') },
      { data: { offerId: 'o-2', seats: [1, { b: 2, a: null }] } },
      { metadata: { ...event.metadata, reason: 'backdated' } },
    ];
    const leaves = new Set(
      [event, ...changes.map((change) => ({ ...event, ...change }))].map((e) => portEventLeaf(e).toString('hex')),
    );
    assert.equal(leaves.size, changes.length + 1);
  });
});
