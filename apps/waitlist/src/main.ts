import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { personalDataMigrations } from '#libs/personal-data';
import { PlatformModule, runApp, type Runtime } from '#libs/platform';
import { WaitlistModule } from '#libs/waitlist';

// The admission process manager runs beside the waitlist: it offers seats and turns accepted offers into places.
@Module({})
class WaitlistApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: WaitlistApp, imports: [PlatformModule.forRuntime(runtime), WaitlistModule, AdmissionModule] };
  }
}

await runApp({
  name: 'waitlist',
  module: (runtime) => WaitlistApp.forRuntime(runtime),
  migrations: [...personalDataMigrations, ...admissionMigrations],
});
