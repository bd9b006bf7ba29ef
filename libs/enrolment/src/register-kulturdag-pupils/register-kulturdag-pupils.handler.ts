import { CommandHandler } from '@nestjs/cqrs';
import { BusCommand } from '#libs/platform';
import type { RegisterKulturdagPupils as Pupils } from '../domain/index.js';
import { KulturdagCommandHandler } from '../shared/kulturdag-command-handler.js';
import type { Written } from '../shared/offering-command-handler.js';

type RegisterKulturdagPupils = { schoolId: string; schoolYear: string; pupils: Pupils['data']['pupils'] };

export class RegisterKulturdagPupilsCommand extends BusCommand<RegisterKulturdagPupils> {}

@CommandHandler(RegisterKulturdagPupilsCommand)
export class RegisterKulturdagPupilsHandler extends KulturdagCommandHandler<RegisterKulturdagPupils> {
  protected kulturdagCommand({ pupils }: RegisterKulturdagPupils) {
    return { type: 'RegisterKulturdagPupils', data: { pupils } } as const;
  }

  protected response({ schoolId, schoolYear }: RegisterKulturdagPupils, { events, revision }: Written) {
    return { schoolId, schoolYear, registered: events.length, revision };
  }
}
