import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from '@jest/globals';
import type { PoolClient } from 'pg';
import { migrate } from '#libs/database';
import { PostgresEventStore, verifyIntegrity, type ExpectedRevision } from '#libs/event-store';
import { ERASED, masterKeyRing, PersonalDataVault, personalDataMigrations } from '#libs/personal-data';
import { createEventStoreTestDatabase, testEvent, type TestDatabase } from '#libs/testing';
import { verifyStore } from '../integrity/verify-store.js';
import { AnchorFile } from './anchor-file.js';
import type { AnchoringSettings } from './anchoring-settings.js';
import { AnchorsDisagreeError, fileTarget, Sealer } from './sealer.js';
import { publicKeyPem, signingKeyOf, type AnchorSigningKey } from './signing-key.js';

const tenant = 'trondheim';
const childId = randomUUID();
const PEOPLE = `trondheim.people.subject-${childId}`;
const OFFERING = 'trondheim.enrolment.offering-violin-1';
const WAIVER = 'trondheim.funding.fee-waiver-w-1';

const newKey = (): AnchorSigningKey =>
  signingKeyOf(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'test');

/** Changes the store behind its back, as a database administrator can: the append-only triggers switched off. */
const asDba = async (db: TestDatabase, change: (client: PoolClient) => Promise<void>) => {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE es_events DISABLE TRIGGER es_events_append_only');
    await client.query('ALTER TABLE es_checkpoints DISABLE TRIGGER es_checkpoints_append_only');
    await change(client);
    await client.query('ALTER TABLE es_events ENABLE TRIGGER es_events_append_only');
    await client.query('ALTER TABLE es_checkpoints ENABLE TRIGGER es_checkpoints_append_only');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
};

/** Recomputes a stream's chain with the store's own hash function, as a DBA covering their tracks would. */
const recomputeChain = (client: PoolClient, stream: string) =>
  client.query(`DO $$
    DECLARE r record; v bytea := NULL;
    BEGIN
      FOR r IN SELECT * FROM es_events WHERE stream_name = '${stream}' ORDER BY stream_revision LOOP
        v := es_event_hash(v, r.stream_name, r.stream_revision, r.event_id, r.event_type, r.schema_version, r.data,
                           r.metadata);
        UPDATE es_events SET hash = v WHERE position = r.position;
      END LOOP;
      UPDATE es_streams SET last_hash = v, revision = (SELECT max(stream_revision) FROM es_events
                                                        WHERE stream_name = '${stream}')
       WHERE stream_name = '${stream}';
    END $$`);

interface Stored {
  position: bigint;
  eventId: string;
}

describe('tamper evidence against a database administrator: signed anchors outside the database', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dir: string;
  let key: AnchorSigningKey;
  let settings: AnchoringSettings;
  let sealer: Sealer;

  const append = async (stream: string, type: string, data: object, expected: ExpectedRevision) => {
    await store.appendToStream(stream, [testEvent(tenant, type, data)], { expectedRevision: expected });
  };
  const at = async (stream: string, revision: number): Promise<Stored> => {
    const { rows } = await db.pool.query<{ position: string; event_id: string }>(
      'SELECT position::text, event_id::text FROM es_events WHERE stream_name = $1 AND stream_revision = $2',
      [stream, revision],
    );
    assert.ok(rows[0], `${stream}#${revision}`);
    return { position: BigInt(rows[0].position), eventId: rows[0].event_id };
  };
  const verify = (stream?: string) => verifyStore(db.pool, tenant, stream, { settings });

  beforeEach(async () => {
    db = await createEventStoreTestDatabase('es_anchoring');
    store = new PostgresEventStore(db.pool);
    dir = await mkdtemp(path.join(os.tmpdir(), 'anchors-'));
    key = newKey();
    await writeFile(path.join(dir, 'public.pem'), publicKeyPem(key.publicKey));
    settings = {
      file: path.join(dir, 'anchors.jsonl'),
      keys: { publicKeyFile: path.join(dir, 'public.pem'), dataDir: dir, production: true },
      intervalSeconds: 0,
    };
    sealer = new Sealer(db.pool, key, [fileTarget(new AnchorFile(settings.file))]);

    // A small story over three streams whose events interleave in $all order.
    await append(OFFERING, 'OfferingOpened', { offeringId: 'violin-1', capacity: 1 }, 'no_stream');
    await append(
      PEOPLE,
      'SubjectRegistered',
      { subjectId: childId, nameRef: `personal-data:${childId}/name` },
      'no_stream',
    );
    await append(WAIVER, 'FeeWaiverApplied', { waiverId: 'w-1', incomeRef: 'personal-data:x/income' }, 'no_stream');
    await append(OFFERING, 'PlaceEnrolled', { placeId: 'p-1', studentId: childId }, 0);
    await append(WAIVER, 'FeeWaiverGranted', { waiverId: 'w-1', payPercent: 0 }, 0);
    await append(PEOPLE, 'PersonalDataErased', { subjectId: childId }, 0);
    await append(OFFERING, 'PlaceLeft', { placeId: 'p-1' }, 1);
    await store.awaitSettled();
    const run = await sealer.run();
    assert.equal(
      run.sealed.reduce((sum, c) => sum + c.events, 0),
      7,
    );
    assert.deepEqual(run.published, { file: { throughSeq: 1 } });
  });
  afterEach(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds over an untouched store, and tells what the anchors do not cover yet', async () => {
    await append(OFFERING, 'OfferingClosed', { offeringId: 'violin-1' }, 2);
    const answer = await verify();
    assert.equal(answer.intact, true, JSON.stringify(answer));
    assert.equal(answer.firstBreak, null);
    assert.equal(answer.anchoring.status, 'verified');
    assert.equal(answer.anchoring.keyId, key.keyId);
    assert.deepEqual(
      [answer.anchoring.checkpoints, answer.anchoring.eventsAnchored, answer.anchoring.eventsAfterLastAnchor],
      [1, 7, 1],
    );
    await store.awaitSettled();
    await sealer.run();
    const later = await verify();
    assert.deepEqual([later.intact, later.anchoring.checkpoints, later.anchoring.eventsAfterLastAnchor], [true, 2, 0]);
  });

  it('finds the last event of a stream deleted, at its position', async () => {
    const last = await at(OFFERING, 2);
    await asDba(db, async (dba) => {
      await dba.query('DELETE FROM es_events WHERE position = $1', [String(last.position)]);
      await recomputeChain(dba, OFFERING); // the stream's head now points at the event before
    });
    assert.equal((await verifyIntegrity(db.pool)).firstBreak, undefined, 'the chains in the database alone miss it');
    const answer = await verify();
    assert.equal(answer.intact, false);
    assert.deepEqual(answer.firstBreak, {
      streamName: null,
      revision: null,
      position: String(last.position),
      eventId: null,
      problem: 'sealed event missing',
      check: 'anchors',
    });
  });

  it("finds a whole stream deleted (an erased child's people stream), at its first event", async () => {
    const first = await at(PEOPLE, 0);
    await asDba(db, async (dba) => {
      await dba.query('DELETE FROM es_events WHERE stream_name = $1', [PEOPLE]);
      await dba.query('DELETE FROM es_streams WHERE stream_name = $1', [PEOPLE]);
    });
    assert.equal((await verifyIntegrity(db.pool)).firstBreak, undefined, 'the chains in the database alone miss it');
    const answer = await verify();
    assert.equal(answer.firstBreak?.position, String(first.position));
    assert.equal(answer.firstBreak?.problem, 'sealed event missing');
  });

  it('finds two events of a stream swapped in position, at the first of the two positions', async () => {
    const [zero, one] = [await at(OFFERING, 0), await at(OFFERING, 1)];
    await asDba(db, async (dba) => {
      // Each takes the other's position and transaction id: $all (and every subscriber) sees #1 before #0.
      const [p0, p1] = [String(zero.position), String(one.position)];
      const { rows } = await dba.query<{ position: string; xid: string }>(
        'SELECT position::text, transaction_id::text AS xid FROM es_events WHERE position IN ($1, $2)',
        [p0, p1],
      );
      const xid = (position: string) => rows.find((row) => row.position === position)?.xid;
      await dba.query('UPDATE es_events SET position = -1 WHERE position = $1', [p0]);
      await dba.query('UPDATE es_events SET position = $2, transaction_id = $3 WHERE position = $1', [p1, p0, xid(p0)]);
      await dba.query('UPDATE es_events SET position = $1, transaction_id = $2 WHERE position = -1', [p1, xid(p1)]);
    });
    const swapped = await db.pool.query<{ stream_revision: string }>(
      'SELECT stream_revision::text FROM es_events WHERE position = $1',
      [String(zero.position)],
    );
    assert.equal(swapped.rows[0]?.stream_revision, '1', 'the tampering took');
    assert.equal((await verifyIntegrity(db.pool)).firstBreak, undefined, 'the chains in the database alone miss it');
    const answer = await verify();
    assert.deepEqual(answer.firstBreak, {
      streamName: OFFERING,
      revision: 1,
      position: String(zero.position),
      eventId: one.eventId,
      problem: 'differs from its anchored seal',
      check: 'anchors',
    });
  });

  it('finds two events of a stream swapped in the stream (revisions exchanged, chain recomputed)', async () => {
    const zero = await at(OFFERING, 0);
    await asDba(db, async (dba) => {
      const swap = (from: number, to: number) =>
        dba.query('UPDATE es_events SET stream_revision = $3 WHERE stream_name = $1 AND stream_revision = $2', [
          OFFERING,
          from,
          to,
        ]);
      await swap(0, -1);
      await swap(1, 0);
      await swap(-1, 1);
      await recomputeChain(dba, OFFERING);
    });
    assert.equal((await verifyIntegrity(db.pool)).firstBreak, undefined, 'the chains in the database alone miss it');
    const answer = await verify();
    assert.equal(answer.firstBreak?.position, String(zero.position));
    assert.equal(answer.firstBreak?.problem, 'differs from its anchored seal');
    assert.equal(answer.firstBreak?.revision, 1);
  });

  it('finds recorded_at backdated (what as-of statistics count by), at its position', async () => {
    const granted = await at(WAIVER, 1);
    await asDba(db, async (dba) => {
      await dba.query(`UPDATE es_events SET recorded_at = recorded_at - interval '30 days' WHERE position = $1`, [
        String(granted.position),
      ]);
    });
    assert.equal((await verifyIntegrity(db.pool)).firstBreak, undefined, 'the chains in the database alone miss it');
    const answer = await verify();
    assert.deepEqual(answer.firstBreak, {
      streamName: WAIVER,
      revision: 1,
      position: String(granted.position),
      eventId: granted.eventId,
      problem: 'differs from its anchored seal',
      check: 'anchors',
    });
  });

  it("finds an event changed and every chain recomputed with the store's own function, at its position", async () => {
    const granted = await at(WAIVER, 1);
    await asDba(db, async (dba) => {
      await dba.query(`UPDATE es_events SET data = jsonb_set(data, '{payPercent}', '100') WHERE position = $1`, [
        String(granted.position),
      ]);
      await recomputeChain(dba, WAIVER);
    });
    assert.equal((await verifyIntegrity(db.pool)).firstBreak, undefined, 'the chains in the database alone miss it');
    const answer = await verify();
    assert.equal(answer.firstBreak?.position, String(granted.position));
    assert.equal(answer.firstBreak?.problem, 'differs from its anchored seal');
    assert.equal(answer.firstBreak?.check, 'anchors');
    const scoped = await verify(WAIVER);
    assert.equal(scoped.firstBreak?.position, String(granted.position), 'found when checking that stream alone too');
    assert.equal((await verify(OFFERING)).intact, true, 'another stream holds');
  });

  it('finds an event slipped into a sealed range, and refuses anchors not signed by the key', async () => {
    const opened = await at(OFFERING, 0);
    const forged = opened.position + 1000n; // a position no append took, inside the sealed range
    await asDba(db, async (dba) => {
      await dba.query(
        `INSERT INTO es_events (position, transaction_id, stream_name, stream_revision, event_id, event_type,
                                schema_version, data, metadata, hash)
         SELECT $1, transaction_id, 'trondheim.enrolment.offering-forged-1', 0, id, event_type, schema_version, data,
                metadata, es_event_hash(NULL, 'trondheim.enrolment.offering-forged-1', 0, id, event_type,
                                        schema_version, data, metadata)
           FROM es_events, gen_random_uuid() AS id WHERE position = $2`,
        [String(forged), String(opened.position)],
      );
      // The DBA re-seals too, with a key of their own, and appends their anchor to the auditor's file.
      await dba.query('DELETE FROM es_checkpoints');
      await dba.query('DELETE FROM es_checkpoint_publications');
    });
    const theirs = new Sealer(db.pool, newKey(), [fileTarget(new AnchorFile(path.join(dir, 'theirs.jsonl')))]);
    await theirs.run();
    await writeFile(settings.file, await readFile(path.join(dir, 'theirs.jsonl'), 'utf8'), { flag: 'a' });
    const answer = await verify();
    assert.equal(answer.firstBreak?.position, String(forged));
    assert.equal(answer.firstBreak?.problem, 'not in the anchored seal');
    assert.equal(answer.anchoring.problems.length, 1);
    assert.match(answer.anchoring.problems[0] ?? '', /^line 2 \(checkpoint 1\): signed by key \w+, not by \w+$/);
  });

  it('does not seal past the safe horizon: an append still open is sealed after it commits', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT * FROM es_append($1, -2, ARRAY[$2::uuid], ARRAY['PlaceLeft'], ARRAY[1],
                                                   ARRAY['{}'::jsonb], ARRAY[$3::jsonb])`,
        [WAIVER, randomUUID(), JSON.stringify(testEvent(tenant, 'X', {}).metadata)],
      );
      await append(OFFERING, 'OfferingClosed', { offeringId: 'violin-1' }, 2); // commits above the open one
      const closed = await at(OFFERING, 3);
      const during = await sealer.run();
      assert.deepEqual(during.sealed, [], 'the horizon is held by the open append: nothing above it is sealed');
      await client.query('COMMIT');
      await store.awaitSettled();
      const after = await sealer.run();
      assert.equal(after.sealed.length, 1);
      assert.equal(after.sealed[0]?.events, 2);
      assert.ok(BigInt(after.sealed[0]?.upto ?? 0) >= closed.position);
    } finally {
      client.release();
    }
    const answer = await verify();
    assert.deepEqual(
      [answer.intact, answer.anchoring.eventsAnchored, answer.anchoring.eventsAfterLastAnchor],
      [true, 9, 0],
      JSON.stringify(answer),
    );
  });

  it('refuses to seal on when the database lost checkpoints the anchor file holds', async () => {
    await asDba(db, async (dba) => {
      await dba.query('DELETE FROM es_checkpoints');
    });
    await append(OFFERING, 'OfferingClosed', { offeringId: 'violin-1' }, 2);
    await store.awaitSettled();
    await assert.rejects(sealer.run(), AnchorsDisagreeError);
  });
});

describe('sealing in position order', () => {
  it('orders by the number, not its text, where positions gain a digit', async () => {
    const db = await createEventStoreTestDatabase('es_anchor_digits');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'anchors-'));
    try {
      // Rows at positions 9, 10 and 11, as they read: 10 and 11 sort before 9 as text.
      await db.pool.query(
        `INSERT INTO es_events (position, transaction_id, stream_name, stream_revision, event_id, event_type,
                                schema_version, data, metadata, hash)
         SELECT p, '1'::xid8, 'trondheim.enrolment.offering-digits', p - 9, id, 'OfferingOpened', 1, '{}', '{}',
                es_event_hash(NULL, 'trondheim.enrolment.offering-digits', p - 9, id, 'OfferingOpened', 1, '{}', '{}')
           FROM generate_series(9, 11) AS p, CAST(md5(p::text) AS uuid) AS id`,
      );
      const key = newKey();
      await writeFile(path.join(dir, 'public.pem'), publicKeyPem(key.publicKey));
      const file = path.join(dir, 'anchors.jsonl');
      const run = await new Sealer(db.pool, key, [fileTarget(new AnchorFile(file))], {
        maxEventsPerCheckpoint: 2,
      }).run();
      assert.deepEqual(
        run.sealed.map((c) => [c.after, c.events]),
        [
          ['-1', 2],
          ['10', 1],
        ],
      );
      const answer = await verifyStore(db.pool, tenant, undefined, {
        settings: {
          file,
          keys: { publicKeyFile: path.join(dir, 'public.pem'), dataDir: dir, production: true },
          intervalSeconds: 0,
        },
      });
      assert.deepEqual([answer.anchoring.problems, answer.anchoring.eventsAnchored], [[], 3]);
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sealing past the ninth checkpoint', () => {
  it('numbers checkpoints by number, not text: the eleventh follows the tenth', async () => {
    const db = await createEventStoreTestDatabase('es_anchor_many');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'anchors-'));
    try {
      const store = new PostgresEventStore(db.pool);
      for (let n = 0; n < 12; n++) {
        await store.appendToStream(
          `trondheim.enrolment.offering-many-${n}`,
          [testEvent(tenant, 'OfferingOpened', {})],
          {
            expectedRevision: 'no_stream',
          },
        );
      }
      const key = newKey();
      const sealer = new Sealer(db.pool, key, [fileTarget(new AnchorFile(path.join(dir, 'anchors.jsonl')))], {
        maxEventsPerCheckpoint: 1,
      });
      const first = await sealer.run();
      assert.equal(first.sealed.length, 12);
      assert.deepEqual(
        first.sealed.map((c) => c.seq),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      await store.appendToStream('trondheim.enrolment.offering-many-12', [testEvent(tenant, 'OfferingOpened', {})], {
        expectedRevision: 'no_stream',
      });
      const next = await sealer.run();
      assert.deepEqual(
        next.sealed.map((c) => c.seq),
        [13],
      );
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('erasure under the seal', () => {
  it('shreds a sealed subject while every anchor still verifies: events hold ciphertext, the key goes', async () => {
    const db = await createEventStoreTestDatabase('es_anchor_erasure');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'anchors-'));
    try {
      await migrate(db.pool, personalDataMigrations);
      const vault = new PersonalDataVault(db.pool, masterKeyRing(randomBytes(32)));
      const store = new PostgresEventStore(db.pool);
      const subjectId = await vault.createSubject(tenant);
      const name = await vault.encrypt(tenant, subjectId, 'name', 'Astrid');
      const people = `trondheim.people.subject-${subjectId}`;
      await store.appendToStream(people, [testEvent(tenant, 'SubjectRegistered', { subjectId, name })], {
        expectedRevision: 'no_stream',
      });
      const key = newKey();
      await writeFile(path.join(dir, 'public.pem'), publicKeyPem(key.publicKey));
      const file = path.join(dir, 'anchors.jsonl');
      const sealer = new Sealer(db.pool, key, [fileTarget(new AnchorFile(file))]);
      await store.awaitSettled();
      await sealer.run();

      await vault.erase(tenant, subjectId, 'The family asked for erasure');
      await store.appendToStream(people, [testEvent(tenant, 'PersonalDataErased', { subjectId })], {
        expectedRevision: 0,
      });
      await store.awaitSettled();
      await sealer.run();
      assert.equal(await vault.decrypt(tenant, subjectId, 'name', name), ERASED);
      const answer = await verifyStore(db.pool, tenant, undefined, {
        settings: {
          file,
          keys: { publicKeyFile: path.join(dir, 'public.pem'), dataDir: dir, production: true },
          intervalSeconds: 0,
        },
      });
      assert.deepEqual(
        [answer.intact, answer.anchoring.checkpoints, answer.anchoring.eventsAnchored],
        [true, 2, 2],
        JSON.stringify(answer),
      );
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
