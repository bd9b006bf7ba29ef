import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Pool } from '#libs/database';
import type { EventStore, ExpectedRevision } from '#libs/event-store';
import { testEvent } from '#libs/testing';
import { signingInput, type Anchor } from '../anchoring/anchor.js';
import { AnchorFile } from '../anchoring/anchor-file.js';
import type { AnchoringSettings } from '../anchoring/anchoring-settings.js';
import { fileTarget, Sealer } from '../anchoring/sealer.js';
import { publicKeyPem, signingKeyOf, type AnchorSigningKey } from '../anchoring/signing-key.js';
import { EventHistory } from '../history/event-history.js';
import { verifyStore } from '../integrity/verify-store.js';
import { StreamBelongsToAnotherTenant } from '../state/state-as-of.js';
import type { AuditStore } from './audit-store.js';

export interface AuditStoreSubject {
  /** Where the spec appends its events. */
  store: EventStore;
  /** The auditor's reader of that store. */
  audit: AuditStore;
  /** The PostgreSQL database that keeps the seal's checkpoints (read models live there with either store). */
  pool: Pool;
  /**
   * Removes a stream behind the application's back, as an operator of the store can (see the contract's
   * `removesStreams`).
   */
  removeStream?: (streamName: string) => Promise<void>;
  /** Removes one event of a stream, likewise. */
  removeEvent?: (streamName: string, revision: number) => Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The auditor's history and integrity verifier, the same on every store. Each run uses its own tenant, so it can
 * share a server with other runs; whole-store answers are checked only where other runs cannot change them.
 */
export const auditStoreContract = (
  adapter: string,
  open: () => Promise<AuditStoreSubject>,
  /**
   * Whether the run removes a stream: not on a server other runs share and keep (EventStoreDB in the compose test
   * profile), where the removed stream would break every later whole-store check.
   */
  { removesStreams }: { removesStreams: boolean },
) => {
  describe(`audit history and integrity: ${adapter}`, () => {
    const tenant = `t${randomUUID().slice(0, 8)}`;
    const other = `t${randomUUID().slice(0, 8)}`;
    let subject: AuditStoreSubject;
    let dir: string;
    let key: AnchorSigningKey;
    let settings: AnchoringSettings;
    let sealer: Sealer;

    const child = randomUUID();
    const offerId = randomUUID();
    const applicationId = randomUUID();
    const school = `school-${randomUUID().slice(0, 8)}`;
    const streams = {
      waitlist: `${tenant}.waitlist.offering-${randomUUID()}`,
      offer: `${tenant}.waitlist.offer-${offerId}`,
      budget: `${tenant}.funding.waiver-budget-${randomUUID()}`,
      unrelated: `${tenant}.enrolment.offering-${randomUUID()}`,
      foreign: `${other}.waitlist.offering-${randomUUID()}`,
    };
    const positions: Record<string, bigint> = {};
    const caseworker = { id: 'kari.caseworker', role: 'caseworker' as const };
    const append = async (label: string, stream: string, type: string, data: object, expected: ExpectedRevision) => {
      const result = await subject.store.appendToStream(
        stream,
        [
          testEvent(stream.split('.')[0] ?? tenant, type, data, {
            actor: caseworker,
            occurredAt: '2025-06-12T09:00:00Z',
          }),
        ],
        { expectedRevision: expected },
      );
      positions[label] = result.position;
      return result.position;
    };
    const verify = (stream?: string) => verifyStore(subject.audit, tenant, stream, { settings });

    beforeAll(async () => {
      subject = await open();
      dir = await mkdtemp(path.join(os.tmpdir(), 'audit-contract-'));
      key = signingKeyOf(
        generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        'test',
      );
      await writeFile(path.join(dir, 'public.pem'), publicKeyPem(key.publicKey));
      settings = {
        file: path.join(dir, 'anchors.jsonl'),
        keys: { publicKeyFile: path.join(dir, 'public.pem'), dataDir: dir, production: true },
        intervalSeconds: 0,
      };
      sealer = new Sealer(subject.pool, key, [fileTarget(new AnchorFile(settings.file))], { source: subject.audit });

      await append(
        'applied',
        streams.waitlist,
        'ApplicationSubmitted',
        { childId: child, applicationId, school },
        'no_stream',
      );
      await append('unrelated', streams.unrelated, 'OfferingOpened', { offeringId: randomUUID(), school }, 'no_stream');
      await append('offered', streams.waitlist, 'PlaceOffered', { childId: child, offerId }, 0);
      await append('foreign', streams.foreign, 'ApplicationSubmitted', { childId: child }, 'no_stream');
      await append('accepted', streams.offer, 'OfferAccepted', { offerId, acceptedAt: '2025-06-12' }, 'no_stream');
      await append('allocated', streams.budget, 'WaiverAllocated', { applicationId, amount: 100 }, 'no_stream');
      await subject.store.awaitSettled();
    });
    afterAll(async () => {
      await subject?.dispose();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    describe('history', () => {
      it('finds what names the id and what its linked cases hold, in $all order, within the tenant only', async () => {
        const history = await new EventHistory(subject.audit).of(tenant, child);
        assert.deepEqual(
          history.entries.map((e) => [e.type, e.position, e.via]),
          [
            ['ApplicationSubmitted', String(positions.applied), null],
            ['PlaceOffered', String(positions.offered), null],
            ['OfferAccepted', String(positions.accepted), `offerId ${offerId}`],
            ['WaiverAllocated', String(positions.allocated), `applicationId ${applicationId}`],
          ],
        );
        const first = history.entries[0];
        assert.equal(first?.streamName, streams.waitlist);
        assert.equal(first?.revision, 0);
        assert.deepEqual([first?.actor, first?.occurredAt], [caseworker, '2025-06-12T09:00:00Z']);
        assert.deepEqual(first?.data, { childId: child, applicationId, school });
        assert.equal(history.truncated, false);
      });

      it('finds an id that is not a uuid, and cuts a history at the limit asked for', async () => {
        const bySchool = await new EventHistory(subject.audit).of(tenant, school);
        assert.deepEqual(
          bySchool.entries.map((e) => e.position),
          [String(positions.applied), String(positions.unrelated), String(positions.allocated)],
        );
        assert.equal(bySchool.entries[2]?.via, `applicationId ${applicationId}`);
        const page = await new EventHistory(subject.audit).of(tenant, child, { limit: 1 });
        assert.deepEqual([page.entries.length, page.truncated], [1, true]);
      });
    });

    describe('integrity', () => {
      it('holds over an untouched stream and store, and says which check the store allows', async () => {
        const one = await verifyStore(subject.audit, tenant, streams.waitlist);
        assert.deepEqual(
          [one.intact, one.eventsChecked, one.streamsChecked, one.storeChecks],
          [true, 2, 1, subject.audit.checks],
        );
        const whole = await verifyStore(subject.audit, tenant);
        assert.equal(whole.firstBreak, null, JSON.stringify(whole.firstBreak));
        assert.ok(whole.eventsChecked >= 6, String(whole.eventsChecked));
        await assert.rejects(verifyStore(subject.audit, tenant, streams.foreign), StreamBelongsToAnotherTenant);
      });

      it('seals the store into signed anchors and finds every stored event as anchored', async () => {
        const run = await sealer.run();
        assert.ok(run.sealed.length >= 1);
        assert.deepEqual(run.published.file, { throughSeq: run.sealed.at(-1)?.seq });
        const answer = await verify(streams.waitlist);
        assert.equal(answer.intact, true, JSON.stringify(answer));
        assert.equal(answer.anchoring.status, 'verified');
        assert.deepEqual([answer.anchoring.eventsAnchored, answer.anchoring.eventsAfterLastAnchor], [2, 0]);
        assert.equal(answer.anchoring.checkpointsInDatabase, run.sealed.length);

        await append('closed', streams.waitlist, 'OfferingClosed', { note: 'after the seal' }, 1);
        await subject.store.awaitSettled();
        const later = await verify(streams.waitlist);
        assert.deepEqual([later.intact, later.anchoring.eventsAfterLastAnchor], [true, 1]);
      });

      // The store is not touched: the anchors are what a forger of the store would have to match.
      it('names the event that differs from its anchored seal, and a sealed event that is not stored', async () => {
        const lines = (await readFile(settings.file, 'utf8')).trim().split('\n');
        const index = lines.findIndex((line) =>
          (JSON.parse(line) as Anchor).events.some((e) => e.startsWith(`${positions.offered}:`)),
        );
        const original = lines[index];
        assert.ok(original !== undefined, 'the event is in an anchor');
        const resign = (change: (events: string[]) => string[]) => {
          const { sig: _sig, ...anchor } = JSON.parse(original) as Anchor;
          const unsigned = { ...anchor, events: change([...anchor.events]) };
          unsigned.count = unsigned.events.length;
          const signature = sign(null, signingInput(unsigned), key.privateKey).toString('base64url');
          return JSON.stringify({ ...unsigned, sig: signature });
        };
        const forged = async (line: string) => {
          const file = path.join(dir, `forged-${randomUUID()}.jsonl`);
          await writeFile(file, `${lines.map((l, i) => (i === index ? line : l)).join('\n')}\n`);
          return verifyStore(subject.audit, tenant, streams.waitlist, { settings, file });
        };

        const changed = await forged(
          resign((events) =>
            events.map((e) => (e.startsWith(`${positions.offered}:`) ? `${positions.offered}:0000000000000000` : e)),
          ),
        );
        assert.equal(changed.intact, false);
        assert.deepEqual(
          [changed.firstBreak?.check, changed.firstBreak?.problem, changed.firstBreak?.position],
          ['anchors', 'differs from its anchored seal', String(positions.offered)],
        );
        assert.equal(changed.firstBreak?.streamName, streams.waitlist);

        // A position between two stored events, listed as sealed: what a removed event looks like to the verifier.
        const missing = (positions.offered ?? 0n) - 1n;
        const removed = await forged(
          resign((events) => {
            const at = events.findIndex((e) => e.startsWith(`${positions.offered}:`));
            return [...events.slice(0, at), `${missing}:0123456789abcdef`, ...events.slice(at)];
          }),
        );
        assert.deepEqual(
          [removed.intact, removed.firstBreak?.problem, removed.firstBreak?.position],
          [false, 'sealed event missing', String(missing)],
        );
      });

      if (removesStreams) {
        it('finds a stream removed behind the store’s back', async () => {
          assert.ok(subject.removeStream, 'the subject can remove a stream');
          await subject.removeStream(streams.offer);
          const answer = await verify();
          assert.equal(answer.intact, false);
          assert.equal(answer.firstBreak?.position, String(positions.accepted), JSON.stringify(answer.firstBreak));
        });

        it('finds an event removed from the middle of a stream, with and without the anchors', async () => {
          assert.ok(subject.removeEvent, 'the subject can remove an event');
          await subject.removeEvent(streams.waitlist, 1);
          const own = await verifyStore(subject.audit, tenant, streams.waitlist);
          assert.deepEqual(
            [own.intact, own.firstBreak?.check, own.firstBreak?.problem, own.firstBreak?.position],
            [false, 'stream chains', 'event missing before this one', String(positions.closed)],
          );
          const anchored = await verify(streams.waitlist);
          assert.deepEqual(
            [anchored.firstBreak?.check, anchored.firstBreak?.problem, anchored.firstBreak?.position],
            ['anchors', 'sealed event missing', String(positions.offered)],
          );
        });
      }
    });
  });
};
