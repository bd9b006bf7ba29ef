import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { testEvent } from '#libs/testing';
import type { NewEvent, RecordedEvent } from '../envelope.js';
import { IdempotencyMismatchError, InvalidEventError, WrongExpectedRevisionError } from '../errors.js';
import type { EventStore } from '../event-store.js';
import { Upcasters } from '../upcasters.js';
import { tenantShardOf } from '../tenant-shard.js';

export interface ContractSubject {
  store: EventStore;
  dispose(): Promise<void>;
}

/**
 * The same semantics for every adapter. Each run uses its own tenant, so it can share a server with other runs and
 * read `$all` filtered to its own streams.
 */
export const eventStoreContract = (adapter: string, open: (upcasters: Upcasters) => Promise<ContractSubject>) => {
  describe(`EventStore contract: ${adapter}`, () => {
    const tenant = `t${randomUUID().slice(0, 8)}`;
    const upcasters = new Upcasters().register('GreetingSent', 1, (e) => ({
      ...e,
      schemaVersion: 2,
      data: { ...(e.data as object), language: 'nb' },
    }));
    let subject: ContractSubject;
    let store: EventStore;
    beforeAll(async () => {
      subject = await open(upcasters);
      store = subject.store;
    });
    afterAll(async () => subject.dispose());

    const stream = (aggregate = 'offering') => `${tenant}.enrolment.${aggregate}-${randomUUID()}`;
    const caseworker = { id: 'caseworker-1', role: 'caseworker' as const };
    const event = (type = 'OfferingOpened', data: object = { n: 1 }): NewEvent =>
      testEvent(tenant, type, data, { actor: caseworker, occurredAt: '2025-08-15T10:00:00.000Z' });
    /**
     * `$all` as far as it is safe to read: events of transactions still running anywhere on the server (other test
     * files share it) stay out until they end, so a check of a just-appended event waits for it to appear.
     */
    const ownAllWith = async (streams: readonly string[]): Promise<RecordedEvent[]> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const all = await ownAll();
        const seen = new Set(all.map((e) => e.streamName));
        if (streams.every((s) => seen.has(s)) || Date.now() > deadline) return all;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const ownAll = async (): Promise<RecordedEvent[]> => {
      const all: RecordedEvent[] = [];
      let from: bigint | undefined;
      for (;;) {
        const page = await store.readAll({
          fromPosition: from,
          maxCount: 7,
          filter: { streamPrefixes: [`${tenant}.`] },
        });
        all.push(...page.events);
        from = page.lastPosition;
        if (page.isEnd) return all;
      }
    };

    describe('append with an expected revision', () => {
      it('creates a stream with no_stream and numbers its events from 0', async () => {
        const name = stream();
        const result = await store.appendToStream(name, [event(), event()], { expectedRevision: 'no_stream' });
        assert.equal(result.nextExpectedRevision, 1);
        assert.equal(result.duplicate, false);
        const read = await store.readStream(name);
        assert.deepEqual(
          read.map((e) => e.streamRevision),
          [0, 1],
        );
        assert.equal(read[1]?.position, result.position);
      });

      it('refuses no_stream on an existing stream and writes nothing', async () => {
        const name = stream();
        await store.appendToStream(name, [event()], { expectedRevision: 'no_stream' });
        await assert.rejects(
          store.appendToStream(name, [event()], { expectedRevision: 'no_stream' }),
          WrongExpectedRevisionError,
        );
        assert.equal((await store.readStream(name)).length, 1);
      });

      it('appends at the exact revision and refuses a stale one, writing nothing', async () => {
        const name = stream();
        await store.appendToStream(name, [event()], { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(name, [event()], { expectedRevision: 0 });
        assert.equal(second.nextExpectedRevision, 1);
        await assert.rejects(store.appendToStream(name, [event()], { expectedRevision: 0 }), (error: unknown) => {
          assert.ok(error instanceof WrongExpectedRevisionError);
          assert.equal(error.actual, 1);
          return true;
        });
        assert.equal((await store.readStream(name)).length, 2);
      });

      it('refuses an exact revision on a stream that does not exist', async () => {
        const name = stream();
        await assert.rejects(
          store.appendToStream(name, [event()], { expectedRevision: 0 }),
          WrongExpectedRevisionError,
        );
        assert.equal((await store.readStream(name)).length, 0);
      });

      it('appends with any whatever the revision', async () => {
        const name = stream();
        await store.appendToStream(name, [event()], { expectedRevision: 'any' });
        const result = await store.appendToStream(name, [event(), event()], { expectedRevision: 'any' });
        assert.equal(result.nextExpectedRevision, 2);
      });

      it('lets exactly one of many racing appends at one revision win', async () => {
        const name = stream();
        await store.appendToStream(name, [event()], { expectedRevision: 'no_stream' });
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.appendToStream(name, [event()], { expectedRevision: 0 })),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof WrongExpectedRevisionError);
        assert.equal((await store.readStream(name)).length, 2);
      });
    });

    describe('idempotent event ids', () => {
      it('treats a repeated append of the same events as a no-op, even with a stale expected revision', async () => {
        const name = stream();
        const events = [event(), event()];
        const first = await store.appendToStream(name, events, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(name, events, { expectedRevision: 'no_stream' });
        assert.equal(again.duplicate, true);
        assert.equal(again.nextExpectedRevision, first.nextExpectedRevision);
        assert.equal((await store.readStream(name)).length, 2);
      });

      it('treats racing twins of one append as one append', async () => {
        const name = stream();
        const events = [event()];
        const results = await Promise.all(
          Array.from({ length: 4 }, () => store.appendToStream(name, events, { expectedRevision: 'any' })),
        );
        assert.equal(results.filter((r) => !r.duplicate).length, 1);
        assert.equal((await store.readStream(name)).length, 1);
      });

      it('refuses an append that repeats only some stored events', async () => {
        const name = stream();
        const stored = event();
        await store.appendToStream(name, [stored], { expectedRevision: 'no_stream' });
        await assert.rejects(
          store.appendToStream(name, [stored, event()], { expectedRevision: 'any' }),
          IdempotencyMismatchError,
        );
        assert.equal((await store.readStream(name)).length, 1);
      });
    });

    describe('bad input', () => {
      it('refuses a malformed stream name, naming the field', async () => {
        await assert.rejects(
          store.appendToStream('no tenant here', [event()], { expectedRevision: 'any' }),
          (e: unknown) => e instanceof InvalidEventError && e.field === 'streamName',
        );
      });
      it('refuses a malformed event type and writes nothing', async () => {
        const name = stream();
        await assert.rejects(
          store.appendToStream(name, [event('not a type')], { expectedRevision: 'any' }),
          (e: unknown) => e instanceof InvalidEventError && e.field === 'type',
        );
        assert.equal((await store.readStream(name)).length, 0);
      });
      it("refuses an event of another tenant than the stream's", async () => {
        const other = { ...event(), metadata: { ...event().metadata, tenant: 'another' } };
        await assert.rejects(
          store.appendToStream(stream(), [other], { expectedRevision: 'any' }),
          (e: unknown) => e instanceof InvalidEventError && e.field === 'events[0].metadata.tenant',
        );
      });
    });

    describe('reading', () => {
      it('returns the whole envelope the store was given, plus what the store adds', async () => {
        const name = stream();
        const sent = event('OfferingOpened', { subject: 'piano', capacity: 12 });
        await store.appendToStream(name, [sent], { expectedRevision: 'no_stream' });
        const [read] = await store.readStream(name);
        assert.ok(read);
        assert.deepEqual(
          { eventId: read.eventId, type: read.type, schemaVersion: read.schemaVersion, data: read.data },
          { eventId: sent.eventId, type: sent.type, schemaVersion: 1, data: sent.data },
        );
        assert.deepEqual(read.metadata, sent.metadata);
        assert.equal(read.streamName, name);
        assert.ok(read.recordedAt instanceof Date);
        assert.equal(typeof read.position, 'bigint');
      });

      it('pages a stream forwards and backwards', async () => {
        const name = stream();
        await store.appendToStream(
          name,
          Array.from({ length: 10 }, (_, n) => event('OfferingOpened', { n })),
          { expectedRevision: 'no_stream' },
        );
        const forwards = await store.readStream(name, { fromRevision: 3, maxCount: 4 });
        assert.deepEqual(
          forwards.map((e) => e.streamRevision),
          [3, 4, 5, 6],
        );
        const backwards = await store.readStream(name, { direction: 'backwards', maxCount: 3 });
        assert.deepEqual(
          backwards.map((e) => e.streamRevision),
          [9, 8, 7],
        );
        const fromSix = await store.readStream(name, { direction: 'backwards', fromRevision: 6, maxCount: 2 });
        assert.deepEqual(
          fromSix.map((e) => e.streamRevision),
          [6, 5],
        );
      });

      it('answers many reads asked at once each with its own stream, from its revision, up to its count', async () => {
        const names = Array.from({ length: 70 }, () => stream());
        for (const [index, name] of names.entries())
          await store.appendToStream(
            name,
            Array.from({ length: 1 + (index % 5) }, (_, n) => event('OfferingOpened', { index, n })),
            { expectedRevision: 'no_stream' },
          );
        const asked = names.flatMap((name, index) => [
          { name, options: {} },
          { name, options: { fromRevision: index % 3 } },
          { name, options: { fromRevision: 1, maxCount: 2 } },
        ]);
        asked.push({ name: stream(), options: {} }); // a stream nobody wrote
        const together = await Promise.all(asked.map(({ name, options }) => store.readStream(name, options)));
        for (const [index, { name, options }] of asked.entries()) {
          const alone = await store.readStream(name, options);
          assert.deepEqual(
            together[index]?.map((e) => [e.streamName, e.streamRevision, e.data]),
            alone.map((e) => [e.streamName, e.streamRevision, e.data]),
          );
        }
        assert.equal(together.at(-1)?.length, 0);
        assert.deepEqual(
          together[0 * 3 + 1]?.map((e) => e.streamRevision),
          [0],
        );
        assert.deepEqual(
          together[4 * 3 + 2]?.map((e) => e.streamRevision),
          [1, 2],
        );
      });

      it('runs upcasters on every read', async () => {
        const name = stream();
        await store.appendToStream(name, [event('GreetingSent', { text: 'hei' })], { expectedRevision: 'no_stream' });
        const [fromStream] = await store.readStream(name);
        assert.equal(fromStream?.schemaVersion, 2);
        assert.deepEqual(fromStream?.data, { text: 'hei', language: 'nb' });
        const fromAll = (await ownAllWith([name])).find((e) => e.streamName === name);
        assert.deepEqual(fromAll?.data, { text: 'hei', language: 'nb' });
      });

      it('reads $all in order, in pages, from a position, filtered by type and stream prefix', async () => {
        const offering = stream('offering');
        const student = stream('student');
        await store.appendToStream(offering, [event('OfferingOpened'), event('CapacityChanged')], {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(student, [event('StudentRegistered')], { expectedRevision: 'no_stream' });
        const all = await ownAllWith([offering, student]);
        const positions = all.map((e) => e.position);
        assert.deepEqual(
          positions,
          [...positions].sort((a, b) => (a < b ? -1 : 1)),
        );
        assert.equal(new Set(positions).size, positions.length);
        const mine = all.filter((e) => e.streamName === offering || e.streamName === student);
        assert.deepEqual(
          mine.map((e) => e.type),
          ['OfferingOpened', 'CapacityChanged', 'StudentRegistered'],
        );

        const first = mine[0];
        assert.ok(first);
        const after = await store.readAll({
          fromPosition: first.position,
          maxCount: 100,
          filter: { streamPrefixes: [offering, student] },
        });
        assert.deepEqual(
          after.events.map((e) => e.type),
          ['CapacityChanged', 'StudentRegistered'],
        );
        const byType = await store.readAll({
          maxCount: 1000,
          filter: { eventTypes: ['CapacityChanged'], streamPrefixes: [`${tenant}.`] },
        });
        assert.ok(byType.events.length >= 1);
        assert.ok(byType.events.every((e) => e.type === 'CapacityChanged'));
      });
      it("reads whole tenants by their `<tenant>.` prefix: their streams only, in $all order, not a longer tenant's", async () => {
        // A second tenant whose name starts with this one's, and a third: only the asked tenants' events come back.
        const longer = `${tenant}-b`;
        const other = `u${randomUUID().slice(0, 8)}`;
        const mine = stream('tenants');
        const longerStream = `${longer}.enrolment.offering-${randomUUID()}`;
        const otherStream = `${other}.enrolment.offering-${randomUUID()}`;
        const of = (owner: string, n: number) =>
          testEvent(owner, 'OfferingOpened', { n }, { actor: caseworker, occurredAt: '2025-08-15T10:00:00.000Z' });
        await store.appendToStream(mine, [of(tenant, 1)], { expectedRevision: 'no_stream' });
        await store.appendToStream(longerStream, [of(longer, 2)], { expectedRevision: 'no_stream' });
        await store.appendToStream(otherStream, [of(other, 3)], { expectedRevision: 'no_stream' });
        await store.appendToStream(mine, [of(tenant, 4)], { expectedRevision: 0 });
        await store.awaitSettled();
        const read = async (prefixes: string[]) =>
          (
            await store.readAll({
              maxCount: 100_000,
              filter: { eventTypes: ['OfferingOpened'], streamPrefixes: prefixes },
            })
          ).events
            .filter((e) => [mine, longerStream, otherStream].includes(e.streamName))
            .map((e) => (e.data as { n: number }).n);
        assert.deepEqual(await read([`${tenant}.`]), [1, 4]);
        assert.deepEqual(await read([`${longer}.`]), [2]);
        assert.deepEqual(await read([`${tenant}.`, `${other}.`]), [1, 3, 4]);
      });
      it('reads one shard of tenants, as every process computes the shard, and the shards together read all', async () => {
        const tenants = Array.from({ length: 12 }, () => `s${randomUUID().slice(0, 8)}`);
        const streams = tenants.map((owner) => `${owner}.enrolment.offering-${randomUUID()}`);
        for (const [n, owner] of tenants.entries())
          await store.appendToStream(
            streams[n] ?? '',
            [testEvent(owner, 'OfferingOpened', { n }, { actor: caseworker, occurredAt: '2025-08-15T10:00:00.000Z' })],
            { expectedRevision: 'no_stream' },
          );
        await store.awaitSettled();
        const count = 3;
        const read = async (index: number) =>
          (
            await store.readAll({
              maxCount: 100_000,
              filter: { eventTypes: ['OfferingOpened'], tenantShard: { index, count } },
            })
          ).events
            .filter((e) => streams.includes(e.streamName))
            .map((e) => (e.data as { n: number }).n);
        const shards = [await read(0), await read(1), await read(2)];
        for (const [index, got] of shards.entries())
          assert.deepEqual(
            got,
            tenants.flatMap((owner, n) => (tenantShardOf(owner, count) === index ? [n] : [])),
            `shard ${index}`,
          );
        assert.deepEqual(
          shards.flat().sort((a, b) => a - b),
          tenants.map((_, n) => n),
        );
      });
      it('reads its own writes in $all once the store has settled', async () => {
        const names = [stream('settle'), stream('settle')];
        await Promise.all(
          names.map((name) => store.appendToStream(name, [event('ThingHappened')], { expectedRevision: 'no_stream' })),
        );
        await store.awaitSettled();
        const page = await store.readAll({ maxCount: 10_000, filter: { streamPrefixes: names } });
        assert.deepEqual(new Set(page.events.map((e) => e.streamName)), new Set(names));
      });
    });

    describe('subscription to $all', () => {
      it('catches up from a checkpoint, turns live, and delivers each event once in order', async () => {
        const name = stream('waitlist');
        await store.appendToStream(name, [event('ApplicationSubmitted', { n: 0 })], { expectedRevision: 'no_stream' });
        const [checkpointEvent] = await store.readStream(name);
        assert.ok(checkpointEvent);
        await store.appendToStream(name, [event('ApplicationSubmitted', { n: 1 })], { expectedRevision: 0 });

        const seen: RecordedEvent[] = [];
        let caughtUp = false;
        const subscription = store.subscribeToAll({
          fromPosition: checkpointEvent.position,
          filter: { streamPrefixes: [name] },
          onEvent: async (e) => {
            seen.push(e);
          },
          onCaughtUp: () => {
            caughtUp = true;
          },
        });
        await waitFor(() => caughtUp && seen.length === 1);
        for (let n = 2; n < 6; n++) {
          await store.appendToStream(name, [event('ApplicationSubmitted', { n })], { expectedRevision: n - 1 });
        }
        await waitFor(() => seen.length === 5);
        await subscription.stop();
        assert.deepEqual(
          seen.map((e) => (e.data as { n: number }).n),
          [1, 2, 3, 4, 5],
        );
        assert.equal(subscription.position, seen[4]?.position);
      });

      it('resubscribes from its checkpoint after a handler error: no gap, no duplicate', async () => {
        const name = stream('waitlist');
        await store.appendToStream(
          name,
          Array.from({ length: 5 }, (_, n) => event('ApplicationSubmitted', { n })),
          { expectedRevision: 'no_stream' },
        );
        const seen: number[] = [];
        const errors: number[] = [];
        let failOnce = true;
        const subscription = store.subscribeToAll({
          filter: { streamPrefixes: [name] },
          retry: { initialDelayMs: 10, maxDelayMs: 50 },
          onEvent: async (e) => {
            const n = (e.data as { n: number }).n;
            if (n === 2 && failOnce) {
              failOnce = false;
              throw new Error('projection bug');
            }
            seen.push(n);
          },
          onError: (_error, attempt) => errors.push(attempt),
        });
        await waitFor(() => seen.length === 5);
        await subscription.stop();
        assert.deepEqual(seen, [0, 1, 2, 3, 4]);
        assert.deepEqual(errors, [1]);
      });
    });
  });
};

export const waitFor = async (condition: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
