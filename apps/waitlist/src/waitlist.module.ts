import { Module, type DynamicModule } from '@nestjs/common';
import { AdmissionModule } from '#libs/admission';
import { PersonalDataHttpModule } from '#libs/personal-data';
import { PlatformModule, PoliciesHttpModule, type Runtime } from '#libs/platform';
import { WaitlistHttpModule } from '#libs/waitlist';

// The admission process manager runs beside the waitlist: it offers seats and turns accepted offers into places.
@Module({})
export class WaitlistApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: WaitlistApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        PoliciesHttpModule,
        PersonalDataHttpModule,
        WaitlistHttpModule,
        AdmissionModule,
      ],
    };
  }
}
