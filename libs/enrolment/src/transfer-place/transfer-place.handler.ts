import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, eventIdFor, stepOf } from '#libs/platform';
import { PlaceNotFound } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';
import { complete } from '../shared/multi-stream.js';

type TransferPlace = { offeringId: string; placeId: string; toOfferingId: string; effectiveOn: string };

export class TransferPlaceCommand extends BusCommand<TransferPlace> {}

/**
 * A transfer is three facts: the student's place moves (count unchanged), the target offering enrols the student, and
 * the source records the place transferred out (releasing its seat). All three decide before any is written, so a bad
 * date or a full target writes nothing.
 *
 * The student's stream is written first: a racing withdrawal or transfer of the same place is refused there. Only the
 * target can still refuse after it (filled or closed meanwhile): the student's move is then taken back (a move to the
 * old place). Once the target holds the place, the source's transfer-out is completed: no racing command can take
 * the place from the source past the student's stream.
 */
@CommandHandler(TransferPlaceCommand)
export class TransferPlaceHandler implements ICommandHandler<TransferPlaceCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ data: { offeringId, placeId, toOfferingId, effectiveOn }, context }: TransferPlaceCommand) {
    const { tenant } = context.principal;
    const { studentId, birthYear, gender, district, school, fromOtherMunicipality } =
      await this.enrolment.enrolledPlace(tenant, offeringId, placeId);
    const toPlaceId = eventIdFor(context.commandId, 'place', 0);
    const transferOut = { type: 'Transfer' as const, data: { placeId, toOfferingId, toPlaceId, effectiveOn } };
    const enrol = {
      type: 'Enrol' as const,
      data: {
        ...{ studentId, birthYear, gender, district, school },
        // GSI A11/A12 follows the student into the new place.
        ...(fromOtherMunicipality ? { fromOtherMunicipality } : {}),
        placeId: toPlaceId,
        viaOfferId: null,
        transferredFrom: { offeringId, placeId },
        startsOn: effectiveOn,
      },
    };
    const move = {
      type: 'MovePlace' as const,
      data: { fromPlaceId: placeId, placeId: toPlaceId, offeringId: toOfferingId },
    };
    const studentStep = stepOf(context, 'student');
    // The same command again after its process died between the writes: the student's move stands, carry on.
    const resumed = await this.enrolment.studentStepLanded(tenant, studentId, studentStep.commandId, toPlaceId);
    if (!resumed) {
      await this.enrolment.checkOffering(offeringId, transferOut, context);
      await this.enrolment.checkOffering(toOfferingId, enrol, context);
      await this.enrolment.checkStudent(studentId, move, context);
      await this.enrolment.student(studentId, move, studentStep);
    }
    try {
      await this.enrolment.offering(toOfferingId, enrol, stepOf(context, 'enrol-target'));
    } catch (error) {
      if (!(await this.enrolment.wasEnrolled(tenant, toOfferingId, toPlaceId))) {
        const back = { type: 'MovePlace' as const, data: { fromPlaceId: toPlaceId, placeId, offeringId } };
        await this.enrolment.student(studentId, back, stepOf(context, 'compensate'));
        throw error;
      }
    }
    // Gone already means an earlier try of this command landed.
    await complete(
      () => this.enrolment.offering(offeringId, transferOut, stepOf(context, 'transfer-out')),
      (error) => error instanceof PlaceNotFound,
    );
    return { fromOfferingId: offeringId, fromPlaceId: placeId, toOfferingId, toPlaceId };
  }
}
