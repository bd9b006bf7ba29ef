import { Module, type DynamicModule } from '@nestjs/common';
import { EnrolmentModule } from '#libs/enrolment';
import { PlatformModule, type Runtime } from '#libs/platform';

/** Every service in one process: the embedded default. Production runs each app on its own (apps/<app>). */
@Module({})
export class HostModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: HostModule, imports: [PlatformModule.forRuntime(runtime), EnrolmentModule] };
  }
}
