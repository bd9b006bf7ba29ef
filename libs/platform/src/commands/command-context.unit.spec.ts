import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { eventIdFor, newCommandContext, newCommandId } from './command-context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const principal = { subject: 'saksbehandler-1', tenant: 'trondheim', role: 'caseworker' as const };
const newCommand = (idempotencyKey?: string) =>
  newCommandContext(principal, { now: new Date('2026-12-07T10:00:00Z'), ...(idempotencyKey ? { idempotencyKey } : {}) })
    .commandId;
/** A UUID's first 48 bits, which PostgreSQL's uuid type sorts by first. */
const head = (id: string) => id.slice(0, 13);

describe('event ids derived from a command', () => {
  it('are the same for the same command, stream and index, and differ otherwise', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(9), fc.string(), fc.nat(9), (parent, stream, index, other, i) => {
        const id = eventIdFor(parent, stream, index);
        assert.match(id, UUID);
        assert.equal(eventIdFor(parent, stream, index), id);
        if (other !== stream || i !== index) assert.notEqual(eventIdFor(parent, other, i), id);
      }),
    );
  });

  it("keep a new command's time order, so the store's index of event ids grows at its end", () => {
    const commands = Array.from({ length: 2_000 }, () => newCommand());
    const heads = commands.map((commandId) => head(eventIdFor(commandId, 'trondheim.waitlist.offering-1', 0)));
    assert.deepEqual(heads, [...heads].sort());
    // …and only share their first 48 bits: the rest tells the events of one command apart.
    const [first] = commands;
    assert.ok(first);
    assert.equal(head(eventIdFor(first, 'a', 0)), head(eventIdFor(first, 'b', 1)));
    assert.notEqual(eventIdFor(first, 'a', 0), eventIdFor(first, 'b', 1));
  });

  it('repeat for a retried command that brings its Idempotency-Key', () => {
    assert.equal(newCommand('nøkkel-1'), newCommand('nøkkel-1'));
    assert.notEqual(newCommand('nøkkel-1'), newCommand('nøkkel-2'));
    assert.equal(eventIdFor(newCommand('nøkkel-1'), 's', 0), eventIdFor(newCommand('nøkkel-1'), 's', 0));
  });
});

describe('a command that brings its Idempotency-Key', () => {
  it('keeps the time of a key that is a UUIDv7 (the dashboard sends such keys), and hashes any other key', () => {
    const keys = Array.from({ length: 500 }, () => newCommandId());
    const heads = keys.map((key) => head(newCommand(key)));
    assert.deepEqual(heads, keys.map(head));
    assert.deepEqual(heads, [...heads].sort());
    const [key] = keys;
    assert.ok(key);
    assert.match(newCommand(key), UUID);
    assert.notEqual(newCommand(key), key, 'the id is still derived from the tenant and the key, not the key itself');
    const other = randomUUID(); // a UUIDv4: nothing in it is a time
    assert.notEqual(head(newCommand(other)), head(other));
  });
});
