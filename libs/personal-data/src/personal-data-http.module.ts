import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EraseSubjectController } from './erase-subject/erase-subject.controller.js';
import { PeopleController } from './http/people.controller.js';
import { PersonLookup } from './look-up-person/look-up-person.js';
import { MasterKeyController } from './master-key-rotation/master-key.controller.js';
import { MergePeopleHandler } from './merge-people/merge-people.handler.js';
import { PersonalDataModule } from './personal-data.module.js';
import { RegisterPersonHandler } from './register-person/register-person.handler.js';
import { ReplaceNationalIdHandler } from './replace-national-id/replace-national-id.handler.js';

const CommandHandlers = [RegisterPersonHandler, ReplaceNationalIdHandler, MergePeopleHandler];

/**
 * People over HTTP (look-up, registration, a new number, merge), erasure and master-key rotation: served by the
 * waitlist app (where people are first registered) and the host.
 */
@Module({
  imports: [PersonalDataModule, CqrsModule],
  controllers: [PeopleController, EraseSubjectController, MasterKeyController],
  providers: [...CommandHandlers, PersonLookup],
})
export class PersonalDataHttpModule {}
