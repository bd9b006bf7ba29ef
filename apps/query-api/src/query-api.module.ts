import { Module, type DynamicModule } from '@nestjs/common';
import { FeeWaiversReadModule, feeWaiversProjection } from '#libs/funding';
import { PlatformModule, type Runtime } from '#libs/platform';
import { offeringsProjection, ProjectionsModule } from '#libs/projections';
import { StatisticsModule, statisticsProjection } from '#libs/statistics';
import { WaitlistReadModule, waitlistQueueProjection } from '#libs/waitlist';

/** Read models only: this app runs no projections (the projector does), it answers from their tables. */
@Module({})
export class QueryApiApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: QueryApiApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        ProjectionsModule.register({
          projections: [statisticsProjection, offeringsProjection, waitlistQueueProjection, feeWaiversProjection],
          run: false,
        }),
        StatisticsModule,
        WaitlistReadModule,
        FeeWaiversReadModule,
      ],
    };
  }
}
