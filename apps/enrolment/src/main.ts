import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { ChangeStudentDistrictHandler, EnrolmentModule } from '#libs/enrolment';
import { AddressChangesModule, addressChangeConsumerOptions } from '#libs/integration';
import { PlatformModule, runApp, type Runtime } from '#libs/platform';

/** Enrolment owns the student streams, so it also consumes the population register's address changes. */
@Module({})
class EnrolmentApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    const brokers = runtime.config.KAFKA_BROKERS;
    return {
      module: EnrolmentApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        EnrolmentModule,
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

await runApp({
  name: 'enrolment',
  module: (runtime) => EnrolmentApp.forRuntime(runtime),
  beforeListen: async (app, runtime) => {
    const brokers = runtime.config.KAFKA_BROKERS;
    if (!brokers) return;
    app.connectMicroservice(addressChangeConsumerOptions(brokers.split(',')));
    await app.startAllMicroservices();
  },
});
