import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class CloseOfferingCommand {
  constructor(
    readonly offeringId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(CloseOfferingCommand)
export class CloseOfferingHandler implements ICommandHandler<CloseOfferingCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ offeringId, context }: CloseOfferingCommand) {
    const result = await this.enrolment.offering(offeringId, { type: 'CloseOffering', data: {} }, context);
    return { offeringId, status: 'closed', revision: result.revision };
  }
}
