import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PersonalDataModule } from '#libs/personal-data';
import { AnswerOfferController } from './answer-offer/answer-offer.controller.js';
import { AnswerOfferHandler } from './answer-offer/answer-offer.handler.js';
import { OfferAfterAuditionController } from './offer-after-audition/offer-after-audition.controller.js';
import { OfferAfterAuditionHandler } from './offer-after-audition/offer-after-audition.handler.js';
import { ReconfirmApplicationController } from './reconfirm-application/reconfirm-application.controller.js';
import { ReconfirmApplicationHandler } from './reconfirm-application/reconfirm-application.handler.js';
import { WaitlistStreams } from './shared/waitlist-streams.js';
import { SubmitApplicationController } from './submit-application/submit-application.controller.js';
import { SubmitApplicationHandler } from './submit-application/submit-application.handler.js';
import { WaitlistQueueController } from './waitlist-queue/waitlist-queue.controller.js';
import { WaitlistQueueQuery } from './waitlist-queue/waitlist-queue.query.js';
import { WithdrawApplicationController } from './withdraw-application/withdraw-application.controller.js';
import { WithdrawApplicationHandler } from './withdraw-application/withdraw-application.handler.js';

/** The waitlist read model's queries alone, for the query API (which writes nothing). */
@Module({
  imports: [PersonalDataModule],
  controllers: [WaitlistQueueController],
  providers: [WaitlistStreams, WaitlistQueueQuery],
  exports: [WaitlistQueueQuery],
})
export class WaitlistReadModule {}

const Controllers = [
  SubmitApplicationController,
  WithdrawApplicationController,
  ReconfirmApplicationController,
  AnswerOfferController,
  OfferAfterAuditionController,
];

/** The waitlist service: applications queued per offering and offers. Owns the `<tenant>.waitlist.*` streams. */
@Module({
  imports: [CqrsModule, PersonalDataModule, WaitlistReadModule],
  controllers: Controllers,
  providers: [
    WaitlistStreams,
    SubmitApplicationHandler,
    WithdrawApplicationHandler,
    ReconfirmApplicationHandler,
    AnswerOfferHandler,
    OfferAfterAuditionHandler,
  ],
  exports: [WaitlistStreams],
})
export class WaitlistModule {}
