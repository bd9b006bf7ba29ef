import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { offeringsProjection } from '#libs/enrolment';
import type { EventStore } from '#libs/event-store';
import { PROBLEM_CONTENT_TYPE } from '#libs/platform';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { expectedOfferings, offeringsRows, waitFor } from '../fixtures/harness.js';
import { appendHistory, offeringHistory } from '../fixtures/offering-history.js';
import type { Projection } from '../projection.js';
import { projectionsMigrations } from '../projections.migrations.js';
import { ProjectionsModule } from '../projections.module.js';
import { asOfBuildState, loadAsOfBuild, startAsOfBuild } from '../runner/as-of-build.js';
import { asOfTableSet } from '../runner/table-set.js';

const trondheimHistory = offeringHistory({ offerings: 4, eventsPerOffering: 12, seed: 31, tenant: 'trondheim' });
const malvikHistory = offeringHistory({ offerings: 4, eventsPerOffering: 12, seed: 32, tenant: 'malvik' });
// One event of Malvik's that the handler cannot read: it stops Malvik's builds (and the live model), no one else's.
const poisonId = malvikHistory[2]?.events[5]?.eventId ?? '';
const poisoned: Projection = {
  ...offeringsProjection,
  handle: (event) => {
    if (event.eventId === poisonId) throw new Error('cannot read this payload');
    return offeringsProjection.handle(event);
  },
};
const eventsOf = (history: typeof trondheimHistory) => history.reduce((n, { events }) => n + events.length, 0);

interface Build {
  name: string;
  state: 'building' | 'ready' | 'failed';
  status: string;
  eventsApplied: number;
  error: string | null;
  schema: string;
}

describe('as-of builds over HTTP: one name space per tenant, and a state that says how the build went', () => {
  let sut: AppUnderTest;
  let head: string;
  const token = (role: 'admin' | 'auditor', tenant: string) => sut.token(role, tenant);
  const build = async (tenant: string, body: Record<string, unknown>, role: 'admin' | 'auditor' = 'auditor') =>
    sut.request('POST', '/projections/offerings/as-of', { token: await token(role, tenant), body });
  const stateOf = async (tenant: string, name: string) =>
    sut.request('GET', `/projections/as-of/${name}`, { token: await token('auditor', tenant) });
  const listed = async (tenant: string) =>
    (
      (await sut.request('GET', '/projections/as-of', { token: await token('auditor', tenant) })).body as {
        builds: Build[];
      }
    ).builds;
  const settled = (tenant: string, name: string) =>
    waitFor(`${tenant}'s ${name}`, async () => ((await stateOf(tenant, name)).body as Build).state !== 'building');

  beforeAll(async () => {
    sut = await startAppUnderTest(
      platformWith(ProjectionsModule.register({ projections: [poisoned], run: true, idleMs: 10 })),
      { migrations: projectionsMigrations },
    );
    await appendHistory(sut.runtime.store, trondheimHistory);
    await appendHistory(sut.runtime.store, malvikHistory);
    const { rows } = await sut.db.pool.query<{ max: string }>('SELECT max(position)::text AS max FROM es_events');
    head = rows[0]?.max ?? '0';
  });
  afterAll(async () => sut.close());

  it("lets two tenants use the same name, and lists and finds only the caller's tenant's builds", async () => {
    const started = await build('trondheim', { name: 'gsi_2010', untilPosition: head });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.headers.get('location'), '/projections/as-of/gsi_2010');
    assert.ok(['building', 'ready'].includes((started.body as Build).state), JSON.stringify(started.body));
    await settled('trondheim', 'gsi_2010');
    // Another tenant building the same name for another moment is its own build, not a 409.
    const malvik = await build('malvik', { name: 'gsi_2010', untilPosition: String(BigInt(head) - 1n) }, 'admin');
    assert.equal(malvik.status, 202, JSON.stringify(malvik.body));

    const ready = (await stateOf('trondheim', 'gsi_2010')).body as Build;
    assert.equal(ready.state, 'ready', JSON.stringify(ready));
    assert.equal(ready.eventsApplied, eventsOf(trondheimHistory), "the tenant's own events only");
    assert.equal(ready.schema, asOfTableSet('trondheim', 'gsi_2010').schema);
    const rows = await offeringsRows(sut.db.pool, ready.schema);
    const oracle = expectedOfferings(trondheimHistory);
    assert.equal(rows.offerings.length, oracle.offerings.size);
    assert.equal(rows.places.length, oracle.places.size);
    assert.ok(rows.offerings.every((row) => (row as { tenant: string }).tenant === 'trondheim'));

    assert.deepEqual(
      (await listed('trondheim')).map((b) => [b.name, b.state, b.eventsApplied]),
      [['gsi_2010', 'ready', eventsOf(trondheimHistory)]],
    );
    assert.deepEqual(await listed('oslo'), [], 'a tenant that built nothing lists nothing');
    const elsewhere = await stateOf('oslo', 'gsi_2010');
    assert.equal(elsewhere.status, 404);
    assert.match(elsewhere.headers.get('content-type') ?? '', new RegExp(PROBLEM_CONTENT_TYPE.replace('+', '\\+')));
    // Within the tenant the name still stands for one request.
    const again = await build('trondheim', { name: 'gsi_2010', untilPosition: String(BigInt(head) - 1n) });
    assert.equal(again.status, 409, JSON.stringify(again.body));
  });

  it("reports a build that failed, with the event's error, in its state; the other tenant's is untouched", async () => {
    await settled('malvik', 'gsi_2010');
    const failed = (await stateOf('malvik', 'gsi_2010')).body as Build & { failedPosition: string | null };
    assert.equal(failed.state, 'failed', JSON.stringify(failed));
    assert.match(failed.error ?? '', /cannot read this payload/);
    assert.ok(failed.failedPosition);
    assert.deepEqual(
      (await listed('malvik')).map((b) => [b.name, b.state]),
      [['gsi_2010', 'failed']],
    );
    assert.equal(((await stateOf('trondheim', 'gsi_2010')).body as Build).state, 'ready');
  });

  it('says failed, not building, once no process holds the build; building while one does; and resumes it', async () => {
    // A build whose process was killed mid-way: its row says rebuilding, and no session holds its lock.
    const set = asOfTableSet('trondheim', 'killed');
    await sut.db.pool.query(
      `INSERT INTO projection_checkpoints (table_set, projection, version, kind, tables, status, until_position, tenant)
       VALUES ($1, 'offerings', $2, 'asof', $3, 'rebuilding', $4, 'trondheim')`,
      [set.id, offeringsProjection.version, offeringsProjection.tables.map((t) => t.name), head],
    );
    const orphan = (await stateOf('trondheim', 'killed')).body as Build;
    assert.equal(orphan.state, 'failed');
    assert.match(orphan.error ?? '', /No process is building it any more.*Ask for the same build again/);

    const holder = await sut.db.pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [0x61_73_6f_66, set.id]);
      assert.equal(((await stateOf('trondheim', 'killed')).body as Build).state, 'building');
      // Asked again while another process builds it: accepted, and left to that process.
      const meanwhile = await build('trondheim', { name: 'killed', untilPosition: head });
      assert.equal(meanwhile.status, 202);
      assert.equal((meanwhile.body as Build).state, 'building');
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }
    const resumed = await build('trondheim', { name: 'killed', untilPosition: head });
    assert.equal(resumed.status, 202, JSON.stringify(resumed.body));
    await settled('trondheim', 'killed');
    const done = (await stateOf('trondheim', 'killed')).body as Build;
    assert.equal(done.state, 'ready', JSON.stringify(done));
    assert.equal(done.eventsApplied, eventsOf(trondheimHistory));
  });

  it('keeps a failure of anything else (the store going away) in the build, where the API reports it', async () => {
    const store = sut.runtime.store;
    const broken = Object.create(store, {
      readAll: { value: () => Promise.reject(new Error('the store went away')) },
    }) as EventStore;
    const started = await startAsOfBuild(sut.db.pool, broken, poisoned, {
      tenant: 'trondheim',
      name: 'broken',
      until: BigInt(head),
    });
    await assert.rejects(started.done ?? Promise.resolve(), /the store went away/);
    const row = await loadAsOfBuild(sut.db.pool, 'trondheim', 'broken');
    assert.ok(row);
    assert.deepEqual(asOfBuildState(row), { state: 'failed', error: 'Error: the store went away' });
    const answer = (await stateOf('trondheim', 'broken')).body as Build;
    assert.deepEqual([answer.state, answer.error], ['failed', 'Error: the store went away']);
  });

  it('finishes the builds of many tenants asked at once (a bounded number run together, the pool never runs dry)', async () => {
    const tenants = Array.from({ length: 12 }, (_, n) => `kommune-${n}`);
    const answers = await Promise.all(tenants.map((tenant) => build(tenant, { name: 'at_once', untilPosition: head })));
    assert.deepEqual(
      answers.map((a) => a.status),
      tenants.map(() => 202),
    );
    for (const tenant of tenants) await settled(tenant, 'at_once');
    for (const tenant of tenants) assert.equal(((await stateOf(tenant, 'at_once')).body as Build).state, 'ready');
  });

  it('refuses a request it cannot build before saying "accepted"', async () => {
    const future = await build('trondheim', {
      name: 'tomorrow',
      until: new Date(Date.now() + 86_400_000).toISOString(),
    });
    assert.equal(future.status, 400, JSON.stringify(future.body));
    assert.equal((await stateOf('trondheim', 'tomorrow')).status, 404, 'nothing was set up');
  });

  it("shows a municipality's roles no detail of another tenant's failed event in the live status; the operators all", async () => {
    type Status = { projections: { status: string; failedEventId: string | null; error: string | null }[] };
    const status = async (tenant: string) =>
      ((await sut.request('GET', '/projections', { token: await token('admin', tenant) })).body as Status)
        .projections[0];
    await waitFor('the live stop', async () => (await status('malvik'))?.status === 'failed');
    const trondheim = await status('trondheim');
    assert.deepEqual([trondheim?.failedEventId, trondheim?.error], [null, 'Stopped at an event of another tenant']);
    assert.equal((await status('malvik'))?.failedEventId, poisonId);
    assert.match((await status('malvik'))?.error ?? '', /cannot read this payload/);
    assert.equal((await status('operations'))?.failedEventId, poisonId);
  });
});
