import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import type { RecordCancelledLessons as CancelledLessons } from '../domain/index.js';
import { OfferingCommandHandler, type Written } from '../shared/offering-command-handler.js';

type RecordCancelledLessons = { offeringId: string; lessons: CancelledLessons['data'] };

export class RecordCancelledLessonsCommand extends BusCommand<RecordCancelledLessons> {}

/** The school cancelled lessons: funding refunds part of the fee from the third (rule 11). */
@CommandHandler(RecordCancelledLessonsCommand)
export class RecordCancelledLessonsHandler extends OfferingCommandHandler<RecordCancelledLessons> {
  protected offeringCommand({ lessons }: RecordCancelledLessons) {
    return { type: 'RecordCancelledLessons', data: { ...lessons } } as const;
  }

  protected response({ offeringId, lessons }: RecordCancelledLessons, { revision }: Written) {
    return { offeringId, ...lessons, revision };
  }
}
