import { Inject, Injectable } from '@nestjs/common';
import { fold } from '#libs/decider';
import { streamName, type EventStore } from '#libs/event-store';
import { EVENT_STORE, StreamCommandHandler, type CommandContext, type WithoutMetadata } from '#libs/platform';
import {
  childPayerDecider,
  feeWaiverApplicationDecider,
  householdFeesDecider,
  waiverBudgetDecider,
  type ChildPayerCommand,
  type FeeWaiverCommand,
  type FeeWaiverEvent,
  type HouseholdFeesCommand,
  type WaiverBudgetCommand,
} from '../domain/index.js';

export const feeWaiverStream = (tenant: string, applicationId: string): string =>
  streamName(tenant, 'funding', 'fee-waiver', applicationId);
export const waiverBudgetStream = (tenant: string, schoolYear: string): string =>
  streamName(tenant, 'funding', 'waiver-budget', schoolYear);
export const householdStream = (tenant: string, payerId: string): string =>
  streamName(tenant, 'funding', 'household', payerId);
export const childPayerStream = (tenant: string, childId: string): string =>
  streamName(tenant, 'funding', 'child', childId);

/** The funding context's aggregates, each run through load–decide–append with the command's time. */
@Injectable()
export class FundingStreams {
  constructor(
    private readonly streams: StreamCommandHandler,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The current state of an application, for handlers that must look before they decide (e.g. read the income). */
  async applicationState(tenant: string, applicationId: string) {
    const history = await this.store.readStream(feeWaiverStream(tenant, applicationId));
    return fold(
      feeWaiverApplicationDecider,
      history.map((e) => ({ type: e.type, data: e.data }) as FeeWaiverEvent),
    );
  }

  /** Decides without appending, so a command can be refused before anything else (personal data) is written. */
  checkApplication(applicationId: string, command: WithoutMetadata<FeeWaiverCommand>, context: CommandContext) {
    return this.streams.checkIn(feeWaiverStream, applicationId, feeWaiverApplicationDecider, command, context);
  }

  application(applicationId: string, command: WithoutMetadata<FeeWaiverCommand>, context: CommandContext) {
    return this.streams.handleIn(feeWaiverStream, applicationId, feeWaiverApplicationDecider, command, context);
  }

  checkBudget(schoolYear: string, command: WithoutMetadata<WaiverBudgetCommand>, context: CommandContext) {
    return this.streams.checkIn(waiverBudgetStream, schoolYear, waiverBudgetDecider, command, context);
  }

  budget(schoolYear: string, command: WithoutMetadata<WaiverBudgetCommand>, context: CommandContext) {
    return this.streams.handleIn(waiverBudgetStream, schoolYear, waiverBudgetDecider, command, context);
  }

  household(payerId: string, command: WithoutMetadata<HouseholdFeesCommand>, context: CommandContext) {
    return this.streams.handleIn(householdStream, payerId, householdFeesDecider, command, context);
  }

  childPayer(childId: string, command: WithoutMetadata<ChildPayerCommand>, context: CommandContext) {
    return this.streams.handleIn(childPayerStream, childId, childPayerDecider, command, context);
  }
}
