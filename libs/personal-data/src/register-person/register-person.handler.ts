import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, StreamCommandHandler } from '#libs/platform';
import { personDecider, type PersonGender } from '../domain/index.js';
import { PersonalDataIntake } from '../intake/personal-data-intake.js';
import { personStream } from '../people/person-stream.js';

export class RegisterPersonCommand extends BusCommand<{ nationalId: string; name: string; gender: PersonGender }> {}

/**
 * A caseworker registers a child before enrolling it directly or in Kulturdag. The same number always gives the same
 * person (also one the waitlist took in), so registering twice is harmless; the event holds no name and no number.
 */
@CommandHandler(RegisterPersonCommand)
export class RegisterPersonHandler implements ICommandHandler<RegisterPersonCommand> {
  constructor(
    private readonly intake: PersonalDataIntake,
    private readonly streams: StreamCommandHandler,
  ) {}

  async execute({ data: { nationalId, name, gender }, context }: RegisterPersonCommand) {
    const register = (personId: string, birthDate: string, numberKind: 'fodselsnummer' | 'd-number' | 'h-number') =>
      ({ type: 'RegisterPerson', data: { personId, birthDate, gender, numberKind } }) as const;
    const person = await this.intake.receive(context.principal.tenant, {
      nationalId,
      field: 'nationalId',
      fields: { name },
      // A retired person's number finds its survivor, so only an erasure racing this could refuse here.
      beforeStoring: ({ subjectId, birthDate, kind }) =>
        subjectId
          ? this.streams.checkIn(personStream, subjectId, personDecider, register(subjectId, birthDate, kind), context)
          : Promise.resolve(),
    });
    const { personId, birthDate, kind } = { ...person, personId: person.subjectId };
    await this.streams.handleIn(personStream, personId, personDecider, register(personId, birthDate, kind), context);
    return { personId, birthDate, isNew: person.isNew };
  }
}
