import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EnrolmentModule } from '#libs/enrolment';
import { PersonalDataModule } from '#libs/personal-data';
import { AnswerOfferHandler } from './answer-offer/answer-offer.handler.js';
import { OfferAfterAuditionHandler } from './offer-after-audition/offer-after-audition.handler.js';
import { ApplicationsController } from './http/applications.controller.js';
import { MainAdmissionController } from './http/main-admission.controller.js';
import { OffersController } from './http/offers.controller.js';
import { ReconfirmApplicationHandler } from './reconfirm-application/reconfirm-application.handler.js';
import { MainAdmissionPlan } from './run-main-admission/main-admission-plan.js';
import { RunMainAdmissionHandler } from './run-main-admission/run-main-admission.handler.js';
import { WaitlistStreams } from './shared/waitlist-streams.js';
import { SubmitApplicationHandler } from './submit-application/submit-application.handler.js';
import { WaitlistQueueController } from './waitlist-queue/waitlist-queue.controller.js';
import { WaitlistQueueQuery } from './waitlist-queue/waitlist-queue.query.js';
import { WithdrawApplicationHandler } from './withdraw-application/withdraw-application.handler.js';

/** The waitlist read model's queries alone, for the query API (which writes nothing). */
@Module({
  imports: [PersonalDataModule],
  controllers: [WaitlistQueueController],
  providers: [WaitlistStreams, WaitlistQueueQuery],
  exports: [WaitlistQueueQuery],
})
export class WaitlistReadModule {}

const Controllers = [ApplicationsController, OffersController, MainAdmissionController];

/**
 * The waitlist service: applications queued per offering and offers. Owns the `<tenant>.waitlist.*` streams. No
 * routes: the admission process imports it; WaitlistHttpModule serves them.
 */
@Module({
  imports: [CqrsModule, PersonalDataModule, EnrolmentModule],
  providers: [
    WaitlistStreams,
    RunMainAdmissionHandler,
    MainAdmissionPlan,
    SubmitApplicationHandler,
    WithdrawApplicationHandler,
    ReconfirmApplicationHandler,
    AnswerOfferHandler,
    OfferAfterAuditionHandler,
  ],
  exports: [WaitlistStreams, MainAdmissionPlan, CqrsModule],
})
export class WaitlistModule {}

/** The waitlist's routes (commands and the queue's queries), for the waitlist app and the host. */
@Module({ imports: [WaitlistModule, WaitlistReadModule], controllers: Controllers })
export class WaitlistHttpModule {}
