import 'reflect-metadata';
import { auditMigrations } from '#libs/audit';
import { personalDataMigrations } from '#libs/personal-data';
import { runApp } from '#libs/platform';
import { projectionsMigrations } from '#libs/projections';
import { AuditApp } from './audit.module.js';

await runApp({
  name: 'audit',
  module: (runtime) => AuditApp.forRuntime(runtime),
  // The history reads the people register and the projector's index; the anchors have tables of their own.
  migrations: [...personalDataMigrations, ...projectionsMigrations, ...auditMigrations],
});
