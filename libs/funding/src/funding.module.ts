import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PersonalDataModule } from '#libs/personal-data';
import { ApplyForWaiverHandler } from './apply-for-waiver/apply-for-waiver.handler.js';
import { AssessApplicationHandler } from './assess-application/assess-application.handler.js';
import { FeeWaiversController } from './fee-waivers/fee-waivers.controller.js';
import { FeeWaiversQuery } from './fee-waivers/fee-waivers.query.js';
import { ApplicationPayers } from './funding-process/application-payers.js';
import { FundingFacts } from './funding-process/funding-facts.js';
import { FundingProcessManager } from './funding-process/funding.process-manager.js';
import { BudgetsController } from './http/budgets.controller.js';
import { PayersController } from './http/payers.controller.js';
import { WaiversController } from './http/waivers.controller.js';
import { RegisterPayerHandler } from './register-payer/register-payer.handler.js';
import { RevokeWaiverHandler } from './revoke-waiver/revoke-waiver.handler.js';
import { SetWaiverBudgetHandler } from './set-waiver-budget/set-waiver-budget.handler.js';
import { UnbillablePlacesController } from './unbillable-places/unbillable-places.controller.js';
import { FundingPolicies } from './shared/funding-policies.js';
import { FundingStreams } from './shared/funding-streams.js';
import { HouseholdIncomes } from './shared/household-incomes.js';

const CommandHandlers = [
  ApplyForWaiverHandler,
  AssessApplicationHandler,
  RevokeWaiverHandler,
  SetWaiverBudgetHandler,
  RegisterPayerHandler,
];
const Controllers = [WaiversController, BudgetsController, PayersController];
const Services = [FundingStreams, FundingPolicies, HouseholdIncomes, FundingFacts, ApplicationPayers];

/** Funding's read models' queries alone (fee waivers, the unbillable-places worklist), for the query API too. */
@Module({
  // The people register: the unbillable-places worklist names children to the roles allowed names.
  imports: [PersonalDataModule],
  controllers: [FeeWaiversController, UnbillablePlacesController],
  providers: [FeeWaiversQuery],
  exports: [FeeWaiversQuery],
})
export class FeeWaiversReadModule {}

/**
 * The funding service: fee waivers and their budget, payers, and the process that assesses each household's fees from
 * the enrolment events. Owns the `<tenant>.funding.*` streams. The fee-waivers read model is a projection
 * (`feeWaiversProjection`) that the app running the projection runner registers. No routes: FundingHttpModule serves
 * them.
 */
@Module({
  imports: [CqrsModule, PersonalDataModule],
  providers: [...CommandHandlers, ...Services, FundingProcessManager],
  exports: [FundingStreams, FundingPolicies, FundingProcessManager, CqrsModule],
})
export class FundingModule {}

/** Funding's routes (commands and the fee-waiver queries), for the funding app and the host. */
@Module({ imports: [FundingModule, FeeWaiversReadModule], controllers: Controllers })
export class FundingHttpModule {}
