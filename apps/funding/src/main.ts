import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { feeWaiversProjection, fundingMigrations, FundingModule } from '#libs/funding';
import { personalDataMigrations } from '#libs/personal-data';
import { PlatformModule, runApp, type Runtime } from '#libs/platform';
import { projectionsMigrations, ProjectionsModule } from '#libs/projections';

// Run on its own, the funding service keeps its fee-waivers read model itself; in the host the projector does.
@Module({})
class FundingApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: FundingApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        FundingModule,
        ProjectionsModule.register({ projections: [feeWaiversProjection], run: true }),
      ],
    };
  }
}

await runApp({
  name: 'funding',
  module: (runtime) => FundingApp.forRuntime(runtime),
  migrations: [...personalDataMigrations, ...projectionsMigrations, ...fundingMigrations],
});
