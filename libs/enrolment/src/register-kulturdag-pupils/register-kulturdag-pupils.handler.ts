import { CommandHandler } from '@nestjs/cqrs';
import { PeopleRegister, registeredPeople } from '#libs/personal-data';
import { BusCommand } from '#libs/platform';
import type { RegisterKulturdagPupils as Pupils } from '../domain/index.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';
import { KulturdagCommandHandler } from '../shared/kulturdag-command-handler.js';
import type { Written } from '../shared/offering-command-handler.js';

type RegisterKulturdagPupils = { schoolId: string; schoolYear: string; pupils: Pupils['data']['pupils'] };

export class RegisterKulturdagPupilsCommand extends BusCommand<RegisterKulturdagPupils> {}

/**
 * Every pupil is a registered person of the tenant (a merged registration's id names its survivor), so the same
 * child is the same id in Kulturdag, on the waitlist and in a place: Kulturdag conversion counts it.
 */
@CommandHandler(RegisterKulturdagPupilsCommand)
export class RegisterKulturdagPupilsHandler extends KulturdagCommandHandler<RegisterKulturdagPupils> {
  constructor(
    enrolment: EnrolmentStreams,
    private readonly people: PeopleRegister,
  ) {
    super(enrolment);
  }

  override async execute({ data, context }: RegisterKulturdagPupilsCommand) {
    const ids = data.pupils.map(({ pupilId }) => pupilId);
    const people = await registeredPeople(
      this.people,
      context.principal.tenant,
      ids,
      (_id, index) => `pupils[${index}].personId`,
    );
    const pupils = data.pupils.map((pupil, index) => ({ ...pupil, pupilId: people[index] ?? pupil.pupilId }));
    return super.execute(new RegisterKulturdagPupilsCommand({ ...data, pupils }, context));
  }

  protected kulturdagCommand({ pupils }: RegisterKulturdagPupils) {
    return { type: 'RegisterKulturdagPupils', data: { pupils } } as const;
  }

  protected response({ schoolId, schoolYear }: RegisterKulturdagPupils, { events, revision }: Written) {
    return { schoolId, schoolYear, registered: events.length, revision };
  }
}
