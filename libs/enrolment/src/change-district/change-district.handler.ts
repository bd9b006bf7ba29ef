import { Injectable } from '@nestjs/common';
import { Clock, TenantRegisters, type CommandContext } from '#libs/platform';
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
    private readonly registers: TenantRegisters,
  ) {}

  async changeDistrict(command: {
    tenant: string;
    studentId: string;
    district: District;
    effectiveOn: string;
    commandId: string;
  }): Promise<'changed' | 'unchanged' | 'not-a-student'> {
    const context = this.contextFor(command);
    // A district the tenant's register does not have is refused (NotInRegister): the feed dead-letters it with the
    // reason, and the student keeps the district on record.
    await this.registers.assertKnown(context.principal, 'districts', command.district, 'district');
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

  /**
   * Rule 1: the child moved out of the municipality. Recorded for an applicant without a place too (the register
   * maps only children the school knows), so the admission process removes its waitlist entries.
   */
  async moveOut(command: {
    tenant: string;
    studentId: string;
    effectiveOn: string;
    commandId: string;
  }): Promise<'moved-out' | 'unchanged'> {
    const { events } = await this.enrolment.student(
      command.studentId,
      { type: 'MoveOut', data: { studentId: command.studentId, effectiveOn: command.effectiveOn } },
      this.contextFor(command),
    );
    return events.length > 0 ? 'moved-out' : 'unchanged';
  }

  private contextFor(command: { tenant: string; commandId: string }): CommandContext {
    return {
      principal: { subject: 'folkeregister-feed', tenant: command.tenant, role: 'system' },
      commandId: command.commandId,
      correlationId: command.commandId,
      now: this.clock.now(),
    };
  }
}
