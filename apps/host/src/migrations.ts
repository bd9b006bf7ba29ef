import { admissionMigrations } from '#libs/admission';
import { auditMigrations } from '#libs/audit';
import type { Migration } from '#libs/database';
import { fundingMigrations } from '#libs/funding';
import { integrationMigrations } from '#libs/integration';
import { personalDataMigrations } from '#libs/personal-data';
import { projectionsMigrations } from '#libs/projections';
import { statisticsMigrations } from '#libs/statistics';

/** Every migration the all-in-one host needs besides the platform's own (which runApp always applies). */
export const hostMigrations: readonly Migration[] = [
  ...personalDataMigrations,
  ...admissionMigrations,
  ...projectionsMigrations,
  ...integrationMigrations,
  ...fundingMigrations,
  ...statisticsMigrations,
  ...auditMigrations,
];
