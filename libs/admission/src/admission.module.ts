import { Module } from '@nestjs/common';
import { EnrolmentModule } from '#libs/enrolment';
import { WaitlistModule } from '#libs/waitlist';
import { AdmissionProcessManager } from './admission.process-manager.js';
import { PlaceReregistrationProcessManager } from './place-reregistration.process-manager.js';

/** The flow between waitlist and enrolment; runs in the host, or beside the waitlist app in production. */
@Module({
  imports: [EnrolmentModule, WaitlistModule],
  providers: [AdmissionProcessManager, PlaceReregistrationProcessManager],
  exports: [AdmissionProcessManager, PlaceReregistrationProcessManager],
})
export class AdmissionModule {}
