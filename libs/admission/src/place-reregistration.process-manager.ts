import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '#libs/event-store';
import {
  EnrolmentStreams,
  giveUpQuittingPlaces,
  offeringStream,
  reregistrationDays,
  type OfferingOpened,
} from '#libs/enrolment';
import {
  CheckpointStore,
  Clock,
  EVENT_STORE,
  PG_POOL,
  ProcessManager,
  ProcessManagerSharding,
  type ProcessStepRefusedData,
} from '#libs/platform';
import type { Pool } from '#libs/database';
import { osloDate, schoolYearOf } from '#libs/calendar';
import { PlaceReregistrations, type ReregistrationStage } from './offer-deadlines.js';

const STAGES: readonly ReregistrationStage[] = ['none', 'requested', 'reminded', 'silenced'];

/**
 * Rule 6 for places, by the calendar: on the policy's request day every place of the current school year is asked
 * to continue or quit (PlaceReregistrationRequested, on Kafka for the municipality's notification service), on the
 * reminder day those who have not answered are reminded, and the day after the deadline silence is applied as the
 * policy says (continue, or quit at the year's end). Each stage runs once per offering; the offering's decider asks
 * no place twice, so a repeated run writes nothing.
 */
@Injectable()
export class PlaceReregistrationProcessManager extends ProcessManager {
  private readonly offerings: PlaceReregistrations;
  private lastDailyCheck = 0;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PG_POOL) pool: Pool,
    checkpoints: CheckpointStore,
    sharding: ProcessManagerSharding,
    private readonly enrolment: EnrolmentStreams,
    private readonly clock: Clock,
  ) {
    super(
      { store, pool, checkpoints, clock, sharding },
      {
        ...{ name: 'reregistration', context: 'admission', refusedType: 'AdmissionStepRefused' },
        ...{ eventTypes: ['OfferingOpened'], tickEveryMs: 1000 },
      },
    );
    this.offerings = new PlaceReregistrations(pool);
  }

  protected override async tick(): Promise<void> {
    if (Date.now() - this.lastDailyCheck < 60_000) return;
    this.lastDailyCheck = Date.now();
    await this.runDueReregistrations();
  }

  protected override async handle(recorded: RecordedEvent): Promise<void> {
    const { offeringId, schoolYear } = (recorded as unknown as OfferingOpened).data;
    await this.offerings.opened(this.causeOf(recorded).tenant, offeringId, schoolYear);
  }

  protected override async onStepRefused(refusal: ProcessStepRefusedData): Promise<void> {
    this.logger.warn({ step: refusal.step, target: refusal.target.stream, rule: refusal.refusal.code }, 'step refused');
  }

  /** Takes each offering of the current school year to the stage today calls for; public so tests can run it. */
  async runDueReregistrations(): Promise<void> {
    const now = this.clock.now();
    const today = osloDate(now.toISOString());
    const schoolYear = schoolYearOf(today);
    for (const { tenant, offeringId, stage } of await this.offerings.unfinished(schoolYear)) {
      if (!this.owns(tenant)) continue;
      const policy = (await this.enrolment.policiesFor(tenant))(schoolYear);
      const { requestOn, reminderOn, deadline } = reregistrationDays(schoolYear, policy);
      const due: ReregistrationStage =
        today > deadline ? 'silenced' : today >= reminderOn ? 'reminded' : today >= requestOn ? 'requested' : 'none';
      // A stage missed (the process was down) runs before the later one, so nobody is reminded unasked.
      for (const next of STAGES.slice(STAGES.indexOf(stage) + 1, STAGES.indexOf(due) + 1)) {
        const cause = this.deadlineCause(tenant, 'PlaceReregistration', `${offeringId}/${schoolYear}/${next}`);
        const context = { ...this.contextFor(cause, next), now };
        const target = { stream: offeringStream(tenant, offeringId), id: offeringId };
        if (next === 'requested') {
          const command = { type: 'RequestReregistration' as const, data: { deadline } };
          await this.runStep(cause, context, {
            command: command.type,
            target,
            send: () => this.enrolment.offering(offeringId, command, context),
          });
        } else if (next === 'reminded') {
          const command = { type: 'RemindReregistration' as const, data: {} };
          await this.runStep(cause, context, {
            command: command.type,
            target,
            send: () => this.enrolment.offering(offeringId, command, context),
          });
        } else {
          const command = {
            type: 'ApplyReregistrationSilence' as const,
            data: { silence: policy.silenceOnReregistration },
          };
          await this.runStep(cause, context, {
            command: command.type,
            target,
            send: async () => {
              // A silent quit gives the student's place up first, as every withdrawal does.
              await giveUpQuittingPlaces(
                this.enrolment,
                await this.enrolment.checkOffering(offeringId, command, context),
                context,
              );
              return this.enrolment.offering(offeringId, command, context);
            },
          });
        }
        await this.offerings.reached(tenant, offeringId, next);
      }
    }
  }
}
