import 'reflect-metadata';
import { addressChangeConsumerOptions } from '#libs/integration';
import { runApp } from '#libs/platform';
import { EnrolmentApp } from './enrolment.module.js';

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
