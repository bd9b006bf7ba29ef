import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '#libs/decider';
import type { EventStore, RecordedEvent, Subscription } from '#libs/event-store';
import type { LessonsCancelledBySchool, OfferingOpened, PlaceEnrolled, PlaceWithdrawn } from '#libs/enrolment';
import type { Pool } from '#libs/database';
import {
  CheckpointStore,
  Clock,
  EVENT_STORE,
  eventIdFor,
  PG_POOL,
  startCheckpointedSubscription,
  type CommandContext,
} from '#libs/platform';
import {
  nok,
  schoolYearEndsAt,
  semesterKey,
  sum,
  type ChildPayerRegistered,
  type FeeWaiverExpired,
  type FeeWaiverGranted,
  type FeeWaiverRevoked,
  type SchoolYear,
  type Semester,
  type SemesterFeesAssessed,
} from '../domain/index.js';
import { FundingPolicies } from '../shared/funding-policies.js';
import { FundingStreams } from '../shared/funding-streams.js';
import { osloDate } from '../shared/oslo-date.js';
import { FundingFacts } from './funding-facts.js';
import { compareSemesters, householdInputFor, semestersOfPlace, semestersOfYear } from './household-assessment.js';

type Handled =
  | LessonsCancelledBySchool
  | OfferingOpened
  | PlaceEnrolled
  | PlaceWithdrawn
  | ChildPayerRegistered
  | FeeWaiverGranted
  | FeeWaiverRevoked
  | FeeWaiverExpired;

const EVENT_TYPES: Handled['type'][] = [
  'LessonsCancelledBySchool',
  'OfferingOpened',
  'PlaceEnrolled',
  'PlaceWithdrawn',
  'ChildPayerRegistered',
  'FeeWaiverGranted',
  'FeeWaiverRevoked',
  'FeeWaiverExpired',
];

type Step = (name: string) => CommandContext;

/**
 * Keeps every household's fees assessed: a new place, a withdrawal, a new payer or a waiver decision reassesses the
 * semesters it touches, and a waiver whose school year has ended by the clock is expired. At-least-once: each
 * command's id derives from the event that caused it, and an unchanged assessment appends nothing.
 */
@Injectable()
export class FundingProcessManager implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('funding');
  private subscription?: Subscription;
  private ticker?: NodeJS.Timeout;
  private ticking = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly checkpoints: CheckpointStore,
    private readonly facts: FundingFacts,
    private readonly streams: FundingStreams,
    private readonly policies: FundingPolicies,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // One process runs it however many run the app (the lease); the others stand by.
    this.subscription = await startCheckpointedSubscription(
      this.store,
      this.checkpoints,
      { name: 'funding', filter: { eventTypes: EVENT_TYPES }, handle: (event) => this.handle(event) },
      { pool: this.pool },
    );
    this.ticker = setInterval(() => {
      this.ticking = this.ticking.then(() => this.expireEndedWaivers()).catch((e: unknown) => this.logger.warn(e));
    }, 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.ticker);
    await this.ticking;
    await this.subscription?.stop();
  }

  /** Sends ExpireWaiver for every granted waiver whose school year has ended by the clock; public so tests can tick. */
  async expireEndedWaivers(): Promise<void> {
    const now = this.clock.now();
    for (const due of await this.facts.waiversDueToExpire(now)) {
      const context = this.context(due.tenant, eventIdFor(due.applicationId, 'expire', 0), due.applicationId, now);
      await this.settled(() =>
        this.streams.application(
          due.applicationId,
          { type: 'ExpireWaiver', data: { applicationId: due.applicationId } },
          context,
        ),
      );
    }
  }

  private async handle(recorded: RecordedEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    const tenant = recorded.metadata.tenant;
    const step: Step = (name) =>
      this.context(tenant, eventIdFor(recorded.eventId, name, 0), recorded.metadata.correlationId, this.clock.now());
    switch (event.type) {
      case 'OfferingOpened':
        return this.facts.recordOffering(tenant, {
          offeringId: event.data.offeringId,
          schoolYear: event.data.schoolYear,
          feeOre: nok(event.data.feePerSemesterNok),
        });
      case 'PlaceEnrolled': {
        const { placeId, offeringId, studentId, birthYear, enrolledAt, transferredFrom } = event.data;
        const offering = await this.facts.offering(tenant, offeringId);
        if (!offering) return this.logger.error({ offeringId, placeId }, 'place in an offering funding never saw');
        const place = {
          placeId,
          offeringId,
          childId: studentId,
          birthYear,
          schoolYear: offering.schoolYear,
          feeOre: offering.feeOre,
          startedOn: osloDate(enrolledAt),
        };
        await this.facts.recordPlace(tenant, place, transferredFrom?.placeId ?? null);
        return this.reassessChild(tenant, studentId, semestersOfYear(offering.schoolYear), step);
      }
      case 'PlaceWithdrawn': {
        const { placeId, studentId, effectiveOn, noticeOn, afterDeadline, nextSemester } = event.data;
        const next = { schoolYear: nextSemester.schoolYear as SchoolYear, term: nextSemester.term };
        await this.facts.recordWithdrawal(tenant, placeId, { effectiveOn, noticeOn, afterDeadline, next });
        const place = await this.facts.place(tenant, placeId);
        return place ? this.reassessChild(tenant, studentId, semestersOfPlace(place), step) : undefined;
      }
      case 'ChildPayerRegistered': {
        const { childId, payerId, previousPayerId } = event.data;
        await this.facts.recordPayer(tenant, childId, payerId, recorded.position);
        const semesters = unique((await this.facts.placesOfChild(tenant, childId)).flatMap(semestersOfPlace));
        await this.reassess(tenant, payerId, semesters, step);
        // The previous household no longer pays for the child: its semesters are assessed without it.
        if (previousPayerId)
          await this.reassess(tenant, previousPayerId, semesters, (name) => step(`previous:${name}`));
        return;
      }
      case 'FeeWaiverGranted': {
        const { applicationId, householdId, schoolYear, payPercent } = event.data;
        const endsAt = schoolYearEndsAt(schoolYear);
        await this.facts.recordWaiverGranted(tenant, { applicationId, householdId, schoolYear, payPercent, endsAt });
        return this.reassess(tenant, householdId, semestersOfYear(schoolYear), step);
      }
      case 'FeeWaiverRevoked': {
        const { applicationId, householdId, schoolYear, revokedAt } = event.data;
        await this.facts.recordWaiverEnded(tenant, applicationId, 'revoked', osloDate(revokedAt));
        return this.reassess(tenant, householdId, semestersOfYear(schoolYear), step);
      }
      case 'LessonsCancelledBySchool': {
        const { offeringId, schoolYear, term, cancelledLessons } = event.data;
        const semester = { schoolYear: schoolYear as SchoolYear, term };
        await this.facts.recordCancelledLessons(tenant, offeringId, semesterKey(semester), cancelledLessons);
        for (const payerId of await this.facts.payersOfOffering(tenant, offeringId)) {
          await this.reassess(tenant, payerId, [semester], (name) => step(`${payerId}:${name}`));
        }
        return;
      }
      case 'FeeWaiverExpired':
        // An expired waiver still covers its own year; the next year needs a new application.
        return this.facts.recordWaiverEnded(tenant, event.data.applicationId, 'expired', null);
      default:
        return;
    }
  }

  // A child without a registered payer is not billed yet: registering the payer assesses its places then.
  private async reassessChild(tenant: string, childId: string, semesters: Semester[], step: Step) {
    const payerId = await this.facts.payerOf(tenant, childId);
    if (payerId) await this.reassess(tenant, payerId, semesters, step);
  }

  private async reassess(tenant: string, payerId: string, semesters: readonly Semester[], step: Step) {
    const places = await this.facts.placesOfPayer(tenant, payerId);
    const waivers = await this.facts.waiversOf(tenant, payerId);
    for (const semester of unique(semesters)) {
      const context = step(`assess:${payerId}:${semesterKey(semester)}`);
      const input = householdInputFor(semester, places, waivers);
      const policy = await this.policies.feePolicy(tenant, semester.schoolYear);
      const assessed = await this.settled(() =>
        this.streams.household(
          payerId,
          {
            type: 'AssessSemesterFees',
            data: {
              assessmentId: eventIdFor(context.commandId, 'assessment', 0),
              payerId,
              semester,
              policy,
              ...input,
            },
          },
          context,
        ),
      );
      const ofTheYear = waivers.filter((w) => w.schoolYear === semester.schoolYear).map((w) => w.applicationId);
      for (const event of assessed?.events ?? []) await this.recordWaiverUse(event, ofTheYear, context);
    }
  }

  /** What an assessment actually waived, per waiver of the household in that year, goes to the year's budget. */
  private async recordWaiverUse(assessed: SemesterFeesAssessed, applicationIds: string[], context: CommandContext) {
    const { schoolYear, term, lines } = assessed.data;
    for (const applicationId of applicationIds) {
      const waived = -sum(
        lines.filter((l) => l.kind === 'WaiverReduction' && l.applicationId === applicationId).map((l) => l.amount),
      );
      await this.settled(() =>
        this.streams.budget(
          schoolYear,
          { type: 'RecordWaiverUse', data: { schoolYear, applicationId, term, amount: waived } },
          { ...context, commandId: eventIdFor(context.commandId, `use:${applicationId}`, 0) },
        ),
      );
    }
  }

  /** A rule that refuses a replayed or overtaken command is the end of that step, not a failure to retry. */
  private async settled<T>(run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.log({ rule: error.name, reason: error.message }, 'step refused');
      return undefined;
    }
  }

  private context(tenant: string, commandId: string, correlationId: string, now: Date): CommandContext {
    return { principal: { subject: 'funding-process', tenant, role: 'system' }, commandId, correlationId, now };
  }
}

const unique = (semesters: readonly Semester[]): Semester[] =>
  [...new Map(semesters.map((s) => [semesterKey(s), s])).values()].sort(compareSemesters);
