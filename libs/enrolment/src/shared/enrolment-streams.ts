import { Inject, Injectable, Optional } from '@nestjs/common';
import { streamName, type EventStore } from '#libs/event-store';
import {
  atCommandTime,
  EVENT_STORE,
  POLICY_OVERRIDES,
  PolicyBook,
  registerContextRules,
  StreamCommandHandler,
  type CommandContext,
  type ContextRules,
  type PolicyOverrides,
  type WithoutMetadata,
} from '#libs/platform';
import {
  checkMovedOutRule,
  createOfferingDecider,
  createStudentDecider,
  enrolmentPolicies,
  evolveStudent,
  initialStudent,
  kulturdagDecider,
  PlaceNotFound,
  trondheimEnrolmentPolicy,
  type EnrolmentPolicies,
  type PlaceEnrolled,
  type KulturdagCommand,
  type OfferingCommand,
  type Student,
  type StudentCommand,
  type StudentEvent,
} from '../domain/index.js';
import { offeringStream } from './offering-stream.js';

export const studentStream = (tenant: string, studentId: string): string =>
  streamName(tenant, 'enrolment', 'student', studentId);
/** The student as their stream stands now. */
export const studentNow = async (store: EventStore, tenant: string, studentId: string): Promise<Student> =>
  (await store.readStream(studentStream(tenant, studentId))).reduce(
    (state, e) => evolveStudent(state, { type: e.type, data: e.data } as StudentEvent),
    initialStudent,
  );

/** Whether the student holds a place (on leave or not). */
export const holdsAnyPlace = (student: Student): boolean =>
  student.status === 'Known' && Object.keys(student.places).length > 0;

/** Whether the student holds a place now (on leave or not), from the student's stream as it stands. */
export const holdsAPlace = async (store: EventStore, tenant: string, studentId: string): Promise<boolean> =>
  holdsAnyPlace(await studentNow(store, tenant, studentId));

export const kulturdagStream = (tenant: string, schoolId: string, schoolYear: string): string =>
  streamName(tenant, 'enrolment', 'kulturdag', `${schoolId}_${schoolYear}`);

/**
 * The enrolment context's aggregates, each run through load–decide–append with the command's time, under the rules of
 * the caller's tenant: Trondheim's defaults, POLICIES_FILE, then the tenant's recorded changes (PolicyBook).
 */
@Injectable()
export class EnrolmentStreams {
  private readonly rules: ContextRules<EnrolmentPolicies>;

  constructor(
    private readonly streams: StreamCommandHandler,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    book: PolicyBook,
    @Optional() @Inject(POLICY_OVERRIDES) configured?: PolicyOverrides,
  ) {
    this.rules = registerContextRules(
      book,
      'enrolment',
      trondheimEnrolmentPolicy,
      configured,
      enrolmentPolicies,
      checkMovedOutRule,
    );
  }

  /** The rules in force for the tenant, per school year. */
  policiesFor(tenant: string): Promise<EnrolmentPolicies> {
    return this.rules.forTenant(tenant);
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

  /**
   * Whether a step of a command already landed in the student's stream (its events carry the step's command id):
   * a retry of a command whose process died after that write carries on from there instead of refusing itself.
   */
  async studentStepLanded(
    tenant: string,
    studentId: string,
    stepCommandId: string,
    stillHolding?: string,
  ): Promise<boolean> {
    const events = await this.store.readStream(studentStream(tenant, studentId));
    if (!events.some((e) => e.metadata.causationId === stepCommandId)) return false;
    if (stillHolding === undefined) return true;
    // Compensated since (the place given back): that try ended refused, so this one starts afresh.
    const student = events.reduce(
      (state, e) => evolveStudent(state, { type: e.type, data: e.data } as StudentEvent),
      initialStudent,
    );
    return student.status === 'Known' && student.places[stillHolding] !== undefined;
  }

  /** The school year an offering teaches: a place in it is judged by that year's rules. */
  async schoolYearOf(tenant: string, offeringId: string): Promise<string | undefined> {
    const [opened] = await this.store.readStream(offeringStream(tenant, offeringId), { maxCount: 1 });
    return opened?.type === 'OfferingOpened' ? (opened.data as { schoolYear: string }).schoolYear : undefined;
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
    const decider = createOfferingDecider(await this.rules.forCommand(context));
    return this.streams.checkIn(offeringStream, offeringId, decider, command, context);
  }

  /** Decides on the student's stream without appending (see checkOffering). */
  async checkStudent(studentId: string, command: WithoutMetadata<StudentCommand>, context: CommandContext) {
    const decider = createStudentDecider(await this.rules.forCommand(context));
    return this.streams.checkIn(studentStream, studentId, decider, command, context);
  }

  async offering(offeringId: string, command: WithoutMetadata<OfferingCommand>, context: CommandContext) {
    const decider = createOfferingDecider(await this.rules.forCommand(context));
    return this.streams.handleIn(offeringStream, offeringId, decider, command, context);
  }

  async student(studentId: string, command: WithoutMetadata<StudentCommand>, context: CommandContext) {
    const decider = createStudentDecider(await this.rules.forCommand(context));
    return this.streams.handleIn(studentStream, studentId, decider, command, context);
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
