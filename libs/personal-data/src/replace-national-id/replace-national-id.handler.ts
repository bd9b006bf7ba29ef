import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, BusCommand, StreamCommandHandler, type AppConfig } from '#libs/platform';
import { personDecider } from '../domain/index.js';
import { assertValidFodselsnummer, isValidFodselsnummer, type FodselsnummerRules } from '../fodselsnummer.js';
import { PeopleRegister } from '../people-register.js';
import { personStream } from '../people/person-stream.js';
import { survivingPerson } from '../people/surviving-person.js';

export class ReplaceNationalIdCommand extends BusCommand<{ personId: string; nationalId: string; reason: string }> {}

/**
 * A D-number replaced by a fødselsnummer: the same person, its id kept, so nothing else changes. The event says only
 * that the number (and its kind) changed; the register links the new number and keeps the old one as former.
 */
@CommandHandler(ReplaceNationalIdCommand)
export class ReplaceNationalIdHandler implements ICommandHandler<ReplaceNationalIdCommand> {
  private readonly rules: FodselsnummerRules;

  constructor(
    private readonly people: PeopleRegister,
    private readonly streams: StreamCommandHandler,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.rules = { acceptSynthetic: config.ACCEPT_SYNTHETIC_NATIONAL_IDS };
  }

  async execute({ data: { personId, nationalId, reason }, context }: ReplaceNationalIdCommand) {
    const { tenant } = context.principal;
    const { kind } = assertValidFodselsnummer(nationalId, 'nationalId', this.rules);
    await survivingPerson(this.people, tenant, personId, 'personId');
    if ((await this.people.checkNumberFor(tenant, personId, nationalId)).linked) return { personId, replaced: false };
    const { nationalId: current } = await this.people.read(tenant, personId, ['nationalId']);
    const previousKind =
      typeof current === 'string' && isValidFodselsnummer(current, this.rules)
        ? assertValidFodselsnummer(current, 'nationalId', this.rules).kind
        : null;
    const command = { type: 'ReplaceNationalId', data: { personId, previousKind, numberKind: kind } } as const;
    await this.streams.handleIn(personStream, personId, personDecider, command, { ...context, reason });
    await this.people.replaceNationalId(tenant, personId, nationalId);
    return { personId, replaced: true };
  }
}
