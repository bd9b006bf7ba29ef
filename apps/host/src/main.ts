import 'reflect-metadata';
import { addressChangeConsumerOptions } from '#libs/integration';
import { runApp } from '#libs/platform';
import { setupOpenApi } from '#libs/query';
import { HostModule } from './host.module.js';
import { hostMigrations } from './migrations.js';

await runApp({
  name: 'host (all services)',
  module: (runtime) => HostModule.forRuntime(runtime),
  migrations: hostMigrations,
  docsPath: '/docs',
  dashboardPath: '/dashboard/',
  beforeListen: async (app, runtime) => {
    await setupOpenApi(app, {
      title: 'Kulturskole platform',
      description: 'Commands of enrolment, waitlist and funding; read models; audit. Bearer token on every call.',
      version: '1',
    });
    if (runtime.config.KAFKA_BROKERS) {
      app.connectMicroservice(addressChangeConsumerOptions(runtime.config.KAFKA_BROKERS.split(',')));
      await app.startAllMicroservices();
    }
  },
});
