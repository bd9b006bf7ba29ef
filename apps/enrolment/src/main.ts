import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { EnrolmentModule } from '#libs/enrolment';
import { PlatformModule, runApp, type Runtime } from '#libs/platform';

@Module({})
class EnrolmentApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return { module: EnrolmentApp, imports: [PlatformModule.forRuntime(runtime), EnrolmentModule] };
  }
}

await runApp({ name: 'enrolment', module: (runtime) => EnrolmentApp.forRuntime(runtime) });
