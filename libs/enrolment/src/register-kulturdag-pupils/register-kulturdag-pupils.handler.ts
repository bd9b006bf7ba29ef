import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import type { RegisterKulturdagPupils } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class RegisterKulturdagPupilsCommand {
  constructor(
    readonly schoolId: string,
    readonly schoolYear: string,
    readonly pupils: RegisterKulturdagPupils['data']['pupils'],
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RegisterKulturdagPupilsCommand)
export class RegisterKulturdagPupilsHandler implements ICommandHandler<RegisterKulturdagPupilsCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ schoolId, schoolYear, pupils, context }: RegisterKulturdagPupilsCommand) {
    const { revision, events } = await this.enrolment.kulturdag(
      schoolId,
      schoolYear,
      { type: 'RegisterKulturdagPupils', data: { pupils } },
      context,
    );
    return { schoolId, schoolYear, registered: events.length, revision };
  }
}
