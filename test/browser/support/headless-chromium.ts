import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * A real headless Chromium from the npm package @sparticuz/chromium (its binary ships in the package and is unpacked
 * to /tmp on first use; nothing is downloaded). A browser that cannot start throws: the browser tests then fail, in
 * CI as anywhere, and are never skipped.
 */
export const launchChromium = async (): Promise<Browser> => {
  const executablePath = await chromium.executablePath();
  try {
    return await puppeteer.launch({
      executablePath,
      // Bokmål as the browser's own language too (the date field's format), Oslo as its time zone.
      args: [...chromium.args, '--lang=nb-NO'],
      env: { ...process.env, TZ: 'Europe/Oslo', LANG: 'nb_NO.UTF-8' },
      headless: 'shell',
      defaultViewport: { width: 1280, height: 800 },
    });
  } catch (error) {
    throw new Error(`Headless Chromium (${executablePath}) did not start: ${(error as Error).message}`);
  }
};

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let axeSource: string | undefined;

/** axe-core, run inside the page, on WCAG 2.0/2.1 level A and AA rules only (universell utforming). */
export const axeViolations = async (page: Page): Promise<AxeViolation[]> => {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(axeSource);
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  )) as { violations: AxeViolation[] };
  return result.violations;
};

export const describeViolations = (violations: AxeViolation[]): string =>
  violations
    .map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');
