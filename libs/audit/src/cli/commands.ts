import type { Pool } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import type { PeopleRegister, PersonalDataVault } from '#libs/personal-data';
import { AccessTrail, newCommandContext, type AppConfig, type Principal } from '#libs/platform';
import { AccessTrailQuery, type TrailOutcome } from '../access-trail/access-trail.query.js';
import { EventHistory } from '../history/event-history.js';
import { HistoryPeople } from '../history/history-people.js';
import { openSealer } from '../anchoring/anchoring.js';
import { anchoringSettings } from '../anchoring/anchoring-settings.js';
import { verifyStore } from '../integrity/verify-store.js';
import { auditStoreFor } from '../store/audit-store-for.js';
import { ReplaySets } from '../replay-sets/replay-sets.js';
import { defaultRetentionPolicy } from '../retention/retention-policy.js';
import { RetentionRun } from '../retention/retention-run.js';
import { parseUntil } from '../shared/until.js';
import { stateAsOf } from '../state/state-as-of.js';
import { flatten, type Row } from './render.js';

/** What a subcommand prints: rows for a table or CSV, the whole answer for JSON, and an exit code. */
export interface CommandOutput {
  rows: Row[];
  whole: unknown;
  columns?: string[];
  /** A line for the terminal after a table (e.g. a summary); not written to CSV or JSON. */
  note?: string;
  exitCode?: number;
}

export interface AuditCliContext {
  pool: Pool;
  store: EventStore;
  /** The CLI's user as a principal: reads are recorded under it. */
  principal: Principal;
  /** The principal is of the operators' tenant (OPERATOR_TENANT): it sees what spans every tenant. */
  operator?: boolean;
  /** The settings: where the anchors are kept and which keys sign and verify them (verify, seal). */
  config?: AppConfig;
  /** Built only for the subcommands that need personal data (the master key). */
  personalData: () => Promise<{ people: PeopleRegister; vault: PersonalDataVault }>;
}

export type Options = Record<string, string | boolean | undefined>;

const text = (options: Options, name: string): string | undefined => {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
};
const required = (options: Options, name: string): string => {
  const value = text(options, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const short = (id: string | null | undefined) => (id ? id.slice(0, 8) : '');

export const history = async (context: AuditCliContext, id: string, options: Options): Promise<CommandOutput> => {
  const found = await new EventHistory(auditStoreFor(context.store, context.pool)).of(context.principal.tenant, id);
  let people;
  if (options['with-personal-data'] === true) {
    const { people: register, vault } = await context.personalData();
    people = await new HistoryPeople(register, vault, new AccessTrail(context.pool)).of(context.principal, found);
  }
  const full = options.format === 'csv';
  const rows = found.entries.map((e) => ({
    position: e.position,
    recordedAt: e.recordedAt,
    occurredAt: e.occurredAt,
    type: e.type,
    stream: e.streamName,
    actor: `${e.actor.role}:${e.actor.id}`,
    command: full ? e.command : short(e.command),
    correlation: full ? e.correlationId : short(e.correlationId),
    reason: e.reason,
    via: e.via,
    ...(full ? { data: e.data } : {}),
  }));
  const peopleLines = (people ?? []).map(
    (p) => `${p.subjectId}${p.erased ? ' (erased)' : ''}: ${JSON.stringify(p.fields)}`,
  );
  return {
    rows,
    whole: { ...found, ...(people ? { people } : {}) },
    note: [`${found.entries.length} events${found.truncated ? ' (truncated)' : ''}`, ...peopleLines].join('\n'),
  };
};

export const state = async (context: AuditCliContext, options: Options): Promise<CommandOutput> => {
  const answer = await stateAsOf(
    context.store,
    context.principal.tenant,
    required(options, 'stream'),
    parseUntil(required(options, 'until')),
  );
  const last = answer.lastEvent;
  return {
    rows: flatten(answer.state),
    whole: answer,
    columns: ['path', 'value'],
    note:
      `${answer.streamName} as of ${answer.asOf}: ${answer.eventsFolded} events folded, ${answer.eventsAfter} after` +
      (last ? `; last folded: #${last.revision} ${last.type} at ${last.recordedAt} (position ${last.position})` : ''),
  };
};

export const verify = async (context: AuditCliContext, options: Options): Promise<CommandOutput> => {
  const evidence = context.config
    ? {
        settings: anchoringSettings(context.config),
        file: text(options, 'anchors'),
        publicKeyFile: text(options, 'public-key'),
      }
    : undefined;
  const answer = await verifyStore(
    auditStoreFor(context.store, context.pool),
    context.principal.tenant,
    text(options, 'stream'),
    evidence,
  );
  const found = answer.firstBreak;
  const anchoring = answer.anchoring;
  const anchored =
    anchoring.status === 'verified'
      ? `through ${anchoring.anchoredThrough ?? '-'} (${anchoring.checkpoints} checkpoints)`
      : anchoring.status;
  return {
    // The stream goes last, so a narrow terminal cuts only its tail.
    rows: [
      {
        scope: answer.scope,
        intact: answer.intact,
        events: answer.eventsChecked,
        streams: answer.streamsChecked,
        anchored,
        problem: found?.problem ?? '',
        position: found?.position ?? '',
        revision: found?.revision ?? '',
        stream: found?.streamName ?? '',
      },
    ],
    whole: answer,
    note: [
      anchoring.status === 'verified'
        ? `anchors: ${anchoring.file} (key ${anchoring.keyId ?? '-'} from ${anchoring.publicKey ?? '-'}); ` +
          `${anchoring.eventsAnchored} events as anchored, ${anchoring.eventsAfterLastAnchor} after the last anchor` +
          (anchoring.lastSealedAt ? ` (sealed ${anchoring.lastSealedAt})` : '') +
          (anchoring.eventsBeforeFirstAnchor ? `, ${anchoring.eventsBeforeFirstAnchor} before the first` : '')
        : `not checked against anchors (${anchoring.status}${anchoring.file ? `: ${anchoring.file}` : ''}): ` +
          `only the store's own check was made (${answer.storeChecks})`,
      ...anchoring.problems.map((problem) => `anchor problem: ${problem}`),
    ].join('\n'),
    exitCode: answer.intact ? 0 : 2,
  };
};

/** Seals what is below the safe horizon into signed checkpoints and publishes them (what the host does on a timer). */
export const seal = async (context: AuditCliContext): Promise<CommandOutput> => {
  if (!context.config) throw new UsageError('seal needs the configuration');
  const opened = await openSealer(context.pool, anchoringSettings(context.config), {
    source: auditStoreFor(context.store, context.pool),
  });
  try {
    const report = await opened.sealer.run();
    const failed = Object.entries(report.published).filter(([, outcome]) => 'error' in outcome);
    return {
      rows: report.sealed.map((c) => ({ checkpoint: c.seq, after: c.after, upto: c.upto, events: c.events })),
      whole: { keyId: opened.keyId, file: opened.file, ...report },
      columns: ['checkpoint', 'after', 'upto', 'events'],
      note:
        `${report.sealed.length} checkpoints sealed with key ${opened.keyId}; published: ` +
        Object.entries(report.published)
          .map(([target, outcome]) =>
            'error' in outcome ? `${target} failed (${outcome.error})` : `${target} through ${outcome.throughSeq}`,
          )
          .join(', '),
      exitCode: failed.length > 0 ? 1 : 0,
    };
  } finally {
    await opened.close();
  }
};

export const trail = async (context: AuditCliContext, options: Options): Promise<CommandOutput> => {
  const date = (name: string) => {
    const value = text(options, name);
    return value === undefined ? undefined : new Date(value);
  };
  const page = await new AccessTrailQuery(context.pool).page(
    { tenant: context.principal.tenant, operator: context.operator === true },
    {
      actor: text(options, 'actor'),
      role: text(options, 'role'),
      outcome: text(options, 'outcome') as TrailOutcome | undefined,
      action: text(options, 'action'),
      subject: text(options, 'subject'),
      from: date('from'),
      to: date('to'),
    },
    { limit: Number(text(options, 'limit') ?? 100), before: text(options, 'before') },
  );
  return {
    rows: page.items,
    whole: page,
    note: page.next ? `more: --before ${page.next}` : undefined,
  };
};

export const retention = async (context: AuditCliContext, options: Options): Promise<CommandOutput> => {
  const { people } = await context.personalData();
  const years = text(options, 'years');
  if (years !== undefined && !/^\d{1,2}$/.test(years)) throw new UsageError('--years must be a whole number of years');
  const policy =
    years === undefined ? defaultRetentionPolicy : { ...defaultRetentionPolicy, yearsAfterPurposeEnds: Number(years) };
  const run = new RetentionRun(context.pool, context.store, people, policy);
  const execute = options.execute === true;
  if (execute && text(options, 'at') !== undefined) throw new UsageError('--at is for a dry run only');
  const report = execute
    ? await run.execute(newCommandContext(context.principal, { now: new Date() }))
    : await run.dryRun(context.principal.tenant, new Date(text(options, 'at') ?? Date.now()));
  return {
    rows: report.due.map((item) => ({
      subjectId: item.subjectId,
      lastActivity: item.lastActivity,
      dueAt: item.dueAt,
      closedPurposes: item.closedPurposes,
      wouldShred: item.fields.join(', '),
      erased: report.erased.includes(item.subjectId),
    })),
    whole: report,
    columns: ['subjectId', 'lastActivity', 'dueAt', 'closedPurposes', 'wouldShred', 'erased'],
    note:
      `${report.dryRun ? 'dry run' : 'erasure run'} as of ${report.at} (${report.yearsAfterPurposeEnds} years after ` +
      `the last activity): ${report.due.length} due, ${report.kept.length} kept ` +
      `(${report.kept.filter((k) => k.openPurposes.length > 0).length} with an open purpose)` +
      (report.withoutEvents.length ? `; ${report.withoutEvents.length} with personal data but no event` : '') +
      (report.unknownEventTypes.length ? `; event types without a rule: ${report.unknownEventTypes.join(', ')}` : ''),
  };
};

export const replaySets = async (context: AuditCliContext, options: Options): Promise<CommandOutput> => {
  const sets = new ReplaySets(context.pool);
  const name = text(options, 'set');
  if (name !== undefined) {
    const table = required(options, 'table');
    const rows = await sets.rows(context.principal.tenant, name, table, Number(text(options, 'limit') ?? 500));
    return { rows, whole: { name, table, rows } };
  }
  const list = await sets.list(context.principal.tenant);
  return {
    rows: list.map((s) => ({
      name: s.name,
      projection: `${s.projection} v${s.version}`,
      status: s.state,
      until: s.untilTime ?? `position ${s.untilPosition ?? ''}`,
      events: s.eventsApplied,
      schema: s.schema,
      tables: s.tables.join(', '),
    })),
    whole: { sets: list },
  };
};
