import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventStore, RecordedEvent } from '#libs/event-store';
import {
  EnrolStudentCommand,
  holdsAPlace,
  offeringStream,
  type District,
  type OfferingEvent,
  type StudentEvent,
} from '#libs/enrolment';
import {
  CheckpointStore,
  Clock,
  EVENT_STORE,
  eventIdFor,
  PG_POOL,
  ProcessManager,
  type CommandContext,
  type ProcessStepRefusedData,
  type StepCause,
} from '#libs/platform';
import type { Pool } from '#libs/database';
import {
  NobodyIsWaiting,
  NoFreeSeatToOffer,
  OfferingAdmitsByAudition,
  OfferIsNoLongerOpen,
  osloDate,
  reconfirmationDeadline,
  WaitlistIsAlreadyOpen,
  waitlistStream,
  WaitlistStreams,
  type ApplicationSubmitted,
  type WaitlistEvent,
} from '#libs/waitlist';
import { ApplicantWaitlists, OfferDeadlines, ReconfirmationRuns } from './offer-deadlines.js';

type Handled = OfferingEvent | WaitlistEvent | StudentEvent;

const EVENT_TYPES: Handled['type'][] = [
  'OfferingOpened',
  'WaitlistOpened',
  'CapacityChanged',
  'SeatsReleased',
  'PlaceEnrolled',
  'ApplicationSubmitted',
  'ApplicationWithdrawn',
  'UnconfirmedApplicationRemoved',
  'SeatsFreed',
  'PlaceOffered',
  'OfferAccepted',
  'OfferDeclined',
  'OfferLapsed',
  'StudentPlaceTaken',
  'StudentPlaceGivenUp',
];

// A waitlist is its offering's: refusals on either side are recorded under the offering's id.
const waitlistOf = (tenant: string, offeringId: string) => ({
  stream: waitlistStream(tenant, offeringId),
  id: offeringId,
});

/** A step of admission that waitlist or enrolment refused by a rule, in `<tenant>.admission.process-<offeringId>`. */
export const ADMISSION_STEP_REFUSED = 'AdmissionStepRefused';

/**
 * Carries a child from the queue to a place: a released seat or raised capacity reaches the waitlist, the waitlist
 * offers free seats to the next child, an accepted offer becomes an enrolment, and a passed deadline expires the offer.
 * At-least-once: every command it sends derives its id from the event that caused it, so a replay appends nothing new.
 */
@Injectable()
export class AdmissionProcessManager extends ProcessManager {
  private readonly deadlines: OfferDeadlines;
  private readonly reconfirmations: ReconfirmationRuns;
  private readonly applicants: ApplicantWaitlists;
  private lastReconfirmationCheck = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) pool: Pool,
    checkpoints: CheckpointStore,
    private readonly waitlists: WaitlistStreams,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {
    super(
      { store, pool, checkpoints, clock },
      {
        ...{ name: 'admission', context: 'admission', refusedType: ADMISSION_STEP_REFUSED },
        ...{ eventTypes: EVENT_TYPES, tickEveryMs: 500 },
      },
    );
    this.deadlines = new OfferDeadlines(pool);
    this.reconfirmations = new ReconfirmationRuns(pool);
    this.applicants = new ApplicantWaitlists(pool);
  }

  protected override async tick(): Promise<void> {
    await this.expireDueOffers();
    await this.removeUnconfirmedAtMostEveryMinute();
  }

  /** Sends ExpireOffer for every offer whose deadline has passed by the clock; public so tests can tick on demand. */
  async expireDueOffers(): Promise<void> {
    for (const due of await this.deadlines.due(this.clock.now())) {
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

  // Each tenant's deadline comes from its rules, so the check reads the waitlists: not on every tick.
  private async removeUnconfirmedAtMostEveryMinute(): Promise<void> {
    if (Date.now() - this.lastReconfirmationCheck < 60_000) return;
    this.lastReconfirmationCheck = Date.now();
    await this.removeUnconfirmed();
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

  protected override async handle(recorded: RecordedEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    const cause = this.causeOf(recorded);
    const { tenant } = cause;
    switch (event.type) {
      case 'WaitlistOpened':
        return this.reconfirmations.waitlistOpened(tenant, event.data.offeringId);
      case 'OfferingOpened': {
        const { offeringId, programme, capacity } = event.data;
        const context = this.contextFor(cause, 'open');
        await this.runStep(cause, context, {
          command: 'OpenWaitlist',
          target: waitlistOf(tenant, offeringId),
          settledBy: [WaitlistIsAlreadyOpen],
          send: () =>
            this.waitlists.execute(offeringId, { type: 'OpenWaitlist', data: { offeringId, programme } }, context),
        });
        return this.seats(cause, offeringId, 'RecordFreedSeats', capacity);
      }
      case 'CapacityChanged': {
        const { offeringId, previousCapacity, capacity } = event.data;
        // Raised capacity arrives as SeatsReleased; a lowered one takes seats the waitlist may no longer fill.
        if (capacity < previousCapacity) {
          return this.seats(cause, offeringId, 'RecordTakenSeats', previousCapacity - capacity);
        }
        return;
      }
      case 'SeatsReleased':
        return this.seats(cause, event.data.offeringId, 'RecordFreedSeats', event.data.count);
      case 'PlaceEnrolled':
        // A seat filled from an offer was counted when the offer was accepted; any other enrolment takes one now.
        if (event.data.viaOfferId === null) {
          return this.seats(cause, event.data.offeringId, 'RecordTakenSeats', 1);
        }
        return;
      case 'PlaceOffered':
        return this.deadlines.add({ tenant, ...event.data });
      case 'OfferAccepted':
        await this.deadlines.remove(tenant, event.data.offerId);
        return this.enrol(cause, event.data);
      case 'OfferDeclined':
      case 'OfferLapsed':
        await this.deadlines.remove(tenant, event.data.offerId);
        return this.offerFreeSeats(cause, event.data.offeringId);
      case 'ApplicationWithdrawn':
        if (event.data.offerId) await this.deadlines.remove(tenant, event.data.offerId);
        return this.offerFreeSeats(cause, event.data.offeringId);
      case 'ApplicationSubmitted': {
        const { childId, offeringId, hasPlace } = event.data;
        await this.applicants.applied(tenant, childId, offeringId);
        // The child may have got or given up a place since the application read it: rank it right before offering.
        // The places as they are now, not as of the event: replays and races converge on the current truth.
        const placed = await holdsAPlace(this.store, tenant, childId);
        if (placed !== hasPlace) await this.rerank(cause, offeringId, childId, placed);
        return this.offerFreeSeats(cause, offeringId);
      }
      case 'StudentPlaceTaken':
      case 'StudentPlaceGivenUp': {
        const { studentId } = event.data;
        const placed = await holdsAPlace(this.store, tenant, studentId);
        const waitlists = await this.applicants.of(tenant, studentId);
        for (const [index, offeringId] of waitlists.entries()) {
          await this.rerank(cause, offeringId, studentId, placed, index);
        }
        return;
      }
      case 'UnconfirmedApplicationRemoved':
      case 'SeatsFreed':
        return this.offerFreeSeats(cause, event.data.offeringId);
      default:
        return;
    }
  }

  /**
   * The refusal is on record (the worklist reads it). An accepted offer whose enrolment was refused keeps its seat
   * counted as taken on the waitlist: handing that seat on to the next child is a later issue, so nothing more yet.
   */
  protected override async onStepRefused(refusal: ProcessStepRefusedData): Promise<void> {
    this.logger.warn({ step: refusal.step, target: refusal.target.stream, rule: refusal.refusal.code }, 'step refused');
  }

  /** Offers seats while the waitlist has free seats not under offer and children waiting. */
  private async offerFreeSeats(cause: StepCause, offeringId: string) {
    for (let index = 0; index < 1000; index++) {
      const context = this.contextFor(cause, 'offer', index);
      const offerId = eventIdFor(context.commandId, 'offer', 0);
      const offered = await this.runStep(cause, context, {
        command: 'OfferSeat',
        target: waitlistOf(cause.tenant, offeringId),
        // No seat, nobody waiting, or seats that go by audition: the queue has nothing to offer, which is no refusal.
        settledBy: [NoFreeSeatToOffer, NobodyIsWaiting, OfferingAdmitsByAudition],
        send: () => this.waitlists.execute(offeringId, { type: 'OfferSeat', data: { offerId } }, context),
      });
      if (!offered || offered.events.length === 0) return;
    }
  }

  private async rerank(cause: StepCause, offeringId: string, childId: string, hasPlace: boolean, index = 0) {
    const context = this.contextFor(cause, 'rank', index);
    await this.runStep(cause, context, {
      command: 'RecordApplicantPlaces',
      target: waitlistOf(cause.tenant, offeringId),
      send: () =>
        this.waitlists.execute(offeringId, { type: 'RecordApplicantPlaces', data: { childId, hasPlace } }, context),
    });
  }

  private async seats(
    cause: StepCause,
    offeringId: string,
    type: 'RecordFreedSeats' | 'RecordTakenSeats',
    count: number,
  ) {
    const context = this.contextFor(cause, 'seats');
    await this.runStep(cause, context, {
      command: type,
      target: waitlistOf(cause.tenant, offeringId),
      send: () => this.waitlists.execute(offeringId, { type, data: { count } }, context),
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
      target: { stream: offeringStream(cause.tenant, offer.offeringId), id: offer.offeringId },
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
              viaOfferId: offer.offerId,
            },
            context,
          ),
        ),
    });
  }
}
