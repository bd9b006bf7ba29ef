import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '#libs/decider';
import { eventIdFor, type CommandContext } from '#libs/platform';
import type { District, Gender, OfferingCommand } from '../domain/index.js';
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

export class EnrolStudentCommand {
  constructor(
    readonly data: EnrolStudentData,
    readonly context: CommandContext,
  ) {}
}

/**
 * Two aggregates: the student (places per student, age) and the offering (capacity). Both decide first; then the
 * student's place is appended, then the offering's. If the offering filled in between, the student's place is given
 * up again (a compensating event), so no student holds a place the offering does not know.
 */
@CommandHandler(EnrolStudentCommand)
export class EnrolStudentHandler implements ICommandHandler<EnrolStudentCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ data, context }: EnrolStudentCommand) {
    const { offeringId, studentId, birthYear, gender, district, school, viaOfferId } = data;
    const placeId = eventIdFor(context.commandId, 'place', 0);
    const enrol: Omit<Extract<OfferingCommand, { type: 'Enrol' }>, 'metadata'> = {
      type: 'Enrol',
      data: { placeId, studentId, birthYear, gender, district, school, viaOfferId, transferredFrom: null },
    };
    await this.enrolment.checkOffering(offeringId, enrol, context);
    await this.enrolment.student(
      studentId,
      { type: 'TakePlace', data: { studentId, birthYear, placeId, offeringId } },
      context,
    );
    try {
      const result = await this.enrolment.offering(offeringId, enrol, context);
      return { offeringId, placeId, studentId, revision: result.revision };
    } catch (error) {
      if (error instanceof DomainError) {
        const compensation = { ...context, commandId: eventIdFor(context.commandId, 'compensate', 0) };
        await this.enrolment.student(studentId, { type: 'GiveUpPlace', data: { placeId } }, compensation);
      }
      throw error;
    }
  }
}
