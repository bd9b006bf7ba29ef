import 'reflect-metadata';
import { integrationMigrations } from '#libs/integration';
import { runApp } from '#libs/platform';
import { RelayApp } from './relay.module.js';

await runApp({ name: 'relay', module: (runtime) => RelayApp.forRuntime(runtime), migrations: integrationMigrations });
