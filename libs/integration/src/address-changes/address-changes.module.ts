import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { AddressChangesController } from './address-changes.controller.js';
import { STUDENT_DISTRICT_TENANT } from './address-changes.options.js';
import { StudentDistrictUpdater } from './student-district-updater.js';

/** The inbound consumer; the app gives it the enrolment context's StudentDistrictUpdater and the tenant. */
@Module({})
export class AddressChangesModule {
  static forUpdater(
    updater: Omit<Provider<StudentDistrictUpdater>, 'provide'>,
    tenant: string,
    imports: DynamicModule['imports'] = [],
  ): DynamicModule {
    return {
      module: AddressChangesModule,
      imports,
      controllers: [AddressChangesController],
      providers: [
        { ...updater, provide: StudentDistrictUpdater } as Provider,
        { provide: STUDENT_DISTRICT_TENANT, useValue: tenant },
      ],
    };
  }
}
