import 'reflect-metadata';
import { admissionMigrations } from '#libs/admission';
import { personalDataMigrations } from '#libs/personal-data';
import { runApp } from '#libs/platform';
import { WaitlistApp } from './waitlist.module.js';

await runApp({
  name: 'waitlist',
  module: (runtime) => WaitlistApp.forRuntime(runtime),
  migrations: [...personalDataMigrations, ...admissionMigrations],
});
