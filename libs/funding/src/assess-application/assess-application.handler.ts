import { ForbiddenException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, stepOf, type CommandContext } from '#libs/platform';
import {
  ApplicationAlreadyDecided,
  ApplicationNotFound,
  percentOf,
  type AssessApplication as AssessApplicationDecision,
  type FeeWaiverEvent,
} from '../domain/index.js';
import { FundingFacts } from '../funding-process/funding-facts.js';
import { FundingPolicies } from '../shared/funding-policies.js';
import { FundingStreams } from '../shared/funding-streams.js';
import { HouseholdIncomes } from '../shared/household-incomes.js';
import type { AssessApplicationRequest } from './assess-application.request.js';

export class AssessApplicationCommand extends BusCommand<{ applicationId: string; body: AssessApplicationRequest }> {}

/**
 * Reads the encrypted income, lets the decider judge it by the year's schedule, and lets it go: only the decided level
 * is written and returned. A grant is first allocated on the year's budget (beyond it only with an admin's override),
 * so a waiver never stands without its allocation; if the grant then fails, the allocation is released again.
 */
@CommandHandler(AssessApplicationCommand)
export class AssessApplicationHandler implements ICommandHandler<AssessApplicationCommand> {
  constructor(
    private readonly streams: FundingStreams,
    private readonly incomes: HouseholdIncomes,
    private readonly policies: FundingPolicies,
    private readonly facts: FundingFacts,
  ) {}

  async execute({ data: { applicationId, body }, context }: AssessApplicationCommand) {
    const { tenant, role, subject } = context.principal;
    if (body.budgetOverride && role !== 'admin') throw new ForbiddenException('Only an admin may override the budget');
    const state = await this.streams.applicationState(tenant, applicationId);
    if (state.status === 'NotApplied') throw new ApplicationNotFound(applicationId);
    if (state.status !== 'Pending') throw new ApplicationAlreadyDecided(applicationId, state.status);
    const command: Omit<AssessApplicationDecision, 'metadata'> = {
      type: 'AssessApplication',
      data: {
        applicationId,
        caseworkerId: subject,
        householdIncome: await this.incomes.read(tenant, state.householdId, applicationId),
        policy: await this.policies.waiverPolicy(context, state.schoolYear),
        rejectionReason: body.rejectionReason ?? null,
      },
    };
    const decided = await this.streams.checkApplication(applicationId, command, context);
    const granted = decided.find((e) => e.type === 'FeeWaiverGranted');
    if (granted?.type === 'FeeWaiverGranted') {
      await this.allocate(state.schoolYear, applicationId, state.householdId, granted.data.payPercent, body, context);
    }
    try {
      const { events, revision } = await this.streams.application(applicationId, command, context);
      return { applicationId, ...outcome(events), revision };
    } catch (error) {
      // Best effort: if even the release fails, the allocation stays and shows in the budget as held, not lost.
      if (granted) await this.release(state.schoolYear, applicationId, context).catch(() => undefined);
      throw error;
    }
  }

  // The estimate: the waived share of a year's fees for the household's places that year (at least one place).
  private async allocate(
    schoolYear: string,
    applicationId: string,
    householdId: string,
    payPercent: number,
    body: AssessApplicationRequest,
    context: CommandContext,
  ) {
    const places = await this.facts.placeCountOfPayer(context.principal.tenant, householdId, schoolYear);
    const fees = await this.policies.feePolicy(context, schoolYear);
    const yearlyFee = fees.baseFeePerSemester * 2 * Math.max(1, places);
    const override = body.budgetOverride
      ? { adminId: context.principal.subject, reason: body.budgetOverride.reason }
      : null;
    await this.streams.budget(
      schoolYear,
      {
        type: 'AllocateWaiver',
        data: { schoolYear, applicationId, amount: percentOf(yearlyFee, 100 - payPercent), override },
      },
      stepOf(context, 'allocate'),
    );
  }

  private async release(schoolYear: string, applicationId: string, context: CommandContext) {
    await this.streams.budget(
      schoolYear,
      { type: 'ReleaseWaiver', data: { schoolYear, applicationId, reason: 'the grant it was allocated for failed' } },
      stepOf(context, 'release'),
    );
  }
}

const outcome = (events: FeeWaiverEvent[]) => {
  const [event] = events;
  if (event?.type === 'FeeWaiverGranted') {
    return { decision: 'Granted', level: event.data.level, payPercent: event.data.payPercent };
  }
  if (event?.type === 'FeeWaiverRejected') return { decision: 'Rejected', reason: event.data.reason };
  return { decision: 'Unchanged' };
};
