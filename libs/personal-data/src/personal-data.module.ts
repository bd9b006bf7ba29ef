import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/platform';
import { loadMasterKeyRing } from './master-key.js';
import { EraseSubjectController } from './erase-subject/erase-subject.controller.js';
import { MasterKeyController } from './master-key-rotation/master-key.controller.js';
import { PeopleRegister } from './people-register.js';
import { PERSONAL_DATA_MASTER_KEY, PersonalDataVault } from './personal-data-vault.js';

/** The key store for personal data; needs PG_POOL and APP_CONFIG from the global PlatformModule. */
@Module({
  providers: [
    {
      provide: PERSONAL_DATA_MASTER_KEY,
      useFactory: (config: AppConfig) => loadMasterKeyRing({ env: process.env, dataDir: config.DATA_DIR }),
      inject: [APP_CONFIG],
    },
    PersonalDataVault,
    PeopleRegister,
  ],
  controllers: [EraseSubjectController, MasterKeyController],
  exports: [PersonalDataVault, PeopleRegister],
})
export class PersonalDataModule {}
