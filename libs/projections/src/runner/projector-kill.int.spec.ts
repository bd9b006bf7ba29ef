import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { compiledFile } from '#libs/testing';
import { appendHistory, offeringHistory } from '../fixtures/offering-history.js';
import {
  caughtUp,
  checkpointOf,
  expectedOfferings,
  offeringsRows,
  projectionTestDb,
  waitFor,
  type ProjectionTestDb,
} from '../fixtures/harness.js';
import { offeringsProjection } from '#libs/enrolment';
import { buildAsOf } from './as-of-build.js';
import { asOfTableSet } from './table-set.js';

const EVENTS = 20_000;

describe('projector killed with SIGKILL during a rebuild', () => {
  let t: ProjectionTestDb;
  beforeAll(async () => {
    t = await projectionTestDb('proj_kill');
  });
  afterAll(async () => t.db.drop());

  const startProjector = async (): Promise<ChildProcess> => {
    const child = spawn(
      process.execPath,
      [compiledFile(new URL('./fixtures/project-until-killed.js', import.meta.url))],
      {
        env: { ...process.env, PROJECTOR_DATABASE_URL: t.db.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await once(child.stdout ?? child, 'data');
    return child;
  };
  const kill = async (child: ChildProcess) => {
    child.kill('SIGKILL');
    await once(child, 'exit');
    await sleep(200); // the server notices the dropped connection and rolls its open transaction back
  };
  const applied = async () => Number((await checkpointOf(t.db.pool, 'offerings@v1'))?.events_applied ?? 0);

  it('ends with the same read model as an uninterrupted build, each event applied once', async () => {
    const history = offeringHistory({ offerings: 200, eventsPerOffering: EVENTS / 200, seed: 11 });
    assert.equal(await appendHistory(t.store, history, { chunk: 100 }), EVENTS);

    const kills: number[] = [];
    for (const from of [3_000, 9_000]) {
      const threshold = from + Math.floor(Math.random() * 1000);
      const child = await startProjector();
      await waitFor(`${threshold} events applied`, async () => (await applied()) >= threshold);
      await kill(child);
      kills.push(await applied());
    }
    for (const at of kills) assert.ok(at > 0 && at < EVENTS, `killed mid-rebuild (${at} of ${EVENTS} applied)`);

    const last = await startProjector();
    await waitFor('catch-up', caughtUp(t.store, t.db.pool, 'offerings@v1', offeringsProjection.eventTypes), 120_000);
    await kill(last);
    assert.equal(await applied(), EVENTS, 'every event applied exactly once across the kills');

    const head = (await t.store.headPosition()) ?? 0n;
    await buildAsOf(t.db.pool, t.store, offeringsProjection, {
      tenant: 'trondheim',
      name: 'uninterrupted',
      until: head,
    });
    const survivor = await offeringsRows(t.db.pool);
    assert.deepEqual(survivor, await offeringsRows(t.db.pool, asOfTableSet('trondheim', 'uninterrupted').schema));

    const oracle = expectedOfferings(history);
    assert.equal(survivor.offerings.length, oracle.offerings.size);
    assert.equal(survivor.places.length, oracle.places.size);
  });
});
