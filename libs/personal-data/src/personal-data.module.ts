import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/platform';
import { loadMasterKeyRing } from './master-key.js';
import { PersonalDataIntake } from './intake/personal-data-intake.js';
import { PeopleRegister } from './people-register.js';
import { PERSONAL_DATA_MASTER_KEY, PersonalDataVault } from './personal-data-vault.js';

/**
 * The key store for personal data; needs PG_POOL and APP_CONFIG from the global PlatformModule. No routes: every
 * context that holds personal data imports it; PersonalDataHttpModule serves erasure and key rotation.
 */
@Module({
  providers: [
    {
      provide: PERSONAL_DATA_MASTER_KEY,
      useFactory: ({ NODE_ENV, PERSONAL_DATA_MASTER_KEY, PERSONAL_DATA_PREVIOUS_MASTER_KEYS, DATA_DIR }: AppConfig) =>
        loadMasterKeyRing({
          env: { NODE_ENV, PERSONAL_DATA_MASTER_KEY, PERSONAL_DATA_PREVIOUS_MASTER_KEYS },
          dataDir: DATA_DIR,
        }),
      inject: [APP_CONFIG],
    },
    PersonalDataVault,
    PeopleRegister,
    PersonalDataIntake,
  ],
  exports: [PersonalDataVault, PeopleRegister, PersonalDataIntake],
})
export class PersonalDataModule {}
