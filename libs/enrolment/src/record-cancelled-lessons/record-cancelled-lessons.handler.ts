import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import type { RecordCancelledLessons } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class RecordCancelledLessonsCommand {
  constructor(
    readonly offeringId: string,
    readonly lessons: RecordCancelledLessons['data'],
    readonly context: CommandContext,
  ) {}
}

/** The school cancelled lessons: funding refunds part of the fee from the third (rule 11). */
@CommandHandler(RecordCancelledLessonsCommand)
export class RecordCancelledLessonsHandler implements ICommandHandler<RecordCancelledLessonsCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ offeringId, lessons, context }: RecordCancelledLessonsCommand) {
    const { revision } = await this.enrolment.offering(
      offeringId,
      { type: 'RecordCancelledLessons', data: { ...lessons } },
      context,
    );
    return { offeringId, ...lessons, revision };
  }
}
