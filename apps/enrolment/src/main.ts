import 'reflect-metadata';
import { addressChangeConsumerOptions } from '#libs/integration';
import { personalDataMigrations } from '#libs/personal-data';
import { runApp } from '#libs/platform';
import { EnrolmentApp } from './enrolment.module.js';

await runApp({
  name: 'enrolment',
  module: (runtime) => EnrolmentApp.forRuntime(runtime),
  // Enrolment checks every student and pupil against the people register.
  migrations: personalDataMigrations,
  beforeListen: async (app, runtime) => {
    const brokers = runtime.config.KAFKA_BROKERS;
    if (!brokers) return;
    app.connectMicroservice(addressChangeConsumerOptions(brokers.split(',')));
    await app.startAllMicroservices();
  },
});
