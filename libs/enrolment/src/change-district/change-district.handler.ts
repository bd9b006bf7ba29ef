import { Injectable } from '@nestjs/common';
import { Clock, type CommandContext } from '#libs/platform';
import { StudentNotFound, type District } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

/**
 * Applies a move from the population register's address feed to the student stream (the shape of the integration
 * lib's `StudentDistrictUpdater` port). Someone who is not a student is no error: most people who move are not.
 */
@Injectable()
export class ChangeStudentDistrictHandler {
  constructor(
    private readonly enrolment: EnrolmentStreams,
    private readonly clock: Clock,
  ) {}

  async changeDistrict(command: {
    tenant: string;
    studentId: string;
    district: District;
    effectiveOn: string;
    commandId: string;
  }): Promise<'changed' | 'unchanged' | 'not-a-student'> {
    const context: CommandContext = {
      principal: { subject: 'folkeregister-feed', tenant: command.tenant, role: 'system' },
      commandId: command.commandId,
      correlationId: command.commandId,
      now: this.clock.now(),
    };
    try {
      const { events } = await this.enrolment.student(
        command.studentId,
        { type: 'ChangeDistrict', data: { district: command.district, effectiveOn: command.effectiveOn } },
        context,
      );
      return events.length > 0 ? 'changed' : 'unchanged';
    } catch (error) {
      if (error instanceof StudentNotFound) return 'not-a-student';
      throw error;
    }
  }
}
