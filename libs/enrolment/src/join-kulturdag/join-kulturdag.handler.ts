import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/platform';
import type { District } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';

export class JoinKulturdagCommand {
  constructor(
    readonly schoolId: string,
    readonly schoolYear: string,
    readonly district: District,
    readonly context: CommandContext,
  ) {}
}

/** The breadth programme: a school joins Kulturdag for a school year. */
@CommandHandler(JoinKulturdagCommand)
export class JoinKulturdagHandler implements ICommandHandler<JoinKulturdagCommand> {
  constructor(private readonly enrolment: EnrolmentStreams) {}

  async execute({ schoolId, schoolYear, district, context }: JoinKulturdagCommand) {
    const { revision } = await this.enrolment.kulturdag(
      schoolId,
      schoolYear,
      { type: 'JoinKulturdag', data: { schoolId, schoolYear, district } },
      context,
    );
    return { schoolId, schoolYear, revision };
  }
}
