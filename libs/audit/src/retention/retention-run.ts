import type { Pool } from '#libs/database';
import { streamName, type EventStore, type RecordedEvent } from '#libs/event-store';
import type { PeopleRegister, PurgeOutcome } from '#libs/personal-data';
import { eventIdFor, metadataFor, type CommandContext } from '#libs/platform';
import { evaluateRetention, type RetentionEvaluation, type SubjectStanding } from './retention-evaluation.js';
import { defaultRetentionPolicy, type RetentionPolicy } from './retention-policy.js';

export interface ShredItem extends SubjectStanding {
  /** Names of the personal fields that would go with the key (never their values). */
  fields: string[];
}

export interface RetentionReport extends Omit<RetentionEvaluation, 'due'> {
  dryRun: boolean;
  due: ShredItem[];
  /** On a real run: the subjects erased now. */
  erased: string[];
  /**
   * On a real run that erased someone: whether their old rows were purged from disk (PersonalDataVault.purgeErased).
   * The erasures stand either way (the keys are shredded); a purge that could not finish says why, for the operator.
   */
  purge?: PurgeOutcome;
}

const PAGE = 5_000;

/**
 * The erasure run: replays the tenant's events through the retention policy and erases (crypto-shreds) the personal
 * data of every subject whose purposes have all ended long enough ago. A dry run only lists what it would shred.
 * Each erasure is recorded as `PersonalDataErased`, as an erasure by hand is.
 */
export class RetentionRun {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly people: PeopleRegister,
    readonly policy: RetentionPolicy = defaultRetentionPolicy,
  ) {}

  async dryRun(tenant: string, at: Date): Promise<RetentionReport> {
    return this.report(tenant, at, true);
  }

  /** Erases what is due now, as the context's principal (an admin, or the system's nightly run). */
  async execute(context: CommandContext): Promise<RetentionReport> {
    const report = await this.report(context.principal.tenant, context.now, false);
    for (const item of report.due) {
      const reason =
        `Retention: no open application, place or fee-waiver case; last activity ${item.lastActivity}, ` +
        `due ${item.dueAt ?? ''} (${this.policy.yearsAfterPurposeEnds} years)`;
      await this.erase(context, item.subjectId, reason);
      report.erased.push(item.subjectId);
    }
    // One rewrite of the key tables for the whole run, not one per subject.
    if (report.erased.length === 0) return report;
    return { ...report, purge: await this.people.purgeErased() };
  }

  private async report(tenant: string, at: Date, dryRun: boolean): Promise<RetentionReport> {
    const subjects = await this.subjectsWithPersonalData(tenant);
    const evaluation = evaluateRetention(await this.facts(tenant), this.policy, { at, subjects });
    const fields = await this.fieldNames(
      tenant,
      evaluation.due.map((d) => d.subjectId),
    );
    return {
      ...evaluation,
      dryRun,
      due: evaluation.due.map((item) => ({ ...item, fields: ['subject key', ...(fields.get(item.subjectId) ?? [])] })),
      erased: [],
    };
  }

  // Through the store's port, so the run works on either store; a nightly job can afford to read every event.
  private async facts(tenant: string) {
    const facts: { type: string; data: unknown; occurredAt: string }[] = [];
    await this.store.awaitSettled(); // a decision just recorded (a withdrawal) must count in this run
    let from: bigint | undefined;
    for (;;) {
      const page = await this.store.readAll({ fromPosition: from, maxCount: PAGE });
      for (const event of page.events) if (inTenant(event, tenant)) facts.push(factOf(event));
      if (page.isEnd || page.lastPosition === undefined || page.lastPosition === from) break;
      from = page.lastPosition;
    }
    return facts;
  }

  private async subjectsWithPersonalData(tenant: string): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ subject_id: string }>(
      'SELECT subject_id::text FROM subject_keys WHERE tenant = $1 AND erased_at IS NULL',
      [tenant],
    );
    return new Set(rows.map((row) => row.subject_id));
  }

  private async fieldNames(tenant: string, subjectIds: readonly string[]): Promise<Map<string, string[]>> {
    const { rows } = await this.pool.query<{ subject_id: string; fields: string[] }>(
      `SELECT subject_id::text, array_agg(field ORDER BY field) AS fields FROM personal_fields
        WHERE tenant = $1 AND subject_id = ANY ($2::uuid[]) GROUP BY subject_id`,
      [tenant, subjectIds],
    );
    return new Map(rows.map((row) => [row.subject_id, row.fields]));
  }

  private async erase(context: CommandContext, subjectId: string, reason: string): Promise<void> {
    const tenant = context.principal.tenant;
    const erasure = await this.people.erase(tenant, subjectId, reason, { deferPurge: true });
    await this.store.appendToStream(
      streamName(tenant, 'people', 'subject', subjectId),
      [
        {
          // The same id as an erasure by hand: whichever comes first is the one recorded.
          eventId: eventIdFor(subjectId, 'erased', 0),
          type: 'PersonalDataErased',
          schemaVersion: 1,
          data: { subjectId, erasedAt: erasure.erasedAt.toISOString() },
          metadata: metadataFor({ ...context, reason }),
        },
      ],
      { expectedRevision: 'any' },
    );
  }
}

const inTenant = (event: RecordedEvent, tenant: string) => event.streamName.startsWith(`${tenant}.`);
const factOf = (event: RecordedEvent) => ({
  type: event.type,
  data: event.data,
  occurredAt: event.metadata.occurredAt,
});
