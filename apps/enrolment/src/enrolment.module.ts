import { Module, type DynamicModule } from '@nestjs/common';
import { ChangeStudentDistrictHandler, EnrolmentHttpModule, EnrolmentModule } from '#libs/enrolment';
import { AddressChangesModule } from '#libs/integration';
import { PlatformModule, PoliciesHttpModule, RegistersHttpModule, type Runtime } from '#libs/platform';

/** Enrolment owns the student streams, so it also consumes the population register's address changes. */
@Module({})
export class EnrolmentApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    const brokers = runtime.config.KAFKA_BROKERS;
    return {
      module: EnrolmentApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        PoliciesHttpModule,
        RegistersHttpModule,
        EnrolmentHttpModule,
        ...(brokers
          ? [
              AddressChangesModule.forUpdater(
                { useExisting: ChangeStudentDistrictHandler },
                runtime.config.DEFAULT_TENANT,
                [EnrolmentModule],
              ),
            ]
          : []),
      ],
    };
  }
}
