import { Module, type DynamicModule } from '@nestjs/common';
import { EnrolmentReadModule } from '#libs/enrolment';
import { FeeWaiversReadModule } from '#libs/funding';
import { PlatformModule, type Runtime } from '#libs/platform';
import { ProjectionsModule } from '#libs/projections';
import { queriedProjections } from '#libs/read-models';
import { StatisticsModule } from '#libs/statistics';
import { WaitlistReadModule } from '#libs/waitlist';

/** Read models only: this app runs no projections (the projector does), it answers from their tables. */
@Module({})
export class QueryApiApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: QueryApiApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        ProjectionsModule.register({ projections: queriedProjections, run: false }),
        StatisticsModule,
        WaitlistReadModule,
        FeeWaiversReadModule,
        EnrolmentReadModule,
      ],
    };
  }
}
