import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CancelledLessonsController } from './cancelled-lessons/cancelled-lessons.controller.js';
import { ChangeStudentDistrictHandler } from './change-district/change-district.handler.js';
import { ChangeCapacityController } from './change-capacity/change-capacity.controller.js';
import { ChangeCapacityHandler } from './change-capacity/change-capacity.handler.js';
import { CloseOfferingController } from './close-offering/close-offering.controller.js';
import { CloseOfferingHandler } from './close-offering/close-offering.handler.js';
import { EnrolStudentController } from './enrol-student/enrol-student.controller.js';
import { EnrolStudentHandler } from './enrol-student/enrol-student.handler.js';
import { KulturdagController } from './kulturdag/kulturdag.controller.js';
import { LeaveController } from './leave/leave.controller.js';
import { OpenOfferingController } from './open-offering/open-offering.controller.js';
import { OpenOfferingHandler } from './open-offering/open-offering.handler.js';
import { EnrolmentStreams } from './shared/enrolment-streams.js';
import { TransferPlaceController } from './transfer-place/transfer-place.controller.js';
import { WithdrawPlaceController } from './withdraw-place/withdraw-place.controller.js';

// Commands that process managers send too go through the CommandBus; the rest call EnrolmentStreams directly.
const CommandHandlers = [OpenOfferingHandler, ChangeCapacityHandler, CloseOfferingHandler, EnrolStudentHandler];
const Controllers = [
  OpenOfferingController,
  ChangeCapacityController,
  CloseOfferingController,
  EnrolStudentController,
  WithdrawPlaceController,
  LeaveController,
  TransferPlaceController,
  KulturdagController,
  CancelledLessonsController,
];

/** The enrolment service: offerings, places, Kulturdag. Owns the `<tenant>.enrolment.*` streams and writes no other. */
@Module({
  imports: [CqrsModule],
  controllers: Controllers,
  providers: [...CommandHandlers, EnrolmentStreams, ChangeStudentDistrictHandler],
  exports: [EnrolmentStreams, ChangeStudentDistrictHandler, CqrsModule],
})
export class EnrolmentModule {}
