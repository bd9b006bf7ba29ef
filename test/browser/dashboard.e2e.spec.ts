import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'puppeteer-core';
import { eventually, fodselsnummerFor, repoRoot, type AppUnderTest } from '#libs/testing';
import { axeViolations, describeViolations, launchChromium } from './support/headless-chromium.js';
import { arrangeWorklists, startSeededHost, type Arranged } from './support/seeded-school.js';

/**
 * Issue 15: the school's own screens in a real headless Chromium against the whole host with Trondheim's history
 * imported. Each role signs in through the local sign-in, reads each screen it may open (figures checked against the
 * query API, axe-core's WCAG 2.1 A/AA rules, a screenshot at 1280×800 into docs/screenshots), a caseworker clears
 * one item of each worklist from the screen, and the auditor sees no child's name anywhere.
 */
const SCREENSHOTS = path.join(repoRoot, 'docs', 'screenshots');
const nb = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 0 });

describe('the dashboard in a real browser', () => {
  let sut: AppUnderTest;
  let browser: Browser;
  let arranged: Arranged;
  let violationsSeen = 0;

  beforeAll(async () => {
    // The browser first: a machine where it cannot start fails here, before the minute the seed takes.
    browser = await launchChromium();
    const seeded = await startSeededHost();
    sut = seeded.sut;
    arranged = await arrangeWorklists(sut, seeded.names);
    process.stdout.write(`dashboard: seeded Trondheim (${seeded.names.length} people) in ${seeded.importMs} ms\n`);
    await rm(SCREENSHOTS, { recursive: true, force: true });
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
    process.stdout.write(`dashboard: axe-core WCAG 2.1 A/AA violations on all screens: ${violationsSeen}\n`);
  });

  const api = async <T>(role: 'admin' | 'caseworker' | 'auditor', url: string): Promise<T> => {
    const response = await sut.request('GET', url, { token: await sut.token(role) });
    assert.equal(response.status, 200, `${url}: ${JSON.stringify(response.body)}`);
    return response.body as T;
  };

  /** A new tab signed in through the sign-in page as the role, as a person would. */
  const signIn = async (role: string): Promise<Page> => {
    const page = await browser.newPage();
    page.on('pageerror', (error) => process.stdout.write(`dashboard page error: ${String(error)}\n`));
    await page.goto(`${sut.baseUrl}/dashboard/`, { waitUntil: 'domcontentloaded' });
    await page.locator(`[data-sign-in="${role}"]`).click();
    await page.waitForSelector(`[data-role="${role}"]`);
    return page;
  };

  const open = async (page: Page, screen: string, ready: string) => {
    const title = screen === 'gsi' ? 'GSI' : screen.charAt(0).toUpperCase() + screen.slice(1);
    await page.evaluate(`location.hash = '#/${screen}'`);
    await page.waitForFunction(`document.querySelector('h1')?.textContent === ${JSON.stringify(title)}`);
    await page.waitForSelector(ready, { timeout: 60_000 });
  };

  /** axe-core on the screen as shown, then the screenshot a reviewer reads. */
  const check = async (page: Page, role: string, screen: string) => {
    const violations = await axeViolations(page);
    violationsSeen += violations.length;
    process.stdout.write(`dashboard: ${role} ${screen}: ${violations.length} axe violations\n`);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${role}-${screen}.png`) });
    assert.equal(violations.length, 0, describeViolations(violations));
  };

  const text = (page: Page, selector: string) =>
    page.$eval(selector, (element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim());
  const figure = (page: Page, id: string) => text(page, `[data-figure="${id}"] .value`);
  const nbNumber = (value: number) => nb.format(value).replace(/\s/g, ' ');
  // Evaluated in the page (a string: this file is type-checked for Node, without the DOM's types).
  const resultSays = (words: string) =>
    `document.querySelector('[data-action-result]')?.textContent?.includes(${JSON.stringify(words)})`;
  /** The worklist's section no longer lists the text (the read model moved and the screen followed). */
  const gone = (section: string, words: string) =>
    `![...document.querySelectorAll('[aria-labelledby="${section}-h"] tbody td')].some((td) => td.textContent === ${JSON.stringify(words)})`;
  /** The worklist's answer to the action just sent: done, or refused with the API's reason (which fails the test). */
  const outcome = async (page: Page, words: string) => {
    await page.waitForFunction(resultSays(words), { timeout: 30_000 });
    const [result, message] = await page.$eval('[data-action-result]', (element) => [
      element.getAttribute('data-action-result'),
      element.textContent,
    ]);
    assert.equal(result, 'done', message ?? '');
  };

  it('serves the screens with a content security policy, and signs in only the dashboard’s roles', async () => {
    const index = await fetch(`${sut.baseUrl}/dashboard/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<html lang="nb">');
    for (const body of [{ role: 'integration' }, { role: 'admin', tenant: 'lindesnes' }, [], { role: null }]) {
      const refused = await sut.request('POST', '/dashboard/local-sign-in', { body });
      expect([JSON.stringify(body), refused.status]).toEqual([JSON.stringify(body), 400]);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    const signedIn = await sut.request('POST', '/dashboard/local-sign-in', { body: { role: 'caseworker' } });
    expect(signedIn.body).toMatchObject({ role: 'caseworker', tenant: 'trondheim', subject: 'local-caseworker' });
    const missing = await fetch(`${sut.baseUrl}/dashboard/assets/../../package.json`);
    expect(missing.status).toBe(404);
  });

  describe('as the admin', () => {
    let page: Page;
    beforeAll(async () => {
      page = await signIn('admin');
    }, 120_000);
    afterAll(async () => page?.close());

    it('renders the overview with the seeded figures, timed from navigation', async () => {
      // Signed in already (the token is in this tab's session): load the first screen afresh and time it from
      // the navigation's start (about:blank first, so it is a new document, not a change of hash).
      await page.goto('about:blank');
      await page.goto(`${sut.baseUrl}/dashboard/#/oversikt`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('[data-figure="students"]', { timeout: 60_000 });
      // The app marks when its key figures are in the document (a user-timing mark), from the navigation's start.
      await page.waitForFunction(`performance.getEntriesByName('kulturskole:oversikt-tall').length > 0`, {
        polling: 50,
      });
      const renderedMs = (await page.evaluate(
        `performance.getEntriesByName('kulturskole:oversikt-tall')[0]?.startTime ?? -1`,
      )) as number;
      assert.ok(renderedMs > 0, 'the overview marks when its key figures are on screen');
      const phases = (await page.evaluate(
        `(() => { const n = performance.getEntriesByType('navigation')[0]; const s = performance.getEntriesByType('resource').find((e) => e.name.includes('/statistics/summary')); return [n.responseEnd, n.domContentLoadedEventEnd, s ? s.startTime : 0, s ? s.responseEnd : 0].map(Math.round); })()`,
      )) as number[];
      process.stdout.write(
        `dashboard: Oversikt phases: page ${phases[0]} ms, scripts run ${phases[1]} ms, ` +
          `summary read ${phases[2]}–${phases[3]} ms\n`,
      );
      await page.waitForSelector('[data-figure="kulturdag-schools"]');
      await page.waitForSelector('[data-figure="waivers-granted"]');
      await page.waitForSelector('[aria-labelledby="venteliste-na-h"] table');
      const completeMs = (await page.evaluate('performance.now()')) as number;
      const slowest = (await page.evaluate(
        `performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, ''), Math.round(e.duration)]).sort((a, b) => b[1] - a[1]).slice(0, 3)`,
      )) as [string, number][];
      process.stdout.write(
        `dashboard: first screen (Oversikt) rendered its key figures with seeded data in ${Math.round(renderedMs)} ms; ` +
          `every panel in ${Math.round(completeMs)} ms ` +
          `(slowest reads: ${slowest.map(([name, ms]) => `${name} ${ms} ms`).join(', ')})\n`,
      );
      const day = await page.$eval('input[type="date"]', (input) => (input as unknown as { value: string }).value);
      // The screen and the API agree once both read the same position (the screen polls; the projector may still be
      // applying the worklists' events): never agreeing within the wait fails.
      type Summary = { students: number; places: number; waitingChildren: number };
      const shown = async () => [
        await figure(page, 'students'),
        await figure(page, 'places'),
        await figure(page, 'waiting'),
      ];
      const summary = await eventually(async () => {
        const { items } = await api<{ items: Summary[] }>('admin', `/statistics/summary?date=${day}`);
        const row = items[0];
        return row && (await shown()).join() === [row.students, row.places, row.waitingChildren].map(nbNumber).join()
          ? row
          : undefined;
      }, 20_000);
      assert.ok(summary.students > 100, 'the seed is there');
      expect(await shown()).toEqual([summary.students, summary.places, summary.waitingChildren].map(nbNumber));
      const kulturdag = await api<{ totals: { schools: number } }>('admin', `/statistics/kulturdag?date=${day}`);
      expect(await figure(page, 'kulturdag-schools')).toBe(nbNumber(kulturdag.totals.schools));
      await page.waitForSelector('figure.bars svg[role="img"]');
      await check(page, 'admin', 'oversikt');
    });

    it('updates a figure without a reload when the read model moves', async () => {
      const before = await figure(page, 'waivers-granted');
      const token = await sut.token('admin');
      const decided = await sut.request(
        'POST',
        `/funding/fee-waivers/applications/${arranged.waiverApplicationId}/decision`,
        { token, body: { rejectionReason: 'Ikke bosatt i kommunen' } },
      );
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      // A rejection grants nothing: the granted count stays, the pending list (a worklist) loses it; the waiting
      // figure is what a new application moves.
      const waitingBefore = await figure(page, 'waiting');
      const applied = await sut.request('POST', `/waitlist/offerings/${arranged.offeringId}/applications`, {
        token,
        body: {
          child: {
            name: 'Live Oppdatering',
            nationalId: fodselsnummerFor('2015-03-15', 9),
            gender: 'female',
            district: 'Heimdal',
            school: 'Huseby skole',
          },
          guardian: { name: 'Verge', email: 'verge2@example.no' },
          specialNeeds: false,
        },
      });
      assert.equal(applied.status, 201, JSON.stringify(applied.body));
      await page.waitForFunction(
        `document.querySelector('[data-figure="waiting"] .value')?.textContent !== ${JSON.stringify(waitingBefore)}`,
        { timeout: 30_000 },
      );
      expect(await figure(page, 'waivers-granted')).toBe(before);
    });

    it('shows Likeverd per district, age band and fee waiver as the equity routes count it, for any school year', async () => {
      await open(page, 'likeverd', '[aria-labelledby="bydel-h"] table');
      type Row = { group: string; waitingChildren: number | string; admissionRatePercent: number | null };
      const cell = (value: number | string) => (typeof value === 'number' ? nbNumber(value) : 'under 5');
      const rate = (value: number | null) =>
        value == null
          ? '–'
          : `${new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)} %`;
      const shown = async (section: string) =>
        (
          await page.$$eval(`[aria-labelledby="${section}-h"] tbody tr`, (trs) =>
            trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
          )
        ).map((row) => [row[0], row[1], row[6]].map((value) => value?.replace(/\s/g, ' ')));
      const expected = async (countedOn: string) => {
        const schoolYear = await page.$eval(
          '[data-choose="school-year"]',
          (s) => (s as unknown as { value: string }).value,
        );
        const equity = await api<{ byDistrict: Row[]; totals: Row }>(
          'admin',
          `/statistics/equity?schoolYear=${schoolYear}&date=${countedOn}`,
        );
        return equity.byDistrict.map((row) => [row.group, cell(row.waitingChildren), rate(row.admissionRatePercent)]);
      };
      const countedOn = () => page.$eval('[data-counted-on]', (p) => p.getAttribute('data-counted-on') ?? '');
      const agrees = async () =>
        JSON.stringify(await shown('bydel')) === JSON.stringify(await expected(await countedOn()));
      await eventually(agrees, 20_000);
      expect(await shown('bydel')).toEqual(await expected(await countedOn()));
      const figures = (await shown('bydel')).map((row) => row[1]);
      expect(figures.some((value) => value !== '0')).toBe(true);
      // The headline a politician reads first, in words and nb-NO figures.
      const day = await countedOn();
      const schoolYear = await page.$eval(
        '[data-choose="school-year"]',
        (s) => (s as unknown as { value: string }).value,
      );
      const { totals } = await api<{ totals: Row }>('admin', `/statistics/equity?schoolYear=${schoolYear}&date=${day}`);
      const headline = await text(page, '[data-headline]');
      expect(headline).toContain('husstander med friplass');
      expect(headline).toContain(`I alt venter ${cell(totals.waitingChildren)} barn`);
      await check(page, 'admin', 'likeverd');
      // An earlier school year, counted on its last day: the screen follows the chooser and agrees with the API.
      const years = await page.$$eval('[data-choose="school-year"] option', (os) =>
        os.map((o) => (o as unknown as { value: string }).value),
      );
      const earlier = years[0];
      assert.ok(earlier && years.length > 1, `the seed covers more than one school year: ${years.join(', ')}`);
      await page.select('[data-choose="school-year"]', earlier);
      await page.waitForFunction(
        `document.querySelector('[data-counted-on]')?.getAttribute('data-counted-on') === '${earlier.slice(5, 9)}-07-31'`,
      );
      await eventually(agrees, 20_000);
      expect(await shown('bydel')).toEqual(await expected(`${earlier.slice(5, 9)}-07-31`));
      const overYears = await page.$$eval('[aria-labelledby="over-tid-h"] tbody tr', (trs) => trs.length);
      expect(overYears).toBeGreaterThanOrEqual(3 * years.length - 3);
    });

    it('shows GSI section A of the last 1 October and downloads it as CSV', async () => {
      await open(page, 'gsi', '[aria-labelledby^="gsi-"] table');
      const year = Number(await page.$eval('select', (select) => (select as unknown as { value: string }).value));
      const gsi = await api<{ items: { line: string; group: string; total: number }[] }>(
        'admin',
        `/statistics/gsi/${year}`,
      );
      const first = gsi.items[0];
      assert.ok(first);
      const rows = await page.$$eval('[aria-labelledby^="gsi-"] tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s/g, ' '))),
      );
      // Every line of the form, in the API's order, with its total.
      const byLine = (a: (string | undefined)[], b: (string | undefined)[]) => String(a[0]).localeCompare(String(b[0]));
      expect(rows.map((cells) => [cells[0], cells[5]]).sort(byLine)).toEqual(
        gsi.items.map((l) => [l.line, nbNumber(l.total)]).sort(byLine),
      );
      const downloads = await (async () => {
        const dir = path.join(os.tmpdir(), `gsi-${process.pid}`);
        await mkdir(dir, { recursive: true });
        return dir;
      })();
      const cdp = await page.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      await page.locator('[data-action="gsi-csv"]').click();
      const file = await eventually(async () => (await readdir(downloads)).find((name) => name.endsWith('.csv')));
      const csv = await readFile(path.join(downloads, file), 'utf8');
      expect(csv.split('\n')[0]).toContain('line');
      expect(csv).toContain(first.group);
      await check(page, 'admin', 'gsi');
    });

    it('shows the history and the access trail, read-only', async () => {
      await open(page, 'revisjon', '[aria-labelledby="tilgang-h"] table');
      await page.locator('input[required]').fill(arranged.offeringId);
      await page.locator('[aria-labelledby="historikk-h"] button[type="submit"]').click();
      await page.waitForSelector('[aria-labelledby="historikk-h"] table tbody tr td');
      const types = await page.$$eval('[aria-labelledby="historikk-h"] tbody tr td:nth-child(2)', (tds) =>
        tds.map((td) => td.textContent),
      );
      expect(types).toContain('OfferingOpened');
      await check(page, 'admin', 'revisjon');
    });
  });

  describe('as a caseworker', () => {
    let page: Page;
    beforeAll(async () => {
      page = await signIn('caseworker');
    }, 120_000);
    afterAll(async () => page?.close());

    it('sees only the caseworkers’ screens', async () => {
      const links = await page.$$eval('nav a', (as) => as.map((a) => a.textContent));
      expect(links).toEqual(['Oversikt', 'Venteliste', 'Arbeidslister']);
      await page.waitForSelector('[data-figure="waivers-granted"]');
      await check(page, 'caseworker', 'oversikt');
    });

    it('reads the queue with names, longest waits first, as the API counts it', async () => {
      await open(page, 'venteliste', '[aria-labelledby="ko-h"] tbody tr');
      const caption = () => text(page, '[aria-labelledby="ko-h"] caption');
      const total = async () => nbNumber((await api<{ total: number }>('caseworker', '/waitlist/queue?limit=1')).total);
      await eventually(async () => (await caption()).startsWith(`${await total()} `), 20_000);
      expect(await caption()).toContain(await total());
      const waits = await page.$$eval('[aria-labelledby="ko-h"] tbody tr td:nth-child(7)', (tds) =>
        tds.map((td) => Number((td.textContent ?? '').replace(/\s/g, ''))),
      );
      expect(waits).toEqual([...waits].sort((a, b) => b - a));
      const body = await text(page, 'main');
      expect(arranged.seededNames.some((name) => body.includes(name))).toBe(true);
      // The main admission plan of an offering, as the API plans it.
      const offeringId = await page.$eval(
        '[aria-labelledby="hovedopptak-h"] select option:nth-child(2)',
        (option) => (option as unknown as { value: string }).value,
      );
      await page.select('[aria-labelledby="hovedopptak-h"] select', offeringId);
      await page.waitForSelector('[data-plan-status]');
      const plan = await api<{ status: string }>('caseworker', `/waitlist/offerings/${offeringId}/main-admission`);
      expect(await page.$eval('[data-plan-status]', (p) => p.getAttribute('data-plan-status'))).toBe(plan.status);
      await check(page, 'caseworker', 'venteliste');
    });

    it('answers an offer, decides a waiver and registers a payer from the worklists', async () => {
      const token = await sut.token('admin');
      // A second application, so one waiver stays to decide after the overview's test rejected the first.
      const applied = await sut.request('POST', '/funding/fee-waivers/applications', {
        token,
        body: {
          payerNationalId: arranged.payerNationalId,
          householdSize: 3,
          householdIncomeNok: 200_000,
          schoolYear: arranged.schoolYear,
        },
      });
      assert.equal(applied.status, 201, JSON.stringify(applied.body));
      const { applicationId } = applied.body as { applicationId: string };
      await open(page, 'arbeidslister', '[data-action="decide-waiver"]');
      await page.waitForSelector('[data-action="accept-offer"]', { timeout: 60_000 });
      await page.waitForSelector(`[id="payer-${arranged.unbilledChildId}"]`, { timeout: 60_000 });
      await page.waitForSelector('[aria-labelledby="omregistrering-h"] [data-action="reregister-continue"]', {
        timeout: 60_000,
      });
      await check(page, 'caseworker', 'arbeidslister');
      // Below the fold of 1280×800: the re-registration worklist on its own.
      await (
        await page.$('[aria-labelledby="omregistrering-h"]')
      )?.screenshot({
        path: path.join(SCREENSHOTS, 'caseworker-arbeidslister-omregistrering.png'),
      });

      // The place that cannot be billed is named (a caseworker may see names), as the API names it.
      const unbilled = await api<{ items: { childId: string; childName?: string }[] }>(
        'caseworker',
        '/funding/worklists/unbillable-places?names=true&limit=100',
      );
      expect(unbilled.items.find((row) => row.childId === arranged.unbilledChildId)?.childName).toBe('Ubetalt Elev');
      const unbilledNames = await page.$$eval('[aria-labelledby="faktura-h"] tbody tr td:first-child', (tds) =>
        tds.map((td) => td.textContent),
      );
      expect(unbilledNames).toContain('Ubetalt Elev');

      // Re-registration not answered by the deadline: listed by name as the API lists it, answered from the screen.
      const unanswered = await api<{ items: { placeId: string; state: string }[] }>(
        'caseworker',
        '/enrolment/worklists/reregistrations',
      );
      expect(unanswered.items.map((row) => [row.placeId, row.state])).toContainEqual([
        arranged.reregistrationPlaceId,
        'overdue',
      ]);
      const reregistrationNames = await page.$$eval(
        '[aria-labelledby="omregistrering-h"] tbody tr td:first-child',
        (tds) => tds.map((td) => td.textContent),
      );
      expect(reregistrationNames).toContain(arranged.reregistrationChild);
      await page.locator(`[data-action="reregister-continue"][data-place="${arranged.reregistrationPlaceId}"]`).click();
      await outcome(page, 'fortsetter');
      await page.waitForFunction(gone('omregistrering', arranged.reregistrationChild), { timeout: 30_000 });
      await eventually(async () => {
        const list = await api<{ items: { placeId: string }[] }>('caseworker', '/enrolment/worklists/reregistrations');
        return list.items.every((row) => row.placeId !== arranged.reregistrationPlaceId);
      }, 30_000);

      // The offer to Tilda: accepted from the screen; the place follows.
      const offerRow = await page.$$eval('[aria-labelledby="svar-h"] tbody tr td:first-child', (tds) =>
        tds.map((td) => td.textContent),
      );
      expect(offerRow).toContain(arranged.offeredChild);
      await page.locator('[aria-labelledby="svar-h"] [data-action="accept-offer"]').click();
      await outcome(page, 'takket ja til');
      await page.waitForFunction(gone('svar', arranged.offeredChild), { timeout: 30_000 });
      const offers = await eventually(async () => {
        const body = await api<{ items: { offeringId: string }[] }>('caseworker', '/waitlist/queue/offers?limit=500');
        return body.items.every((offer) => offer.offeringId !== arranged.offeringId) ? body : undefined;
      }, 30_000);
      expect(offers.items.filter((offer) => offer.offeringId === arranged.offeringId)).toEqual([]);

      // The waiver: decided by the schedule from the screen.
      await page.locator('[aria-labelledby="friplass-h"] [data-action="decide-waiver"]').click();
      await outcome(page, 'avgjort');
      await page.waitForFunction(
        `!document.querySelector('[aria-labelledby="friplass-h"] [data-action="decide-waiver"]')`,
        {
          timeout: 30_000,
        },
      );
      await eventually(async () => {
        const pending = await api<{ items: { applicationId: string }[] }>('caseworker', '/funding/fee-waivers/pending');
        return pending.items.every((item) => item.applicationId !== applicationId);
      }, 30_000);

      // The payer: typed into the row of the place that cannot be billed.
      await page.locator(`[id="payer-${arranged.unbilledChildId}"]`).fill(arranged.payerNationalId);
      await page.locator(`form:has([id="payer-${arranged.unbilledChildId}"]) [data-action="register-payer"]`).click();
      await outcome(page, 'Betaler');
      expect(await text(page, '[data-action-result]')).toContain('registrert');
      await page.waitForFunction(`!document.getElementById('payer-${arranged.unbilledChildId}')`, { timeout: 30_000 });
      await eventually(async () => {
        const list = await api<{ items: { childId: string }[] }>('caseworker', '/funding/worklists/unbillable-places');
        return list.items.every((item) => item.childId !== arranged.unbilledChildId);
      }, 30_000);
    });
  });

  describe('as an auditor', () => {
    let page: Page;
    beforeAll(async () => {
      // By keyboard only: Tab to the role's button, Enter.
      page = await browser.newPage();
      await page.goto(`${sut.baseUrl}/dashboard/`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('[data-sign-in="auditor"]');
      await check(page, 'alle', 'innlogging');
      for (let tabs = 0; tabs < 10; tabs++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(`document.activeElement?.getAttribute('data-sign-in') === 'auditor'`)) break;
      }
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-role="auditor"]');
    }, 120_000);
    afterAll(async () => page?.close());

    it('opens only the auditors’ screens and sees no child’s name on any of them', async () => {
      const links = await page.$$eval('nav a', (as) => as.map((a) => a.textContent));
      expect(links).toEqual(['Oversikt', 'Likeverd', 'GSI', 'Revisjon']);
      const screens: [string, string][] = [
        ['oversikt', '[data-figure="students"]'],
        ['likeverd', '[aria-labelledby="bydel-h"] table'],
        ['gsi', '[aria-labelledby^="gsi-"] table'],
        ['revisjon', '[aria-labelledby="tilgang-h"] table'],
      ];
      for (const [screen, ready] of screens) {
        await open(page, screen, ready);
        if (screen === 'revisjon') {
          // The caseworker's reads of names are in the trail, by pseudonymous subject, without the names.
          await page.waitForFunction(
            `document.querySelector('[aria-labelledby="tilgang-h"] tbody')?.textContent?.includes('read child name')`,
          );
        }
        const body = await text(page, 'body');
        const seen = [
          ...arranged.seededNames,
          arranged.offeredChild,
          'Ubetalt Elev',
          arranged.reregistrationChild,
        ].filter((n) => body.includes(n));
        expect(seen).toEqual([]);
        await check(page, 'auditor', screen);
      }
      // A screen the role may not open shows the overview instead, and the API refuses its read anyway.
      await page.evaluate(`location.hash = '#/venteliste'`);
      await page.waitForFunction(`document.querySelector('h1')?.textContent === 'Oversikt'`);
      const refused = await sut.request('GET', '/waitlist/queue?names=true', { token: await sut.token('auditor') });
      expect(refused.status).toBe(403);
    });
  });
});
