import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, eventIdFor, stepOf, TenantRegisters } from '#libs/platform';
import { PeopleRegister, registeredPeople } from '#libs/personal-data';
import type { District, Gender } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export interface EnrolStudentData {
  offeringId: string;
  studentId: string;
  birthYear: number;
  gender: Gender;
  district: District;
  school: string;
  /** The student lives in another municipality (GSI A11/A12); absent or false: in this one. */
  fromOtherMunicipality?: boolean;
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
  constructor(
    private readonly enrolment: EnrolmentStreams,
    private readonly registers: TenantRegisters,
    private readonly people: PeopleRegister,
  ) {}

  async execute({ data, context }: EnrolStudentCommand) {
    const { offeringId, birthYear, gender, district, school, viaOfferId } = data;
    // A direct enrolment names the tenant's district and school; an accepted offer's were checked on application.
    if (viaOfferId === null) {
      await this.registers.assertKnown(context.principal, 'districts', district, 'district');
      await this.registers.assertKnown(context.principal, 'schools', school, 'school');
    }
    // A registered person of the tenant, never a made-up id; a merged registration's id enrols its survivor.
    const [studentId = data.studentId] = await registeredPeople(
      this.people,
      context.principal.tenant,
      [data.studentId],
      () => 'personId',
    );
    const placeId = eventIdFor(context.commandId, 'place', 0);
    const enrol = {
      type: 'Enrol' as const,
      data: {
        ...{ placeId, studentId, birthYear, gender, district, school, viaOfferId, transferredFrom: null },
        ...(data.fromOtherMunicipality ? { fromOtherMunicipality: true } : {}),
      },
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
