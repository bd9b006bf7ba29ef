import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventStore, RecordedEvent } from '#libs/event-store';
import {
  EnrolmentStreams,
  EnrolStudentCommand,
  holdsAPlace,
  OfferingIsClosed,
  OfferingIsFull,
  offeringStream,
  ReservationIsSettled,
  type District,
  type OfferingEvent,
  type ReservationReleaseReason,
  type StudentEvent,
  WithdrawPlaceCommand,
} from '#libs/enrolment';
import {
  CheckpointStore,
  Clock,
  EVENT_STORE,
  eventIdFor,
  PG_POOL,
  ProcessManager,
  ProcessManagerSharding,
  type CommandContext,
  type ProcessStepRefusedData,
  type StepCause,
} from '#libs/platform';
import type { Pool } from '#libs/database';
import {
  ApplicationAlreadyExists,
  ApplicationNotFound,
  mainAdmissionDay,
  MainAdmissionHasNotRun,
  SchoolYearHasEnded,
  NobodyIsWaiting,
  NoMainAdmission,
  OfferAlreadyExists,
  OfferingAdmitsByAudition,
  OfferIsNoLongerOpen,
  OneApplicationPerChild,
  osloDate,
  reconfirmationDeadline,
  WaitlistIsAlreadyOpen,
  WaitlistIsNotOpen,
  waitlistStream,
  WaitlistStreams,
  type ApplicationSubmitted,
  type OfferAccepted,
  type WaitlistEvent,
} from '#libs/waitlist';
import {
  ApplicantWaitlists,
  MainAdmissions,
  OfferDeadlines,
  ReconfirmationRuns,
  SeatHolds,
} from './offer-deadlines.js';
import { waitingToCarryOver } from './waitlist-carry-over.js';

type Handled = OfferingEvent | WaitlistEvent | StudentEvent;

const EVENT_TYPES: Handled['type'][] = [
  'OfferingOpened',
  'WaitlistOpened',
  'SeatsReleased',
  'SeatReservationReleased',
  'PlaceWithdrawn',
  'PlaceTransferredOut',
  'PlaceContinued',
  'ApplicationSubmitted',
  'ApplicationWithdrawn',
  'PlaceOffered',
  'OfferAccepted',
  'OfferDeclined',
  'OfferLapsed',
  'MainAdmissionRun',
  'ApplicantPlacesChanged',
  'StudentPlaceTaken',
  'StudentPlaceGivenUp',
  'StudentMovedOut',
];

// A waitlist is its offering's: refusals on either side are recorded under the offering's id.
const waitlistOf = (tenant: string, offeringId: string) => ({
  stream: waitlistStream(tenant, offeringId),
  id: offeringId,
});
const offeringOf = (tenant: string, offeringId: string) => ({
  stream: offeringStream(tenant, offeringId),
  id: offeringId,
});

/** A step of admission that waitlist or enrolment refused by a rule, in `<tenant>.admission.process-<offeringId>`. */
export const ADMISSION_STEP_REFUSED = 'AdmissionStepRefused';

/** Nothing to offer now: no child may take a seat yet, or the queue is not how this offering admits. */
const NOTHING_TO_OFFER = [
  NobodyIsWaiting,
  OfferingAdmitsByAudition,
  MainAdmissionHasNotRun,
  WaitlistIsNotOpen,
  SchoolYearHasEnded,
];

/**
 * Carries a child from the queue to a place. The offering holds every seat: an offer first sets a seat aside there
 * (SeatReserved), so no direct enrolment, capacity cut or other offer can take it; the accepted offer's place fills
 * it, and an offer that ends otherwise (declined, lapsed, withdrawn, or refused by enrolment) releases it to the next
 * child. At-least-once: every command it sends derives its id from the event that caused it, so a replay appends
 * nothing new.
 */
@Injectable()
export class AdmissionProcessManager extends ProcessManager {
  private readonly deadlines: OfferDeadlines;
  private readonly reconfirmations: ReconfirmationRuns;
  private readonly applicants: ApplicantWaitlists;
  private readonly holds: SeatHolds;
  private readonly mainAdmissions: MainAdmissions;
  private lastDailyCheck = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) pool: Pool,
    checkpoints: CheckpointStore,
    sharding: ProcessManagerSharding,
    private readonly waitlists: WaitlistStreams,
    private readonly enrolment: EnrolmentStreams,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {
    super(
      { store, pool, checkpoints, clock, sharding },
      {
        ...{ name: 'admission', context: 'admission', refusedType: ADMISSION_STEP_REFUSED },
        ...{ eventTypes: EVENT_TYPES, tickEveryMs: 500 },
      },
    );
    this.deadlines = new OfferDeadlines(pool);
    this.reconfirmations = new ReconfirmationRuns(pool);
    this.applicants = new ApplicantWaitlists(pool);
    this.holds = new SeatHolds(pool);
    this.mainAdmissions = new MainAdmissions(pool);
  }

  protected override async tick(): Promise<void> {
    await this.expireDueOffers();
    await this.dailyAtMostEveryMinute();
  }

  /** Sends ExpireOffer for every offer whose deadline has passed by the clock; public so tests can tick on demand. */
  async expireDueOffers(): Promise<void> {
    for (const due of await this.deadlines.due(this.clock.now())) {
      if (!this.owns(due.tenant)) continue;
      const cause = this.deadlineCause(due.tenant, 'OfferDeadlinePassed', due.offerId);
      const context = this.contextFor(cause, 'expire');
      await this.runStep(cause, context, {
        command: 'ExpireOffer',
        target: waitlistOf(due.tenant, due.offeringId),
        // Answered before the deadline was seen: the answer settles the offer.
        settledBy: [OfferIsNoLongerOpen],
        send: () =>
          this.waitlists.execute(due.offeringId, { type: 'ExpireOffer', data: { offerId: due.offerId } }, context),
      });
      await this.deadlines.remove(due.tenant, due.offerId);
    }
  }

  // Calendar-day rules read each tenant's rules or many streams: not on every tick.
  private async dailyAtMostEveryMinute(): Promise<void> {
    if (Date.now() - this.lastDailyCheck < 60_000) return;
    this.lastDailyCheck = Date.now();
    await this.removeUnconfirmed();
    await this.releaseEndedSeats();
    await this.runDueMainAdmissions();
  }

  /**
   * Once the spring reconfirmation deadline before a school year has passed, removes the entries not reconfirmed for
   * it, once per waitlist and school year; public so tests can run it on demand.
   */
  async removeUnconfirmed(): Promise<void> {
    const now = this.clock.now();
    const year = Number(osloDate(now.toISOString()).slice(0, 4));
    const schoolYear = `${year}-${year + 1}`;
    const deadlines = new Map<string, string>(); // per tenant: each may have its own rule
    for (const { tenant, offeringId } of await this.reconfirmations.notYetRun(schoolYear)) {
      if (!this.owns(tenant)) continue;
      const deadline =
        deadlines.get(tenant) ??
        reconfirmationDeadline(schoolYear, (await this.waitlists.policiesFor(tenant))(schoolYear));
      deadlines.set(tenant, deadline);
      if (osloDate(now.toISOString()) <= deadline) continue;
      const cause = this.deadlineCause(tenant, 'ReconfirmationDeadlinePassed', offeringId);
      const context = { ...this.contextFor(cause, `reconfirm-${schoolYear}`), now };
      await this.runStep(cause, context, {
        command: 'RemoveUnconfirmed',
        target: waitlistOf(tenant, offeringId),
        send: () => this.waitlists.execute(offeringId, { type: 'RemoveUnconfirmed', data: { schoolYear } }, context),
      });
      await this.reconfirmations.done(tenant, offeringId, schoolYear);
    }
  }

  /** Frees the seats of places whose last day has passed (their offerings then offer them); public for tests. */
  async releaseEndedSeats(): Promise<void> {
    const today = osloDate(this.clock.now().toISOString());
    for (const { tenant, offeringId } of await this.holds.ended(today)) {
      if (!this.owns(tenant)) continue;
      const cause = this.deadlineCause(tenant, 'PlaceLastDayPassed', `${offeringId}/${today}`);
      const context = this.contextFor(cause, 'release-ended');
      await this.runStep(cause, context, {
        command: 'ReleaseEndedSeats',
        target: offeringOf(tenant, offeringId),
        send: () => this.enrolment.offering(offeringId, { type: 'ReleaseEndedSeats', data: {} }, context),
      });
      await this.holds.released(tenant, offeringId, today);
    }
  }

  /** Runs each coming school year's main admission on its day, unless a caseworker already ran it; public for tests. */
  async runDueMainAdmissions(): Promise<void> {
    const today = osloDate(this.clock.now().toISOString());
    for (const { tenant, offeringId, schoolYear } of await this.mainAdmissions.notYetRun()) {
      if (!this.owns(tenant)) continue;
      const policies = await this.waitlists.policiesFor(tenant);
      if (today < mainAdmissionDay(schoolYear, policies(schoolYear))) continue;
      const cause = this.deadlineCause(tenant, 'MainAdmissionDay', `${offeringId}/${schoolYear}`);
      const context = this.contextFor(cause, 'main-admission');
      await this.runStep(cause, context, {
        command: 'RunMainAdmission',
        target: waitlistOf(tenant, offeringId),
        // The school year began before its day came round (an offering opened late): it offers at once anyway.
        settledBy: [NoMainAdmission, OfferingAdmitsByAudition],
        send: () => this.waitlists.execute(offeringId, { type: 'RunMainAdmission', data: {} }, context),
      });
      await this.mainAdmissions.ran(tenant, offeringId);
    }
  }

  protected override async handle(recorded: RecordedEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    const cause = this.causeOf(recorded);
    const { tenant } = cause;
    switch (event.type) {
      case 'WaitlistOpened': {
        const { offeringId, schoolYear } = event.data;
        await this.reconfirmations.waitlistOpened(tenant, offeringId);
        if (schoolYear) await this.mainAdmissions.planned(tenant, offeringId, schoolYear);
        return this.offerFreeSeats(cause, offeringId);
      }
      case 'OfferingOpened': {
        const { offeringId, programme, schoolYear } = event.data;
        const context = this.contextFor(cause, 'open');
        await this.runStep(cause, context, {
          command: 'OpenWaitlist',
          target: waitlistOf(tenant, offeringId),
          settledBy: [WaitlistIsAlreadyOpen],
          send: () =>
            this.waitlists.execute(
              offeringId,
              { type: 'OpenWaitlist', data: { offeringId, programme, schoolYear } },
              context,
            ),
        });
        if (event.data.continuesOfferingId) await this.carryOver(cause, event.data.continuesOfferingId, offeringId);
        return;
      }
      case 'PlaceWithdrawn':
      case 'PlaceTransferredOut':
      case 'PlaceContinued': {
        const { offeringId, placeId, seatHeldThrough } = event.data;
        if (seatHeldThrough) await this.holds.add(tenant, offeringId, placeId, seatHeldThrough);
        return;
      }
      case 'SeatsReleased':
      case 'SeatReservationReleased':
      case 'MainAdmissionRun':
      case 'ApplicantPlacesChanged':
        if (event.type === 'MainAdmissionRun') await this.mainAdmissions.ran(tenant, event.data.offeringId);
        return this.offerFreeSeats(cause, event.data.offeringId);
      case 'PlaceOffered':
        return this.deadlines.add({ tenant, ...event.data });
      case 'OfferAccepted':
        await this.deadlines.remove(tenant, event.data.offerId);
        return this.enrol(cause, event.data);
      case 'OfferDeclined':
        await this.deadlines.remove(tenant, event.data.offerId);
        return this.releaseSeat(cause, event.data, 'offer declined');
      case 'OfferLapsed':
        await this.deadlines.remove(tenant, event.data.offerId);
        return this.releaseSeat(cause, event.data, 'offer lapsed');
      case 'ApplicationWithdrawn': {
        const { offerId, offeringId } = event.data;
        if (!offerId) return;
        await this.deadlines.remove(tenant, offerId);
        return this.releaseSeat(cause, { offeringId, offerId }, 'application withdrawn');
      }
      case 'ApplicationSubmitted': {
        const { childId, offeringId, hasPlace } = event.data;
        // The child may have got or given up a place since the application read it: rank it right before offering.
        // The places as they are now, not as of the event: replays and races converge on the current truth. The
        // student and the rules the offer will be decided under are asked for together (one read of the store).
        const [, placed] = await Promise.all([
          this.applicants.applied(tenant, childId, offeringId),
          holdsAPlace(this.store, tenant, childId),
          this.waitlists.rulesFor(this.contextFor(cause, 'offer')),
        ]);
        if (placed !== hasPlace) await this.rerank(cause, offeringId, childId, placed);
        return this.offerFreeSeats(cause, offeringId);
      }
      case 'StudentPlaceTaken':
      case 'StudentPlaceGivenUp': {
        const { studentId } = event.data;
        const placed = await holdsAPlace(this.store, tenant, studentId);
        // A place the school ended with its offering is not given up: a child passed over for it stays so (F5).
        const gaveUpAPlace = event.type === 'StudentPlaceGivenUp' && event.data.endedWithItsOffering !== true;
        const waitlists = await this.applicants.of(tenant, studentId);
        for (const [index, offeringId] of waitlists.entries()) {
          await this.rerank(cause, offeringId, studentId, placed, index, gaveUpAPlace);
        }
        return;
      }
      case 'StudentMovedOut':
        return this.endEligibility(cause, event.data);
      default:
        return;
    }
  }

  /**
   * Enrolment refused the place an accepted offer was for: the waitlist records it (the child's entry keeps its
   * position or ends, as the policy says), and the offer's seat is released, which offers it to the next child.
   * Other refusals are on record for the worklist and need no follow-up here.
   */
  protected override async onStepRefused(refusal: ProcessStepRefusedData, recorded: RecordedEvent): Promise<void> {
    this.logger.warn({ step: refusal.step, target: refusal.target.stream, rule: refusal.refusal.code }, 'step refused');
    if (refusal.step !== 'EnrolStudent' || !refusal.trigger.eventId) return;
    const offeringId = refusal.target.id;
    const accepted = await this.acceptedOffer(recorded.metadata.tenant, offeringId, refusal.trigger.eventId);
    if (!accepted) return this.logger.error({ refusal }, 'refused enrolment without its accepted offer');
    const cause = this.causeOf(recorded);
    const { offerId } = accepted;
    const context = this.contextFor(cause, 'admission-refused');
    const { code, message } = refusal.refusal;
    await this.runStep(cause, context, {
      command: 'RecordRefusedAdmission',
      target: waitlistOf(cause.tenant, offeringId),
      send: () =>
        this.waitlists.execute(
          offeringId,
          { type: 'RecordRefusedAdmission', data: { offerId, refusal: { code, message } } },
          context,
        ),
    });
    await this.releaseSeat(cause, { offeringId, offerId }, 'admission refused');
  }

  private async acceptedOffer(tenant: string, offeringId: string, eventId: string) {
    const history = await this.store.readStream(waitlistStream(tenant, offeringId));
    const accepted = history.find((e) => e.eventId === eventId && e.type === 'OfferAccepted');
    return accepted?.data as OfferAccepted['data'] | undefined;
  }

  /**
   * Offers seats while a child may take one: the waitlist names the next child (checked first, so an empty queue
   * reserves nothing), the offering sets a seat aside, then the waitlist records the offer. A seat set aside for an
   * offer the waitlist then refuses (the queue emptied meanwhile) is released again.
   */
  /**
   * Rollover: the children waiting on the previous year's offering wait on in its successor, in their order. Each is
   * added there first (a derived id: a redelivery adds nobody twice), then its old entry ends as carried over; a child
   * who already applied to the successor keeps that application and the old entry ends with its year.
   */
  private async carryOver(cause: StepCause, fromOfferingId: string, toOfferingId: string) {
    const carried = await waitingToCarryOver(this.store, cause.tenant, fromOfferingId, toOfferingId);
    for (const [index, { submit, withdraw }] of carried.entries()) {
      const added = this.contextFor(cause, 'carry-over', index);
      await this.runStep(cause, added, {
        command: submit.type,
        target: waitlistOf(cause.tenant, toOfferingId),
        settledBy: [ApplicationAlreadyExists, OneApplicationPerChild],
        send: () => this.waitlists.execute(toOfferingId, submit, added),
      });
      const there = await this.store.readStream(waitlistStream(cause.tenant, toOfferingId));
      if (
        !there.some(
          (e) =>
            e.type === 'ApplicationSubmitted' &&
            (e.data as ApplicationSubmitted['data']).applicationId === submit.data.applicationId,
        )
      )
        continue;
      const ended = this.contextFor(cause, 'carried-over', index);
      await this.runStep(cause, ended, {
        command: withdraw.type,
        target: waitlistOf(cause.tenant, fromOfferingId),
        settledBy: [ApplicationNotFound],
        send: () => this.waitlists.execute(fromOfferingId, withdraw, ended),
      });
    }
  }

  private async offerFreeSeats(cause: StepCause, offeringId: string) {
    const { tenant } = cause;
    for (let index = 0; index < 1000; index++) {
      const context = this.contextFor(cause, 'offer', index);
      const offerId = eventIdFor(context.commandId, 'offer', 0);
      const offerSeat = { type: 'OfferSeat' as const, data: { offerId } };
      try {
        await this.waitlists.check(offeringId, offerSeat, context);
      } catch (error) {
        if (error instanceof OfferAlreadyExists) continue; // a replay: this step's offer was made before
        if (NOTHING_TO_OFFER.some((settled) => error instanceof settled)) return;
        throw error;
      }
      const reserveContext = this.contextFor(cause, 'reserve', index);
      const reserved = await this.runStep(cause, reserveContext, {
        command: 'ReserveSeat',
        target: offeringOf(tenant, offeringId),
        // A full or closed offering has no seat to offer; a settled reservation is a replay of an offer that ended.
        settledBy: [OfferingIsFull, OfferingIsClosed, ReservationIsSettled],
        send: () => this.enrolment.offering(offeringId, { type: 'ReserveSeat', data: { offerId } }, reserveContext),
      });
      if (!reserved) return;
      const offered = await this.runStep(cause, context, {
        command: 'OfferSeat',
        target: waitlistOf(tenant, offeringId),
        settledBy: NOTHING_TO_OFFER,
        send: () => this.waitlists.execute(offeringId, offerSeat, context),
      });
      if (!offered || offered.events.length === 0) {
        return this.releaseSeat(cause, { offeringId, offerId }, 'nobody to offer', index);
      }
    }
  }

  private async releaseSeat(
    cause: StepCause,
    offer: { offeringId: string; offerId: string },
    reason: ReservationReleaseReason,
    index = 0,
  ) {
    const context = this.contextFor(cause, 'release', index);
    await this.runStep(cause, context, {
      command: 'ReleaseReservation',
      target: offeringOf(cause.tenant, offer.offeringId),
      send: () =>
        this.enrolment.offering(
          offer.offeringId,
          { type: 'ReleaseReservation', data: { offerId: offer.offerId, reason } },
          context,
        ),
    });
  }

  /**
   * Rule 1: a child who moved out of the municipality leaves every waitlist now (with that reason; an offer it held
   * goes to the next child) and its places end on its last eligible day, each through the withdrawal path. A refused
   * step is recorded (AdmissionStepRefused) for a caseworker to settle.
   */
  private async endEligibility(cause: StepCause, movedOut: Extract<StudentEvent, { type: 'StudentMovedOut' }>['data']) {
    const { tenant } = cause;
    const { studentId, eligibleUntil, places } = movedOut;
    for (const [index, offeringId] of (await this.applicants.of(tenant, studentId)).entries()) {
      const context = this.contextFor(cause, 'moved-out', index);
      const command = { type: 'RemoveMovedOutChild' as const, data: { childId: studentId } };
      await this.runStep(cause, context, {
        command: command.type,
        target: waitlistOf(tenant, offeringId),
        send: () => this.waitlists.execute(offeringId, command, context),
      });
    }
    for (const [index, { offeringId, placeId }] of places.entries()) {
      const context = this.contextFor(cause, 'moved-out-place', index);
      await this.runStep(cause, context, {
        command: 'WithdrawPlace',
        target: offeringOf(tenant, offeringId),
        send: () =>
          this.commands.execute(new WithdrawPlaceCommand({ offeringId, placeId, effectiveOn: eligibleUntil }, context)),
      });
    }
  }

  private async rerank(
    cause: StepCause,
    offeringId: string,
    childId: string,
    hasPlace: boolean,
    index = 0,
    gaveUpAPlace = false,
  ) {
    const context = this.contextFor(cause, 'rank', index);
    const data = { childId, hasPlace, ...(gaveUpAPlace ? { gaveUpAPlace } : {}) };
    await this.runStep(cause, context, {
      command: 'RecordApplicantPlaces',
      target: waitlistOf(cause.tenant, offeringId),
      send: () => this.waitlists.execute(offeringId, { type: 'RecordApplicantPlaces', data }, context),
    });
  }

  private async enrol(
    cause: StepCause,
    offer: { offeringId: string; offerId: string; applicationId: string; childId: string },
  ) {
    const history = await this.store.readStream(waitlistStream(cause.tenant, offer.offeringId));
    const submitted = history.find(
      (e) =>
        e.type === 'ApplicationSubmitted' &&
        (e.data as ApplicationSubmitted['data']).applicationId === offer.applicationId,
    )?.data as ApplicationSubmitted['data'] | undefined;
    if (!submitted) return this.logger.error({ offer }, 'accepted offer without its application');
    const dimensions = submitted.dimensions ?? { gender: 'unknown' as const, district: 'Midtbyen', school: null };
    const context: CommandContext = this.contextFor(cause, 'enrol');
    await this.runStep(cause, context, {
      command: 'EnrolStudent',
      // The place is written last to the offering (after the student's): its stream tells a replay from a refusal.
      target: offeringOf(cause.tenant, offer.offeringId),
      send: () =>
        this.commands.execute(
          new EnrolStudentCommand(
            {
              offeringId: offer.offeringId,
              studentId: offer.childId,
              birthYear: Number(submitted.born.slice(0, 4)),
              gender: dimensions.gender,
              district: dimensions.district as District,
              school: dimensions.school ?? 'unknown',
              ...(dimensions.fromOtherMunicipality ? { fromOtherMunicipality: true } : {}),
              viaOfferId: offer.offerId,
            },
            context,
          ),
        ),
    });
  }
}
