import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import type { District } from '../domain/index.js';
import { KulturdagCommandHandler } from '../shared/kulturdag-command-handler.js';
import type { Written } from '../shared/offering-command-handler.js';

type JoinKulturdag = { schoolId: string; schoolYear: string; district: District };

export class JoinKulturdagCommand extends BusCommand<JoinKulturdag> {}

/** The breadth programme: a school joins Kulturdag for a school year. */
@CommandHandler(JoinKulturdagCommand)
export class JoinKulturdagHandler extends KulturdagCommandHandler<JoinKulturdag> {
  protected kulturdagCommand({ schoolId, schoolYear, district }: JoinKulturdag) {
    return { type: 'JoinKulturdag', data: { schoolId, schoolYear, district } } as const;
  }

  protected response({ schoolId, schoolYear }: JoinKulturdag, { revision }: Written) {
    return { schoolId, schoolYear, revision };
  }
}
