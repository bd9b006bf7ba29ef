import { Module } from '@nestjs/common';
import { StatisticsController } from './http/statistics.controller.js';

/**
 * The statistics query routes. The projection itself (`statisticsProjection`) is registered with the projector's
 * ProjectionsModule; its reference data comes with `statisticsMigrations`.
 */
@Module({ controllers: [StatisticsController] })
export class StatisticsModule {}
