import { Module } from '@nestjs/common';
import { EraseSubjectController } from './erase-subject/erase-subject.controller.js';
import { MasterKeyController } from './master-key-rotation/master-key.controller.js';
import { PersonalDataModule } from './personal-data.module.js';

/** Erasure and master-key rotation over HTTP: served by the waitlist app (where people are first registered). */
@Module({ imports: [PersonalDataModule], controllers: [EraseSubjectController, MasterKeyController] })
export class PersonalDataHttpModule {}
