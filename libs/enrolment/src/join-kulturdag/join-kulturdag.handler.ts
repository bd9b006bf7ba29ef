import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand, TenantRegisters } from '#libs/platform';
import type { District } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';
import { KulturdagCommandHandler } from '../shared/kulturdag-command-handler.js';
import type { Written } from '../shared/offering-command-handler.js';

type JoinKulturdag = { schoolId: string; schoolYear: string; district: District };

export class JoinKulturdagCommand extends BusCommand<JoinKulturdag> {}

/** The breadth programme: a school joins Kulturdag for a school year. */
@CommandHandler(JoinKulturdagCommand)
export class JoinKulturdagHandler extends KulturdagCommandHandler<JoinKulturdag> {
  constructor(
    enrolment: EnrolmentStreams,
    private readonly registers: TenantRegisters,
  ) {
    super(enrolment);
  }

  // Only a school of the tenant's register joins, in one of its districts.
  override async execute(command: JoinKulturdagCommand) {
    const { data, context } = command;
    await this.registers.assertKnown(context.principal, 'schools', data.schoolId, 'schoolId');
    await this.registers.assertKnown(context.principal, 'districts', data.district, 'district');
    return super.execute(command);
  }

  protected kulturdagCommand({ schoolId, schoolYear, district }: JoinKulturdag) {
    return { type: 'JoinKulturdag', data: { schoolId, schoolYear, district } } as const;
  }

  protected response({ schoolId, schoolYear }: JoinKulturdag, { revision }: Written) {
    return { schoolId, schoolYear, revision };
  }
}
