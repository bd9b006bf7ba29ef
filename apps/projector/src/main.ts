import 'reflect-metadata';
import { runApp } from '#libs/platform';
import { projectionsMigrations } from '#libs/projections';
import { ProjectorApp } from './projector.module.js';

await runApp({
  name: 'projector',
  module: (runtime) => ProjectorApp.forRuntime(runtime),
  migrations: projectionsMigrations,
});
