import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, stepOf } from '#libs/platform';
import { PlaceNotFound, type PlaceWithdrawn } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';
import { complete } from '../shared/multi-stream.js';

export class WithdrawPlaceCommand extends BusCommand<{ offeringId: string; placeId: string; effectiveOn: string }> {}

/**
 * Withdrawal: the offering releases the seat (the waitlist offers it on), the student's count drops. Both streams
 * decide first. The student's stream is written first: it is where a racing withdrawal or transfer of the same place
 * is refused. The offering's withdrawal cannot be taken back (the seat goes to the waitlist), so once the student gave
 * the place up it is completed, never compensated.
 */
@CommandHandler(WithdrawPlaceCommand)
export class WithdrawPlaceHandler implements ICommandHandler<WithdrawPlaceCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ data: { offeringId, placeId, effectiveOn }, context }: WithdrawPlaceCommand) {
    const withdraw = { type: 'Withdraw' as const, data: { placeId, effectiveOn } };
    const giveUp = { type: 'GiveUpPlace' as const, data: { placeId } };
    const studentStep = stepOf(context, 'student');
    const decided = await this.enrolment.checkOffering(offeringId, withdraw, context);
    const withdrawn = decided.find((e): e is PlaceWithdrawn => e.type === 'PlaceWithdrawn');
    if (!withdrawn) return { offeringId, placeId };
    const { studentId, afterDeadline } = withdrawn.data;
    // The same command again after its process died between the writes: the student's part stands, complete the rest.
    if (!(await this.enrolment.studentStepLanded(context.principal.tenant, studentId, studentStep.commandId))) {
      await this.enrolment.checkStudent(studentId, giveUp, context);
      await this.enrolment.student(studentId, giveUp, studentStep);
    }
    // Gone already means an earlier try of this command landed.
    const result = await complete(
      () => this.enrolment.offering(offeringId, withdraw, context),
      (error) => error instanceof PlaceNotFound,
    );
    return { offeringId, placeId, afterDeadline, revision: result?.revision };
  }
}
