// @ts-check
/**
 * The one-off measurement on full-size Trondheim (test/browser/full-size.measure.ts), with the servers of the e2e
 * tier; not part of `npm test`, whose tiers match only *.spec.ts.
 *   npx jest --config test/browser/measure.jest.config.js
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import base from '../../jest.config.js';

const e2e = /** @type {import('jest').Config[]} */ (base.projects).find(
  (tier) => typeof tier === 'object' && 'displayName' in tier && tier.displayName === 'e2e',
);

/** @type {import('jest').Config} */
export default {
  ...e2e,
  rootDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
  displayName: 'measure',
  testMatch: ['**/test/browser/full-size.measure.ts'],
  testTimeout: 3_600_000,
};
