import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import { WaitlistStreams } from '../shared/waitlist-streams.js';
import type { ReconfirmApplicationRequest } from './reconfirm-application.request.js';

export class ReconfirmApplicationCommand {
  constructor(
    readonly offeringId: string,
    readonly applicationId: string,
    readonly body: ReconfirmApplicationRequest,
    readonly context: CommandContext,
  ) {}
}

/** Keeps a waiting application for the coming school year; unconfirmed ones are removed after the deadline. */
@CommandHandler(ReconfirmApplicationCommand)
export class ReconfirmApplicationHandler implements ICommandHandler<ReconfirmApplicationCommand> {
  constructor(private readonly waitlists: WaitlistStreams) {}

  async execute({ offeringId, applicationId, body, context }: ReconfirmApplicationCommand) {
    const { revision } = await this.waitlists.execute(
      offeringId,
      { type: 'Reconfirm', data: { applicationId, schoolYear: body.schoolYear } },
      context,
    );
    return { offeringId, applicationId, reconfirmedFor: body.schoolYear, revision };
  }
}
