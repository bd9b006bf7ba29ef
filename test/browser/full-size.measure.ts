import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'puppeteer-core';
import type { AppUnderTest } from '#libs/testing';
import { PROFILES, type SeedProfile } from '../../scripts/seed-plan.js';
import { launchChromium } from './support/headless-chromium.js';
import { startSeededHost } from './support/seeded-school.js';

/**
 * Issue 15's timing on full-size Trondheim (the plan's 3,700 students, 4,700 places, 1,600 waiting: `npm run seed`'s
 * profile), run once by hand, outside `npm test` (the import alone takes minutes):
 *   npx jest --config test/browser/measure.jest.config.js
 * It prints how long the first screen (Oversikt) took to show its key figures, and Likeverd its tables, from the
 * navigation's start. Nothing is asserted about the time.
 */
describe('the first screen on full-size Trondheim', () => {
  let sut: AppUnderTest;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    const seeded = await startSeededHost(PROFILES.trondheim as SeedProfile);
    sut = seeded.sut;
    process.stdout.write(`measure: seeded full Trondheim (${seeded.names.length} people) in ${seeded.importMs} ms\n`);
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(`${sut.baseUrl}/dashboard/`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-sign-in="admin"]').click();
    await page.waitForSelector('[data-role="admin"]');
  }, 3_600_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
  });

  it('renders Oversikt and Likeverd, timed from navigation', async () => {
    const timings: Record<string, number[]> = { oversikt: [], likeverd: [] };
    // Three loads each: the first also warms PostgreSQL's caches, as a school's first visit of the day would.
    for (let run = 0; run < 3; run++) {
      await page.goto('about:blank');
      await page.goto(`${sut.baseUrl}/dashboard/#/oversikt`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(`performance.getEntriesByName('kulturskole:oversikt-tall').length > 0`, {
        polling: 50,
        timeout: 120_000,
      });
      timings.oversikt?.push(
        (await page.evaluate(`performance.getEntriesByName('kulturskole:oversikt-tall')[0].startTime`)) as number,
      );
      await page.goto('about:blank');
      await page.goto(`${sut.baseUrl}/dashboard/#/likeverd`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('[aria-labelledby="over-tid-h"] table', { timeout: 120_000 });
      timings.likeverd?.push((await page.evaluate('performance.now()')) as number);
    }
    const slowest = (await page.evaluate(
      `performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, ''), Math.round(e.duration)]).sort((a, b) => b[1] - a[1]).slice(0, 4)`,
    )) as [string, number][];
    for (const [screen, ms] of Object.entries(timings))
      process.stdout.write(`measure: ${screen} on full Trondheim: ${ms.map((m) => Math.round(m)).join(' / ')} ms\n`);
    process.stdout.write(
      `measure: Likeverd's slowest reads: ${slowest.map(([n, ms]) => `${n} ${ms} ms`).join(', ')}\n`,
    );
    const students = await sut.request('GET', '/statistics/summary', { token: await sut.token('admin') });
    assert.equal(students.status, 200);
    assert.ok((students.body as { summary: { students: number } }).summary.students > 2000, 'full size, not a tenth');
  });
});
