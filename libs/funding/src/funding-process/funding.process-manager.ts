import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '#libs/event-store';
import {
  openingFeeOre,
  type LessonsCancelledBySchool,
  type OfferingFeeChanged,
  type OfferingOpened,
  type PlaceEnrolled,
  type PlaceWithdrawn,
} from '#libs/enrolment';
import type { Pool } from '#libs/database';
import type { ApplicationSubmitted, PlaceOffered } from '#libs/waitlist';
import {
  CheckpointStore,
  Clock,
  EVENT_STORE,
  eventIdFor,
  PG_POOL,
  ProcessManager,
  ProcessManagerSharding,
  stepOf,
  type CommandContext,
  type ProcessStepRefusedData,
  type StepCause,
} from '#libs/platform';
import {
  schoolYearEndsAt,
  semesterKey,
  semesterStart,
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
import {
  childPayerStream,
  feeWaiverStream,
  FundingStreams,
  householdStream,
  waiverBudgetStream,
} from '../shared/funding-streams.js';
import { osloDate } from '#libs/calendar';
import { ApplicationPayers } from './application-payers.js';
import { FundingFacts } from './funding-facts.js';
import {
  compareSemesters,
  householdInputFor,
  lastSemesterOwed,
  semestersOfPlace,
  semestersOfYear,
} from './household-assessment.js';

type Handled =
  | ApplicationSubmitted
  | PlaceOffered
  | LessonsCancelledBySchool
  | OfferingOpened
  | OfferingFeeChanged
  | PlaceEnrolled
  | PlaceWithdrawn
  | ChildPayerRegistered
  | FeeWaiverGranted
  | FeeWaiverRevoked
  | FeeWaiverExpired;

const EVENT_TYPES: Handled['type'][] = [
  'ApplicationSubmitted',
  'PlaceOffered',
  'LessonsCancelledBySchool',
  'OfferingOpened',
  'OfferingFeeChanged',
  'PlaceEnrolled',
  'PlaceWithdrawn',
  'ChildPayerRegistered',
  'FeeWaiverGranted',
  'FeeWaiverRevoked',
  'FeeWaiverExpired',
];

/** A step of the funding process that a funding aggregate refused by a rule, in `<tenant>.funding.process-<id>`. */
export const FUNDING_STEP_REFUSED = 'FundingStepRefused';

/**
 * Keeps every household's fees assessed: a new place, a withdrawal, a new payer or a waiver decision reassesses the
 * semesters it touches, and a waiver whose school year has ended by the clock is expired. At-least-once: each
 * command's id derives from the event that caused it, and an unchanged assessment appends nothing.
 */
@Injectable()
export class FundingProcessManager extends ProcessManager {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PG_POOL) pool: Pool,
    checkpoints: CheckpointStore,
    sharding: ProcessManagerSharding,
    private readonly facts: FundingFacts,
    private readonly applicationPayers: ApplicationPayers,
    private readonly streams: FundingStreams,
    private readonly policies: FundingPolicies,
    private readonly clock: Clock,
  ) {
    super(
      { store, pool, checkpoints, clock, sharding },
      {
        ...{ name: 'funding', context: 'funding', refusedType: FUNDING_STEP_REFUSED },
        ...{ eventTypes: EVENT_TYPES, tickEveryMs: 1000 },
      },
    );
  }

  protected override tick(): Promise<void> {
    return this.expireEndedWaivers();
  }

  /** Sends ExpireWaiver for every granted waiver whose school year has ended by the clock; public so tests can tick. */
  async expireEndedWaivers(): Promise<void> {
    const now = this.clock.now();
    for (const due of await this.facts.waiversDueToExpire(now)) {
      if (!this.owns(due.tenant)) continue;
      const cause = this.deadlineCause(due.tenant, 'WaiverSchoolYearEnded', due.applicationId);
      const context = { ...this.contextFor(cause, 'expire'), now };
      await this.runStep(cause, context, {
        command: 'ExpireWaiver',
        target: { stream: feeWaiverStream(due.tenant, due.applicationId), id: due.applicationId },
        send: () =>
          this.streams.application(
            due.applicationId,
            { type: 'ExpireWaiver', data: { applicationId: due.applicationId } },
            context,
          ),
      });
    }
  }

  /** The refusal is on record for a case worker; a fee that could not be assessed waits for the next change. */
  protected override async onStepRefused(refusal: ProcessStepRefusedData): Promise<void> {
    this.logger.warn({ step: refusal.step, target: refusal.target.stream, rule: refusal.refusal.code }, 'step refused');
  }

  protected override async handle(recorded: RecordedEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    const cause = this.causeOf(recorded);
    const { tenant } = cause;
    switch (event.type) {
      case 'ApplicationSubmitted': {
        const { applicationId, payer } = event.data;
        return payer ? this.applicationPayers.recordApplication(tenant, applicationId, payer) : undefined;
      }
      case 'PlaceOffered':
        return this.applicationPayers.recordOffer(tenant, event.data.offerId, event.data.applicationId);
      case 'OfferingOpened':
        return this.facts.recordOffering(tenant, {
          offeringId: event.data.offeringId,
          schoolYear: event.data.schoolYear,
          feeOre: openingFeeOre(event.data),
        });
      case 'OfferingFeeChanged': {
        const { offeringId, feePerSemesterOre, effectiveFrom } = event.data;
        await this.facts.recordFeeChange(tenant, offeringId, { feePerSemesterOre, effectiveFrom }, recorded.position);
        // The semesters from the change on, of every place in the offering: earlier ones keep their fee lines.
        for (const payerId of await this.facts.payersOfOffering(tenant, offeringId)) {
          const places = (await this.facts.placesOfPayer(tenant, payerId)).filter((p) => p.offeringId === offeringId);
          const semesters = places.flatMap(semestersOfPlace).filter((s) => semesterStart(s) >= effectiveFrom);
          await this.reassess(cause, payerId, semesters, `${payerId}:`);
        }
        return;
      }
      case 'PlaceEnrolled': {
        const { placeId, offeringId, studentId, birthYear, enrolledAt, transferredFrom, continuesFrom } = event.data;
        const { viaOfferId, startsOn } = event.data;
        if (viaOfferId) await this.registerApplicationPayer(cause, studentId, placeId, viaOfferId);
        const offering = await this.facts.offering(tenant, offeringId);
        if (!offering) return this.logger.error({ offeringId, placeId }, 'place in an offering funding never saw');
        const place = {
          placeId,
          offeringId,
          childId: studentId,
          birthYear,
          schoolYear: offering.schoolYear,
          feeOre: offering.feeOre,
          startedOn: startsOn ?? osloDate(enrolledAt),
        };
        const from = transferredFrom
          ? { placeId: transferredFrom.placeId, transferOn: place.startedOn }
          : continuesFrom
            ? { placeId: continuesFrom.placeId, transferOn: null }
            : null;
        await this.facts.recordPlace(tenant, place, from);
        return this.reassessChild(cause, studentId, semestersOfYear(offering.schoolYear));
      }
      case 'PlaceWithdrawn': {
        const { placeId, studentId, effectiveOn, noticeOn } = event.data;
        const owedUpTo = lastSemesterOwed(event.data);
        await this.facts.recordWithdrawal(tenant, placeId, { effectiveOn, noticeOn, owedUpTo });
        const place = await this.facts.place(tenant, placeId);
        return place ? this.reassessChild(cause, studentId, semestersOfPlace(place)) : undefined;
      }
      case 'ChildPayerRegistered': {
        const { childId, payerId, previousPayerId } = event.data;
        await this.facts.recordPayer(tenant, childId, payerId, recorded.position);
        const semesters = unique((await this.facts.placesOfChild(tenant, childId)).flatMap(semestersOfPlace));
        await this.reassess(cause, payerId, semesters);
        // The previous household no longer pays for the child: its semesters are assessed without it.
        if (previousPayerId) await this.reassess(cause, previousPayerId, semesters, 'previous:');
        return;
      }
      case 'FeeWaiverGranted': {
        const { applicationId, householdId, schoolYear, payPercent } = event.data;
        const endsAt = schoolYearEndsAt(schoolYear);
        await this.facts.recordWaiverGranted(tenant, { applicationId, householdId, schoolYear, payPercent, endsAt });
        return this.reassess(cause, householdId, semestersOfYear(schoolYear));
      }
      case 'FeeWaiverRevoked': {
        const { applicationId, householdId, schoolYear, revokedAt } = event.data;
        await this.facts.recordWaiverEnded(tenant, applicationId, 'revoked', osloDate(revokedAt));
        return this.reassess(cause, householdId, semestersOfYear(schoolYear));
      }
      case 'LessonsCancelledBySchool': {
        const { offeringId, schoolYear, term, cancelledLessons } = event.data;
        const semester = { schoolYear: schoolYear as SchoolYear, term };
        await this.facts.recordCancelledLessons(tenant, offeringId, semesterKey(semester), cancelledLessons);
        for (const payerId of await this.facts.payersOfOffering(tenant, offeringId)) {
          await this.reassess(cause, payerId, [semester], `${payerId}:`);
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

  /**
   * A place from an application is billed to the application's payer (the guardian who applied, or the payer it
   * named) unless the child already has one: the child-payer decider decides, and its event assesses the places.
   */
  private async registerApplicationPayer(cause: StepCause, childId: string, placeId: string, offerId: string) {
    const payer = await this.applicationPayers.ofOffer(cause.tenant, offerId);
    if (!payer) return;
    const context = this.contextFor(cause, 'payer');
    const { applicationId, payerId, source } = payer;
    const registeredBy = context.principal.subject;
    await this.runStep(cause, context, {
      command: 'RegisterPayerFromApplication',
      target: { stream: childPayerStream(cause.tenant, childId), id: childId },
      send: () =>
        this.streams.childPayer(
          childId,
          {
            type: 'RegisterPayerFromApplication',
            data: { childId, payerId, source, applicationId, placeId, registeredBy },
          },
          context,
        ),
    });
  }

  // A child without a registered payer is not billed yet: registering the payer assesses its places then.
  private async reassessChild(cause: StepCause, childId: string, semesters: Semester[]) {
    const payerId = await this.facts.payerOf(cause.tenant, childId);
    if (payerId) await this.reassess(cause, payerId, semesters);
  }

  /** `prefix` keeps apart the command ids of the several households one event reassesses. */
  private async reassess(cause: StepCause, payerId: string, semesters: readonly Semester[], prefix = '') {
    const { tenant } = cause;
    const places = await this.facts.placesOfPayer(tenant, payerId);
    const waivers = await this.facts.waiversOf(tenant, payerId);
    for (const semester of unique(semesters)) {
      const context = this.contextFor(cause, `${prefix}assess:${payerId}:${semesterKey(semester)}`);
      const input = householdInputFor(semester, places, waivers);
      const policy = await this.policies.feePolicy(context, semester.schoolYear);
      const assessed = await this.runStep(cause, context, {
        command: 'AssessSemesterFees',
        target: { stream: householdStream(tenant, payerId), id: payerId },
        send: () =>
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
      });
      const ofTheYear = waivers.filter((w) => w.schoolYear === semester.schoolYear).map((w) => w.applicationId);
      for (const event of assessed?.events ?? []) await this.recordWaiverUse(cause, event, ofTheYear, context);
    }
  }

  /** What an assessment actually waived, per waiver of the household in that year, goes to the year's budget. */
  private async recordWaiverUse(
    cause: StepCause,
    assessed: SemesterFeesAssessed,
    applicationIds: string[],
    assessment: CommandContext,
  ) {
    const { schoolYear, term, lines } = assessed.data;
    for (const applicationId of applicationIds) {
      const waived = -sum(
        lines.filter((l) => l.kind === 'WaiverReduction' && l.applicationId === applicationId).map((l) => l.amount),
      );
      const context = stepOf(assessment, `use:${applicationId}`);
      await this.runStep(cause, context, {
        command: 'RecordWaiverUse',
        target: { stream: waiverBudgetStream(cause.tenant, schoolYear), id: schoolYear },
        send: () =>
          this.streams.budget(
            schoolYear,
            { type: 'RecordWaiverUse', data: { schoolYear, applicationId, term, amount: waived } },
            context,
          ),
      });
    }
  }
}

const unique = (semesters: readonly Semester[]): Semester[] =>
  [...new Map(semesters.map((s) => [semesterKey(s), s])).values()].sort(compareSemesters);
