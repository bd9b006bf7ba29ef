import { Inject, Injectable, Optional } from '@nestjs/common';
import { streamName, type EventStore } from '#libs/event-store';
import {
  atCommandTime,
  checkedOverrides,
  EVENT_STORE,
  POLICY_OVERRIDES,
  StreamCommandHandler,
  type CommandContext,
  type PolicyOverrides,
  type WithoutMetadata,
} from '#libs/platform';
import {
  createOfferingDecider,
  createStudentDecider,
  enrolmentPolicies,
  kulturdagDecider,
  PlaceNotFound,
  trondheimEnrolmentPolicy,
  type PlaceEnrolled,
  type KulturdagCommand,
  type OfferingCommand,
  type StudentCommand,
} from '../domain/index.js';
import { offeringStream } from './offering-stream.js';

export const studentStream = (tenant: string, studentId: string): string =>
  streamName(tenant, 'enrolment', 'student', studentId);
export const kulturdagStream = (tenant: string, schoolId: string, schoolYear: string): string =>
  streamName(tenant, 'enrolment', 'kulturdag', `${schoolId}_${schoolYear}`);

/** The enrolment context's aggregates, each run through load–decide–append with the command's time. */
@Injectable()
export class EnrolmentStreams {
  /** Built from the configured policies (POLICIES_FILE), Trondheim's where none are set. */
  readonly offeringDecider;
  private readonly studentDecider;

  constructor(
    private readonly streams: StreamCommandHandler,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(POLICY_OVERRIDES) configured?: PolicyOverrides,
  ) {
    const policies = enrolmentPolicies(checkedOverrides('enrolment', trondheimEnrolmentPolicy, configured?.enrolment));
    this.offeringDecider = createOfferingDecider(policies);
    this.studentDecider = createStudentDecider(policies);
  }

  /** The facts a place was enrolled with (its student's dimensions), for a transfer to carry them along. */
  async enrolledPlace(tenant: string, offeringId: string, placeId: string): Promise<PlaceEnrolled['data']> {
    const events = await this.store.readStream(offeringStream(tenant, offeringId));
    const enrolled = events.find(
      (e) => e.type === 'PlaceEnrolled' && (e.data as { placeId: string }).placeId === placeId,
    );
    if (!enrolled) throw new PlaceNotFound(placeId);
    return enrolled.data as PlaceEnrolled['data'];
  }

  /** Decides without appending, so a command spanning two aggregates can be refused before either is written. */
  checkOffering(offeringId: string, command: WithoutMetadata<OfferingCommand>, context: CommandContext) {
    return this.streams.check(
      offeringStream(context.principal.tenant, offeringId),
      this.offeringDecider,
      atCommandTime(command, context) as OfferingCommand,
    );
  }

  offering(offeringId: string, command: WithoutMetadata<OfferingCommand>, context: CommandContext) {
    return this.streams.handle(
      offeringStream(context.principal.tenant, offeringId),
      this.offeringDecider,
      atCommandTime(command, context) as OfferingCommand,
      context,
    );
  }

  student(studentId: string, command: WithoutMetadata<StudentCommand>, context: CommandContext) {
    return this.streams.handle(
      studentStream(context.principal.tenant, studentId),
      this.studentDecider,
      atCommandTime(command, context) as StudentCommand,
      context,
    );
  }

  kulturdag(schoolId: string, schoolYear: string, command: WithoutMetadata<KulturdagCommand>, context: CommandContext) {
    return this.streams.handle(
      kulturdagStream(context.principal.tenant, schoolId, schoolYear),
      kulturdagDecider,
      atCommandTime(command, context) as KulturdagCommand,
      context,
    );
  }
}
