import type { Migration } from '#libs/database';
import { payerReferenceMigrations } from './payer-lookup/payer-references.js';
import { relayParkingMigrations } from './relay/relay-parking.js';

/** Tables the integration lib adds (the relay's checkpoint lives in the platform's subscription_checkpoints). */
export const integrationMigrations: Migration[] = [...payerReferenceMigrations, ...relayParkingMigrations];
