import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ChangeCapacityController } from './change-capacity/change-capacity.controller.js';
import { ChangeCapacityHandler } from './change-capacity/change-capacity.handler.js';
import { CloseOfferingController } from './close-offering/close-offering.controller.js';
import { CloseOfferingHandler } from './close-offering/close-offering.handler.js';
import { OpenOfferingController } from './open-offering/open-offering.controller.js';
import { OpenOfferingHandler } from './open-offering/open-offering.handler.js';

const CommandHandlers = [OpenOfferingHandler, ChangeCapacityHandler, CloseOfferingHandler];
const Controllers = [OpenOfferingController, ChangeCapacityController, CloseOfferingController];

/** The enrolment service: offerings, places, Kulturdag. Owns the `<tenant>.enrolment.*` streams and writes no other. */
@Module({ imports: [CqrsModule], controllers: Controllers, providers: CommandHandlers })
export class EnrolmentModule {}
