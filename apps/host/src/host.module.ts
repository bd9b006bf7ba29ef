import { Module, type DynamicModule } from '@nestjs/common';
import { PersonalDataHttpModule } from '#libs/personal-data';
import { AdmissionModule } from '#libs/admission';
import { AuditModule } from '#libs/audit';
import { DashboardHostModule } from '#libs/dashboard-host';
import {
  ChangeStudentDistrictHandler,
  EnrolmentHttpModule,
  EnrolmentModule,
  EnrolmentReadModule,
} from '#libs/enrolment';
import { FundingHttpModule } from '#libs/funding';
import { AddressChangesModule, PayerLookupModule, RelayModule } from '#libs/integration';
import {
  PlatformModule,
  PoliciesHttpModule,
  projectionSharding,
  RegistersHttpModule,
  type Runtime,
} from '#libs/platform';
import { ProjectionsModule } from '#libs/projections';
import { registeredProjections } from '#libs/read-models';
import { StatisticsModule } from '#libs/statistics';
import { WaitlistHttpModule } from '#libs/waitlist';

/** Every service in one process: the embedded default. Production runs each app on its own (apps/<app>). */
@Module({})
export class HostModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: HostModule,
      imports: [
        PlatformModule.forRuntime(runtime),
        PoliciesHttpModule,
        RegistersHttpModule,
        PersonalDataHttpModule,
        EnrolmentHttpModule,
        EnrolmentReadModule,
        WaitlistHttpModule,
        AdmissionModule,
        FundingHttpModule,
        ProjectionsModule.register({
          projections: registeredProjections,
          run: true,
          sharding: projectionSharding(runtime.config),
        }),
        RelayModule,
        PayerLookupModule,
        StatisticsModule,
        AuditModule,
        // The school's own screens at /dashboard/, over the query API (ADR 0015).
        DashboardHostModule.forRuntime(runtime),
        // With a broker, the population register's address changes update students' districts.
        ...(runtime.config.KAFKA_BROKERS
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
