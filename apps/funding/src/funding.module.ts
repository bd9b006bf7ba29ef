import { Module, type DynamicModule } from '@nestjs/common';
import { feeWaiversProjection, FundingHttpModule } from '#libs/funding';
import { PlatformModule, PoliciesHttpModule, type Runtime } from '#libs/platform';
import { ProjectionsModule } from '#libs/projections';

// Run on its own, the funding service keeps its fee-waivers read model itself; in the host the projector does.
@Module({})
export class FundingApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: FundingApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        PoliciesHttpModule,
        FundingHttpModule,
        ProjectionsModule.register({ projections: [feeWaiversProjection], run: true }),
      ],
    };
  }
}
