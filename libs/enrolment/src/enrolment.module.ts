import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PersonalDataModule } from '#libs/personal-data';
import { ChangeStudentDistrictHandler } from './change-district/change-district.handler.js';
import { ChangeCapacityHandler } from './change-capacity/change-capacity.handler.js';
import { ChangeFeeHandler } from './change-fee/change-fee.handler.js';
import { SetPriceListHandler } from './change-fee/price-list.handler.js';
import { CloseOfferingHandler } from './close-offering/close-offering.handler.js';
import { EnrolStudentHandler } from './enrol-student/enrol-student.handler.js';
import { JoinKulturdagHandler } from './join-kulturdag/join-kulturdag.handler.js';
import { OpenOfferingHandler } from './open-offering/open-offering.handler.js';
import { PutOnLeaveHandler } from './put-on-leave/put-on-leave.handler.js';
import { RecordCancelledLessonsHandler } from './record-cancelled-lessons/record-cancelled-lessons.handler.js';
import { RegisterKulturdagPupilsHandler } from './register-kulturdag-pupils/register-kulturdag-pupils.handler.js';
import { ReturnFromLeaveHandler } from './return-from-leave/return-from-leave.handler.js';
import { KulturdagController } from './http/kulturdag.controller.js';
import { OfferingsController } from './http/offerings.controller.js';
import { PlacesController } from './http/places.controller.js';
import { EnrolmentStreams } from './shared/enrolment-streams.js';
import { TransferPlaceHandler } from './transfer-place/transfer-place.handler.js';
import { WithdrawPlaceHandler } from './withdraw-place/withdraw-place.handler.js';
import { ReregistrationController } from './http/reregistration.controller.js';
import { SchoolYearsController } from './http/school-years.controller.js';
import { ReregisterPlaceHandler } from './reregister-place/reregister-place.handler.js';
import { RollOverSchoolYearHandler } from './roll-over-school-year/roll-over-school-year.handler.js';
import { RolloverPlan } from './roll-over-school-year/rollover-plan.js';
import { ReregistrationWorklistController } from './reregistration-worklist/reregistration-worklist.controller.js';

// Every write route sends a command through the CommandBus (ADR 0006); no controller touches a stream.
const CommandHandlers = [
  OpenOfferingHandler,
  ChangeCapacityHandler,
  ChangeFeeHandler,
  SetPriceListHandler,
  CloseOfferingHandler,
  EnrolStudentHandler,
  WithdrawPlaceHandler,
  PutOnLeaveHandler,
  ReturnFromLeaveHandler,
  TransferPlaceHandler,
  JoinKulturdagHandler,
  RegisterKulturdagPupilsHandler,
  RecordCancelledLessonsHandler,
  RollOverSchoolYearHandler,
  ReregisterPlaceHandler,
];
const Controllers = [
  OfferingsController,
  PlacesController,
  KulturdagController,
  SchoolYearsController,
  ReregistrationController,
];

/**
 * The enrolment service: offerings, places, Kulturdag. Owns the `<tenant>.enrolment.*` streams and writes no other.
 * No routes: the admission process imports it beside the waitlist without serving enrolment's routes there.
 */
@Module({
  // The people register: every student and Kulturdag pupil is a registered person.
  imports: [CqrsModule, PersonalDataModule],
  providers: [...CommandHandlers, EnrolmentStreams, ChangeStudentDistrictHandler, RolloverPlan],
  exports: [EnrolmentStreams, ChangeStudentDistrictHandler, RolloverPlan, CqrsModule],
})
export class EnrolmentModule {}

/** Enrolment's routes, for the enrolment app (and the all-in-one host). */
@Module({ imports: [EnrolmentModule], controllers: Controllers })
export class EnrolmentHttpModule {}

/** Enrolment's read-model routes alone (the re-registration worklist), for the query API (which writes nothing). */
@Module({ imports: [PersonalDataModule], controllers: [ReregistrationWorklistController] })
export class EnrolmentReadModule {}
