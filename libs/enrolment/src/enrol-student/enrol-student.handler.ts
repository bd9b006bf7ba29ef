import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, eventIdFor, stepOf } from '#libs/platform';
import type { District, Gender } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export interface EnrolStudentData {
  offeringId: string;
  studentId: string;
  birthYear: number;
  gender: Gender;
  district: District;
  school: string;
  /** The waitlist offer this enrolment fulfils, when it comes from an accepted offer. */
  viaOfferId: string | null;
}

export class EnrolStudentCommand extends BusCommand<EnrolStudentData> {}

/**
 * Two aggregates: the student (places per student, age) and the offering (capacity). Both decide first, so a refusal
 * by either writes nothing. Then the student's place is appended (the student's stream serialises the student's
 * commands), then the offering's. If the offering refuses in between (filled or closed by a racing command), the
 * student's place is given up again (a compensating event), so no student holds a place the offering does not know.
 */
@CommandHandler(EnrolStudentCommand)
export class EnrolStudentHandler implements ICommandHandler<EnrolStudentCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ data, context }: EnrolStudentCommand) {
    const { offeringId, studentId, birthYear, gender, district, school, viaOfferId } = data;
    const placeId = eventIdFor(context.commandId, 'place', 0);
    const enrol = {
      type: 'Enrol' as const,
      data: { placeId, studentId, birthYear, gender, district, school, viaOfferId, transferredFrom: null },
    };
    const { tenant } = context.principal;
    const schoolYear = await this.enrolment.schoolYearOf(tenant, offeringId);
    const takePlace = {
      type: 'TakePlace' as const,
      data: { studentId, birthYear, placeId, offeringId, ...(schoolYear ? { schoolYear } : {}) },
    };
    // The same command again (its Idempotency-Key) after its process died between the two writes: carry on.
    if (await this.enrolment.studentStepLanded(tenant, studentId, context.commandId, placeId)) {
      if (await this.enrolment.wasEnrolled(tenant, offeringId, placeId)) return { offeringId, placeId, studentId };
    } else {
      await this.enrolment.checkOffering(offeringId, enrol, context);
      await this.enrolment.checkStudent(studentId, takePlace, context);
      await this.enrolment.student(studentId, takePlace, context);
    }
    try {
      const result = await this.enrolment.offering(offeringId, enrol, context);
      return { offeringId, placeId, studentId, revision: result.revision };
    } catch (error) {
      if (await this.enrolment.wasEnrolled(tenant, offeringId, placeId)) return { offeringId, placeId, studentId };
      await this.enrolment.student(
        studentId,
        { type: 'GiveUpPlace', data: { placeId } },
        stepOf(context, 'compensate'),
      );
      throw error;
    }
  }
}
