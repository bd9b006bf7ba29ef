import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { describeReport, runImport, type ImportReport } from '#libs/history-import';
import { startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { HostModule } from '../../apps/host/src/host.module.js';
import { hostMigrations } from '../../apps/host/src/migrations.js';
import {
  PROFILES,
  SEED,
  seedHistory,
  type Figures,
  type SeedHistory,
  type SeedProfile,
} from '../../scripts/seed-plan.js';

/**
 * Issue 14: `npm run seed` loads two municipalities through the import, as two school years of history ending in
 * the school year of today. The same plan at a smaller scale, through the same import into the whole host: right
 * after it, the summary for today and GSI for each 1 October passed equal the plan's own figures, and no query of
 * one tenant's token shows anything of the other's.
 */
const small = (profile: SeedProfile | undefined, scale: Partial<SeedProfile>): SeedProfile => {
  if (!profile) throw new Error('no such profile');
  return { ...profile, ...scale };
};
const TENANTS = [
  small(PROFILES.trondheim, { students: 90, places: 115, waiting: 30, kulturdagSchools: 2 }),
  small(PROFILES.lindesnes, { students: 40, places: 48, waiting: 12, kulturdagSchools: 1 }),
];

describe('the seed: two municipalities, two school years each, through the import', () => {
  let sut: AppUnderTest;
  const histories = new Map<string, SeedHistory>();
  const reports = new Map<string, ImportReport>();

  beforeAll(async () => {
    process.env.ACCEPT_SYNTHETIC_NATIONAL_IDS = '1';
    sut = await startAppUnderTest((runtime) => HostModule.forRuntime(runtime), {
      migrations: hostMigrations,
      env: { ACCEPT_SYNTHETIC_NATIONAL_IDS: '1' },
    });
    for (const profile of TENANTS) {
      const history = seedHistory(profile, SEED, new Date());
      histories.set(profile.tenant, history);
      const text = history.lines.map((line) => JSON.stringify(line)).join('\n');
      reports.set(
        profile.tenant,
        await runImport(text, { baseUrl: sut.baseUrl, token: await sut.token('admin', profile.tenant) }),
      );
    }
  }, 600_000);

  afterAll(async () => {
    await sut?.close();
  });

  const get = async (tenant: string, url: string) => {
    const response = await sut.request('GET', url, { token: await sut.token('admin', tenant) });
    assert.equal(response.status, 200, `${url}: ${JSON.stringify(response.body)}`);
    return response.body as Record<string, unknown>;
  };

  /** The plan's own figures, exactly; zero where the plan has some fails too. */
  const assertPlanned = (seen: Figures | undefined, want: Figures, label: string) => {
    assert.deepEqual(seen, want, label);
  };

  /** The figures once the read model has caught up with the import (polled, never asserted on time). */
  const settled = async (
    tenant: string,
    url: string,
    read: (body: Record<string, unknown>) => Figures,
    want: Figures,
  ) => {
    let seen: Figures | undefined;
    for (let attempt = 0; attempt < 120; attempt++) {
      seen = read(await get(tenant, url));
      if (JSON.stringify(seen) === JSON.stringify(want)) return seen;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return seen;
  };

  it('records every line of both histories, refusing none', () => {
    for (const profile of TENANTS) {
      const report = reports.get(profile.tenant);
      assert.ok(report);
      assert.deepEqual(report.refused.slice(0, 3), [], `${profile.tenant}\n${describeReport(report)}`);
      assert.deepEqual(report.skipped.slice(0, 3), [], profile.tenant);
      assert.equal(report.recorded, histories.get(profile.tenant)?.lines.length);
    }
  });

  it('shows today’s students, places and waiting children as the plan has them, for each municipality', async () => {
    for (const profile of TENANTS) {
      const { today } = (histories.get(profile.tenant) as SeedHistory).expected;
      const want = { students: today.students, places: today.places, waitingChildren: today.waitingChildren };
      assert.ok(want.students > 0 && want.places > 0 && want.waitingChildren > 0, 'a living school');
      const seen = await settled(
        profile.tenant,
        `/statistics/summary?date=${today.date}`,
        (body) => {
          const summary = body.summary as Figures;
          return { students: summary.students, places: summary.places, waitingChildren: summary.waitingChildren };
        },
        want,
      );
      assertPlanned(seen, want, profile.tenant);
    }
  });

  it('reports GSI as of each 1 October passed with the plan’s figures', async () => {
    for (const profile of TENANTS) {
      const { gsi } = (histories.get(profile.tenant) as SeedHistory).expected;
      for (const [year, want] of Object.entries(gsi)) {
        assert.ok(want.places > 0, `${profile.tenant} GSI ${year} has places`);
        const seen = await settled(
          profile.tenant,
          `/statistics/gsi/${year}`,
          (body) => {
            const items = (body.items ?? []) as { line: string; total: number }[];
            const total = (line: string) => items.find((item) => item.line === line)?.total ?? 0;
            return { students: total('A4'), places: total('A5'), waitingChildren: total('A6') };
          },
          want,
        );
        assertPlanned(seen, want, `${profile.tenant} GSI ${year}`);
      }
    }
  });

  it('shows one municipality nothing of the other’s: registers, centres, waitlists, statistics', async () => {
    const trondheimCentres = ['Midtbyen', 'Byåsen', 'Ranheim', 'Huseby', 'Spongdal', 'Klæbu'];
    const registers = await get('lindesnes', '/registers');
    assert.ok(!JSON.stringify(registers).includes('Huseby'), 'Lindesnes sees no Trondheim centre');
    const { today } = (histories.get('lindesnes') as SeedHistory).expected;
    const byLocation = await get('lindesnes', `/statistics/breakdown/location?date=${today.date}`);
    const locations = ((byLocation.items ?? []) as { key?: string; location?: string }[]).map(
      (i) => i.key ?? i.location,
    );
    assert.ok(locations.length > 0);
    for (const location of locations) assert.ok(!trondheimCentres.includes(String(location)), String(location));
    const queue = await get('lindesnes', '/waitlist/queue');
    assert.ok(!JSON.stringify(queue).match(/Trondheim|Midtbyen|Byåsen|Ranheim|Spongdal|Klæbu/));
    const trondheimQueue = await get('trondheim', '/waitlist/queue');
    assert.ok(!JSON.stringify(trondheimQueue).match(/Buen|Vigeland|Øyslebø|Mandal|Marnardal/));
  });
});
