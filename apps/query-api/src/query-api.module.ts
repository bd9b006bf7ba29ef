import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Runtime } from '#libs/platform';
import { offeringsProjection, ProjectionsModule } from '#libs/projections';
import { StatisticsModule, statisticsProjection } from '#libs/statistics';

/** Read models only: this app runs no projections (the projector does), it answers from their tables. */
@Module({})
export class QueryApiApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: QueryApiApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        ProjectionsModule.register({ projections: [statisticsProjection, offeringsProjection], run: false }),
        StatisticsModule,
      ],
    };
  }
}
