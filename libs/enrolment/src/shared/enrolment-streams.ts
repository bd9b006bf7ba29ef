import { Inject, Injectable, Optional } from '@nestjs/common';
import { streamName, type EventStore } from '#libs/event-store';
import {
  atCommandTime,
  checkedOverrides,
  EVENT_STORE,
  POLICY_OVERRIDES,
  PolicyBook,
  rulesLike,
  StreamCommandHandler,
  type CommandContext,
  type PolicyOverrides,
  type YearlyRules,
  type WithoutMetadata,
} from '#libs/platform';
import {
  createOfferingDecider,
  createStudentDecider,
  enrolmentPolicies,
  evolveStudent,
  initialStudent,
  kulturdagDecider,
  PlaceNotFound,
  trondheimEnrolmentPolicy,
  type EnrolmentPolicies,
  type EnrolmentPolicy,
  type PlaceEnrolled,
  type KulturdagCommand,
  type OfferingCommand,
  type StudentCommand,
  type StudentEvent,
} from '../domain/index.js';
import { offeringStream } from './offering-stream.js';

export const studentStream = (tenant: string, studentId: string): string =>
  streamName(tenant, 'enrolment', 'student', studentId);
/** Whether the student holds a place now (on leave or not), from the student's stream as it stands. */
export const holdsAPlace = async (store: EventStore, tenant: string, studentId: string): Promise<boolean> => {
  const events = await store.readStream(studentStream(tenant, studentId));
  const student = events.reduce(
    (state, e) => evolveStudent(state, { type: e.type, data: e.data } as StudentEvent),
    initialStudent,
  );
  return student.status === 'Known' && Object.keys(student.places).length > 0;
};

export const kulturdagStream = (tenant: string, schoolId: string, schoolYear: string): string =>
  streamName(tenant, 'enrolment', 'kulturdag', `${schoolId}_${schoolYear}`);

/**
 * The enrolment context's aggregates, each run through load–decide–append with the command's time, under the rules of
 * the caller's tenant: Trondheim's defaults, POLICIES_FILE, then the tenant's recorded changes (PolicyBook).
 */
@Injectable()
export class EnrolmentStreams {
  constructor(
    private readonly streams: StreamCommandHandler,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly book: PolicyBook,
    @Optional() @Inject(POLICY_OVERRIDES) configured?: PolicyOverrides,
  ) {
    // The file's part is checked at start, so a typo stops the start instead of the first command.
    checkedOverrides('enrolment', trondheimEnrolmentPolicy, configured?.enrolment);
    book.register('enrolment', {
      check: rulesLike(trondheimEnrolmentPolicy, 'enrolment'),
      effective: (overrides, schoolYear) => enrolmentPolicies(asEnrolmentOverrides(overrides))(schoolYear),
    });
  }

  /** The rules in force for the tenant, per school year. */
  async policiesFor(tenant: string): Promise<EnrolmentPolicies> {
    return enrolmentPolicies(asEnrolmentOverrides(await this.book.overrides(tenant, 'enrolment')));
  }

  /** The rules as the command sees them, read once however many streams it decides on. */
  private async rulesFor(context: CommandContext): Promise<EnrolmentPolicies> {
    return enrolmentPolicies(asEnrolmentOverrides(await this.book.forCommand(context, 'enrolment')));
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

  /** Whether the offering ever enrolled the place: tells a failed write that landed after all from one that did not. */
  async wasEnrolled(tenant: string, offeringId: string, placeId: string): Promise<boolean> {
    return this.enrolledPlace(tenant, offeringId, placeId).then(
      () => true,
      (error: unknown) => (error instanceof PlaceNotFound ? false : Promise.reject(error)),
    );
  }

  /** Decides without appending, so a command spanning several streams can be refused before any is written. */
  async checkOffering(offeringId: string, command: WithoutMetadata<OfferingCommand>, context: CommandContext) {
    return this.streams.check(
      offeringStream(context.principal.tenant, offeringId),
      createOfferingDecider(await this.rulesFor(context)),
      atCommandTime(command, context) as OfferingCommand,
    );
  }

  /** Decides on the student's stream without appending (see checkOffering). */
  async checkStudent(studentId: string, command: WithoutMetadata<StudentCommand>, context: CommandContext) {
    return this.streams.check(
      studentStream(context.principal.tenant, studentId),
      createStudentDecider(await this.rulesFor(context)),
      atCommandTime(command, context) as StudentCommand,
    );
  }

  async offering(offeringId: string, command: WithoutMetadata<OfferingCommand>, context: CommandContext) {
    return this.streams.handle(
      offeringStream(context.principal.tenant, offeringId),
      createOfferingDecider(await this.rulesFor(context)),
      atCommandTime(command, context) as OfferingCommand,
      context,
    );
  }

  async student(studentId: string, command: WithoutMetadata<StudentCommand>, context: CommandContext) {
    return this.streams.handle(
      studentStream(context.principal.tenant, studentId),
      createStudentDecider(await this.rulesFor(context)),
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

// Checked on the way in (rulesLike, checkedOverrides), so the shape is the policy's.
const asEnrolmentOverrides = (overrides: YearlyRules) =>
  overrides as Readonly<Record<string, Partial<EnrolmentPolicy>>>;
