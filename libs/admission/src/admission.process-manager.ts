import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '#libs/decider';
import type { EventStore, RecordedEvent, Subscription } from '#libs/event-store';
import {
  EnrolStudentCommand,
  holdsAPlace,
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
  startCheckpointedSubscription,
  type CommandContext,
} from '#libs/platform';
import type { Pool } from '#libs/database';
import {
  NobodyIsWaiting,
  osloDate,
  reconfirmationDeadline,
  NoFreeSeatToOffer,
  OfferIsNoLongerOpen,
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

/**
 * Carries a child from the queue to a place: a released seat or raised capacity reaches the waitlist, the waitlist
 * offers free seats to the next child, an accepted offer becomes an enrolment, and a passed deadline expires the offer.
 * At-least-once: every command it sends derives its id from the event that caused it, so a replay appends nothing new.
 */
@Injectable()
export class AdmissionProcessManager implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('admission');
  private readonly deadlines: OfferDeadlines;
  private readonly reconfirmations: ReconfirmationRuns;
  private readonly applicants: ApplicantWaitlists;
  private subscription?: Subscription;
  private ticker?: NodeJS.Timeout;
  private ticking = Promise.resolve();
  private lastReconfirmationCheck = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly checkpoints: CheckpointStore,
    private readonly waitlists: WaitlistStreams,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {
    this.deadlines = new OfferDeadlines(pool);
    this.reconfirmations = new ReconfirmationRuns(pool);
    this.applicants = new ApplicantWaitlists(pool);
  }

  async onApplicationBootstrap(): Promise<void> {
    // One process runs it however many run the app (the lease); the others stand by.
    this.subscription = await startCheckpointedSubscription(
      this.store,
      this.checkpoints,
      { name: 'admission', filter: { eventTypes: EVENT_TYPES }, handle: (event) => this.handle(event) },
      { pool: this.pool },
    );
    this.ticker = setInterval(() => {
      this.ticking = this.ticking
        .then(() => this.expireDueOffers())
        .then(() => this.removeUnconfirmedAtMostEveryMinute())
        .catch((e: unknown) => this.logger.warn(e));
    }, 500);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.ticker);
    await this.ticking;
    await this.subscription?.stop();
  }

  /** Sends ExpireOffer for every offer whose deadline has passed by the clock; public so tests can tick on demand. */
  async expireDueOffers(): Promise<void> {
    for (const due of await this.deadlines.due(this.clock.now())) {
      const context = this.context(due.tenant, eventIdFor(due.offerId, 'expire', 0), due.offerId, this.clock.now());
      await this.ignoreSettled(() =>
        this.waitlists.execute(due.offeringId, { type: 'ExpireOffer', data: { offerId: due.offerId } }, context),
      );
      await this.deadlines.remove(due.tenant, due.offerId);
    }
  }

  /**
   * Once the spring reconfirmation deadline before a school year has passed, removes the entries not reconfirmed for
   * it, once per waitlist and school year; public so tests can run it on demand.
   */
  // Each tenant's deadline comes from its rules, so the check reads the waitlists: not on every tick.
  private async removeUnconfirmedAtMostEveryMinute(): Promise<void> {
    if (Date.now() - this.lastReconfirmationCheck < 60_000) return;
    this.lastReconfirmationCheck = Date.now();
    await this.removeUnconfirmed();
  }

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
      const context = this.context(tenant, eventIdFor(offeringId, `reconfirm-${schoolYear}`, 0), offeringId, now);
      await this.ignoreSettled(() =>
        this.waitlists.execute(offeringId, { type: 'RemoveUnconfirmed', data: { schoolYear } }, context),
      );
      await this.reconfirmations.done(tenant, offeringId, schoolYear);
    }
  }

  private async handle(recorded: RecordedEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    const tenant = recorded.metadata.tenant;
    const step = (name: string, index = 0) =>
      this.context(
        tenant,
        eventIdFor(recorded.eventId, name, index),
        recorded.metadata.correlationId,
        this.clock.now(),
      );
    switch (event.type) {
      case 'WaitlistOpened':
        return this.reconfirmations.waitlistOpened(tenant, event.data.offeringId);
      case 'OfferingOpened': {
        const { offeringId, programme, capacity } = event.data;
        await this.ignoreSettled(() =>
          this.waitlists.execute(offeringId, { type: 'OpenWaitlist', data: { offeringId, programme } }, step('open')),
        );
        return this.seats(offeringId, 'RecordFreedSeats', capacity, step('seats'));
      }
      case 'CapacityChanged': {
        const { offeringId, previousCapacity, capacity } = event.data;
        // Raised capacity arrives as SeatsReleased; a lowered one takes seats the waitlist may no longer fill.
        if (capacity < previousCapacity) {
          return this.seats(offeringId, 'RecordTakenSeats', previousCapacity - capacity, step('seats'));
        }
        return;
      }
      case 'SeatsReleased':
        return this.seats(event.data.offeringId, 'RecordFreedSeats', event.data.count, step('seats'));
      case 'PlaceEnrolled':
        // A seat filled from an offer was counted when the offer was accepted; any other enrolment takes one now.
        if (event.data.viaOfferId === null) {
          return this.seats(event.data.offeringId, 'RecordTakenSeats', 1, step('seats'));
        }
        return;
      case 'PlaceOffered':
        return this.deadlines.add({ tenant, ...event.data });
      case 'OfferAccepted':
        await this.deadlines.remove(tenant, event.data.offerId);
        return this.enrol(tenant, event.data, step('enrol'));
      case 'OfferDeclined':
      case 'OfferLapsed':
        await this.deadlines.remove(tenant, event.data.offerId);
        return this.offerFreeSeats(event.data.offeringId, step);
      case 'ApplicationWithdrawn':
        if (event.data.offerId) await this.deadlines.remove(tenant, event.data.offerId);
        return this.offerFreeSeats(event.data.offeringId, step);
      case 'ApplicationSubmitted': {
        const { childId, offeringId, hasPlace } = event.data;
        await this.applicants.applied(tenant, childId, offeringId);
        // The child may have got or given up a place since the application read it: rank it right before offering.
        // The places as they are now, not as of the event: replays and races converge on the current truth.
        const placed = await holdsAPlace(this.store, tenant, childId);
        if (placed !== hasPlace) await this.rerank(offeringId, childId, placed, step('rank'));
        return this.offerFreeSeats(offeringId, step);
      }
      case 'StudentPlaceTaken':
      case 'StudentPlaceGivenUp': {
        const { studentId } = event.data;
        const placed = await holdsAPlace(this.store, tenant, studentId);
        const waitlists = await this.applicants.of(tenant, studentId);
        for (const [index, offeringId] of waitlists.entries()) {
          await this.rerank(offeringId, studentId, placed, step('rank', index));
        }
        return;
      }
      case 'UnconfirmedApplicationRemoved':
      case 'SeatsFreed':
        return this.offerFreeSeats(event.data.offeringId, step);
      default:
        return;
    }
  }

  /** Offers seats while the waitlist has free seats not under offer and children waiting. */
  private async offerFreeSeats(offeringId: string, step: (name: string, index?: number) => CommandContext) {
    for (let index = 0; index < 1000; index++) {
      const context = step('offer', index);
      const offerId = eventIdFor(context.commandId, 'offer', 0);
      try {
        const { events } = await this.waitlists.execute(offeringId, { type: 'OfferSeat', data: { offerId } }, context);
        if (events.length === 0) return;
      } catch (error) {
        if (error instanceof NoFreeSeatToOffer || error instanceof NobodyIsWaiting) return;
        if (error instanceof DomainError) return this.logger.log({ offeringId, reason: error.message }, 'no offer');
        throw error;
      }
    }
  }

  private async rerank(offeringId: string, childId: string, hasPlace: boolean, context: CommandContext) {
    await this.ignoreSettled(() =>
      this.waitlists.execute(offeringId, { type: 'RecordApplicantPlaces', data: { childId, hasPlace } }, context),
    );
  }

  private async seats(
    offeringId: string,
    type: 'RecordFreedSeats' | 'RecordTakenSeats',
    count: number,
    context: CommandContext,
  ) {
    await this.ignoreSettled(() => this.waitlists.execute(offeringId, { type, data: { count } }, context));
  }

  private async enrol(
    tenant: string,
    offer: { offeringId: string; offerId: string; applicationId: string; childId: string },
    context: CommandContext,
  ) {
    const history = await this.store.readStream(waitlistStream(tenant, offer.offeringId));
    const submitted = history.find(
      (e) =>
        e.type === 'ApplicationSubmitted' &&
        (e.data as ApplicationSubmitted['data']).applicationId === offer.applicationId,
    )?.data as ApplicationSubmitted['data'] | undefined;
    if (!submitted) return this.logger.error({ offer }, 'accepted offer without its application');
    const dimensions = submitted.dimensions ?? { gender: 'unknown' as const, district: 'Midtbyen', school: null };
    await this.ignoreSettled(() =>
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
    );
  }

  /** A rule that refuses a replayed or overtaken command is the expected end of that step, not a failure. */
  private async ignoreSettled(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (!(error instanceof OfferIsNoLongerOpen)) this.logger.log({ reason: error.message }, 'step refused');
    }
  }

  private context(tenant: string, commandId: string, correlationId: string, now: Date): CommandContext {
    return {
      principal: { subject: 'admission-process', tenant, role: 'system' },
      commandId,
      correlationId,
      now,
    };
  }
}
