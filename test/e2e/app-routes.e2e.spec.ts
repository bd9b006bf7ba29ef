import { afterAll, describe, expect, it } from '@jest/globals';
import type { Runtime } from '#libs/platform';
import { routesOf, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { AuditApp } from '../../apps/audit/src/audit.module.js';
import { EnrolmentApp } from '../../apps/enrolment/src/enrolment.module.js';
import { FundingApp } from '../../apps/funding/src/funding.module.js';
import { hostMigrations } from '../../apps/host/src/migrations.js';
import { ProjectorApp } from '../../apps/projector/src/projector.module.js';
import { QueryApiApp } from '../../apps/query-api/src/query-api.module.js';
import { RelayApp } from '../../apps/relay/src/relay.module.js';
import { WaitlistApp } from '../../apps/waitlist/src/waitlist.module.js';

// Every app answers health and metrics; beyond them, each serves its own context's routes and nothing else.
const everyApp = /^GET \/(health|metrics)\b/;
const rules = /^(GET|PUT) \/policies\/:context\/:schoolYear$/;

const apps: [string, (runtime: Runtime) => unknown, RegExp][] = [
  // The tenant's registers (districts, centres, schools, subjects) are read and changed through enrolment.
  ['enrolment', (runtime) => EnrolmentApp.forRuntime(runtime), /^\w+ \/(enrolment\/|registers\b)/],
  ['waitlist', (runtime) => WaitlistApp.forRuntime(runtime), /^\w+ \/(waitlist\/|people\b)/],
  ['funding', (runtime) => FundingApp.forRuntime(runtime), /^\w+ \/(funding|projections)\b/],
  ['projector', (runtime) => ProjectorApp.forRuntime(runtime), /^\w+ \/projections\b/],
  ['relay', (runtime) => RelayApp.forRuntime(runtime), /^\w+ \/(relay|integration)\//],
  // Queries only: nothing but GET. The caseworkers' worklists are read models too, whichever context owns them.
  [
    'query-api',
    (runtime) => QueryApiApp.forRuntime(runtime),
    /^GET \/(statistics|waitlist|funding|projections|enrolment\/worklists)\b/,
  ],
  // The auditors' API alone.
  ['audit', (runtime) => AuditApp.forRuntime(runtime), /^\w+ \/audit\//],
];
const withRules = new Set(['enrolment', 'waitlist', 'funding']);

describe('what each app serves, as production deploys them', () => {
  const started: AppUnderTest[] = [];
  afterAll(async () => {
    for (const app of started) await app.close();
  });

  it.each(apps)('%s serves its own routes and nothing else', async (name, module, own) => {
    const sut = await startAppUnderTest(module, { migrations: hostMigrations });
    started.push(sut);
    const routes = routesOf(sut.app);
    const foreign = routes.filter(
      (route) => !everyApp.test(route) && !own.test(route) && !(withRules.has(name) && rules.test(route)),
    );
    expect(foreign).toEqual([]);
    expect(routes.filter((route) => own.test(route)).length).toBeGreaterThan(0);
  });
});
