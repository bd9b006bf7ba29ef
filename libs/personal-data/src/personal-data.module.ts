import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/platform';
import { loadOrCreateMasterKey } from './master-key.js';
import { EraseSubjectController } from './erase-subject/erase-subject.controller.js';
import { PeopleRegister } from './people-register.js';
import { PERSONAL_DATA_MASTER_KEY, PersonalDataVault } from './personal-data-vault.js';

/** The key store for personal data; needs PG_POOL and APP_CONFIG from the global PlatformModule. */
@Module({
  providers: [
    {
      provide: PERSONAL_DATA_MASTER_KEY,
      useFactory: (config: AppConfig) => loadOrCreateMasterKey({ env: process.env, dataDir: config.DATA_DIR }),
      inject: [APP_CONFIG],
    },
    PersonalDataVault,
    PeopleRegister,
  ],
  controllers: [EraseSubjectController],
  exports: [PersonalDataVault, PeopleRegister],
})
export class PersonalDataModule {}
