import { Module } from '@nestjs/common';
import { EquityController } from './equity/equity.controller.js';
import { StatisticsController } from './http/statistics.controller.js';
import { KeptSummarySteps } from './queries/kept-summary-steps.js';

/**
 * The statistics query routes. The projection itself (`statisticsProjection`) is registered with the projector's
 * ProjectionsModule; its reference data comes with `statisticsMigrations`.
 */
@Module({ controllers: [StatisticsController, EquityController], providers: [KeptSummarySteps] })
export class StatisticsModule {}
