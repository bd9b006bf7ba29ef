import type { DistrictV1 } from '../contracts/enrolment.v1.js';

/**
 * What the enrolment context is asked to do when a student moves: the command the lead adds to the student
 * decider (`ChangeDistrict` → `StudentDistrictChanged`). Enrolment owns the student stream; this lib only asks.
 */
export interface ChangeStudentDistrict {
  tenant: string;
  /** The pseudonymous student id (the register's subjectRef, mapped by the integration platform). */
  studentId: string;
  district: DistrictV1;
  /** YYYY-MM-DD: the day the family lives in the new district. */
  effectiveOn: string;
  /** Derived from the register's changeId, so a redelivered change appends nothing new. */
  commandId: string;
}

export type DistrictChangeOutcome = 'changed' | 'unchanged' | 'not-a-student';

/** A move out of the municipality (rule 1): enrolment records it on the child's stream (`MoveOut`). */
export interface MoveStudentOut {
  tenant: string;
  studentId: string;
  /** YYYY-MM-DD: the first day the child lives outside the municipality. */
  effectiveOn: string;
  commandId: string;
}

export type MoveOutOutcome = 'moved-out' | 'unchanged';

/** Port: implemented in the enrolment lib by a handler that loads the student stream, decides and appends. */
export abstract class StudentDistrictUpdater {
  abstract changeDistrict(command: ChangeStudentDistrict): Promise<DistrictChangeOutcome>;
  abstract moveOut(command: MoveStudentOut): Promise<MoveOutOutcome>;
}
