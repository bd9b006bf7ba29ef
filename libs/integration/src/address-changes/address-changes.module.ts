import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_CONFIG, Metrics, type AppConfig } from '#libs/platform';
import { ADDRESS_CHANGED_TOPIC } from './address-change.js';
import { AddressChangesController } from './address-changes.controller.js';
import { ADDRESS_CHANGES_GROUP, STUDENT_DISTRICT_TENANT } from './address-changes.options.js';
import { registerConsumerLag } from './consumer-lag.js';
import { StudentDistrictUpdater } from './student-district-updater.js';

const CONSUMER_LAG = Symbol('CONSUMER_LAG');

/**
 * The inbound consumer; the app gives it the enrolment context's StudentDistrictUpdater and the tenant, and the
 * consumer group when it connects the transport with another than the default.
 */
@Module({})
export class AddressChangesModule {
  static forUpdater(
    updater: Omit<Provider<StudentDistrictUpdater>, 'provide'>,
    tenant: string,
    imports: DynamicModule['imports'] = [],
    groupId = ADDRESS_CHANGES_GROUP,
  ): DynamicModule {
    return {
      module: AddressChangesModule,
      imports,
      controllers: [AddressChangesController],
      providers: [
        { ...updater, provide: StudentDistrictUpdater } as Provider,
        { provide: STUDENT_DISTRICT_TENANT, useValue: tenant },
        {
          // The consumer's lag on this app's /metrics, read from the brokers the transport is connected to.
          provide: CONSUMER_LAG,
          inject: [APP_CONFIG, Metrics],
          useFactory: (config: AppConfig, metrics: Metrics) => {
            const brokers = config.KAFKA_BROKERS?.split(',');
            if (brokers) registerConsumerLag(metrics.registry, { brokers, groupId, topic: ADDRESS_CHANGED_TOPIC });
            return brokers !== undefined;
          },
        },
      ],
    };
  }
}
