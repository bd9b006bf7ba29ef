import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EnrolmentHttpModule } from '#libs/enrolment';
import { freePort, platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { offeringRequest } from './support/enrolment-requests.js';

/**
 * The embedded development default, killed under the app: while PostgreSQL is gone, writes answer 503 with
 * Retry-After (never 500) and readiness says not ready while liveness stays up; the host starts its server again by
 * itself, its pool reconnects, and every write acknowledged before the kill is still there.
 */
describe('surviving the database going away', () => {
  let sut: AppUnderTest;
  let token: string;
  let dataDir: string;

  beforeAll(async () => {
    // Traversable: as root, the embedded server runs as the postgres user and must reach its folder.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-outage-'));
    await chmod(dataDir, 0o755);
    sut = await startAppUnderTest(platformWith(EnrolmentHttpModule), {
      // No DATABASE_URL: the app runs its own embedded server, as `npm start` does.
      env: {
        ...{ DATABASE_URL: undefined as unknown as string, DATA_DIR: dataDir },
        EMBEDDED_POSTGRES_PORT: String(await freePort()),
      },
    });
    token = await sut.token('admin');
  });
  afterAll(async () => {
    await sut?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const open = (n: number) =>
    sut.request('POST', '/enrolment/offerings', {
      token,
      // A subject of Trondheim's catalogue: the offering is told apart by its idempotency key.
      body: offeringRequest('Piano', 5),
      headers: { 'idempotency-key': `outage-offering-${n}` },
    });

  it('answers 503 while PostgreSQL is gone, comes back by itself, and loses no acknowledged write', async () => {
    const acknowledged = [];
    for (let n = 0; n < 5; n++) {
      const response = await open(n);
      expect(response.status).toBe(201);
      acknowledged.push((response.body as { offeringId: string }).offeringId);
    }
    const pid = sut.runtime.embeddedPostgresPid?.();
    expect(pid).toBeGreaterThan(0);

    const killedAt = Date.now();
    process.kill(pid as number, 'SIGKILL');
    const statuses: number[] = [];
    const readiness: number[] = [];
    const liveness: number[] = [];
    let recoveredAt: number | undefined;
    for (let n = 100; Date.now() - killedAt < 60_000; n++) {
      const [write, ready, live] = await Promise.all([
        open(n),
        sut.request('GET', '/health/ready'),
        sut.request('GET', '/health/live'),
      ]);
      statuses.push(write.status);
      readiness.push(ready.status);
      liveness.push(live.status);
      if (write.status === 503) {
        expect(write.headers.get('retry-after')).toBe('5');
        expect(write.headers.get('content-type')).toContain('application/problem+json');
      }
      if (write.status === 201) {
        recoveredAt = Date.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.log(
      `database outage: killed the embedded PostgreSQL; ${statuses.filter((s) => s === 503).length} write(s) ` +
        `answered 503; writes accepted again after ${recoveredAt ? recoveredAt - killedAt : 'never'} ms`,
    );
    expect(recoveredAt).toBeDefined();
    expect(new Set(statuses.slice(0, -1))).toEqual(new Set(statuses.length > 1 ? [503] : []));
    expect(new Set(readiness.slice(0, -1)).has(200) && statuses.length > 1).toBe(false);
    expect(new Set(liveness)).toEqual(new Set([200]));

    // Every acknowledged write survived the kill (PostgreSQL's WAL), and the same request again is a replay.
    for (const offeringId of acknowledged) {
      const events = await sut.runtime.store.readStream(`trondheim.enrolment.offering-${offeringId}`);
      expect(events.map((e) => e.type)).toEqual(['OfferingOpened']);
    }
    const again = await open(0);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await sut.request('GET', '/health/ready')).status).toBe(200);
  });
});
