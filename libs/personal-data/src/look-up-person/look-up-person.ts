import { Inject, Injectable } from '@nestjs/common';
import { refusal } from '#libs/decider';
import { AccessTrail, APP_CONFIG, type AppConfig, type Principal } from '#libs/platform';
import { assertValidFodselsnummer } from '../fodselsnummer.js';
import { PeopleRegister } from '../people-register.js';

export const LOOKUP_ACTION = 'people: look-up by national identity number';

export class NoPersonHasThatNumber extends refusal(
  'not_found',
  () => 'No person with that national identity number is registered here',
) {}

/**
 * A caseworker finds the pseudonymous person of a national id. The access trail records every look-up, with the
 * person found or none; the number itself is kept nowhere but in the register's keyed hash.
 */
@Injectable()
export class PersonLookup {
  constructor(
    private readonly people: PeopleRegister,
    private readonly trail: AccessTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async find(principal: Principal, nationalId: string): Promise<{ personId: string }> {
    assertValidFodselsnummer(nationalId, 'nationalId', { acceptSynthetic: this.config.ACCEPT_SYNTHETIC_NATIONAL_IDS });
    const personId = await this.people.knownSubject(principal.tenant, nationalId);
    // Recorded before the answer: a look-up that cannot be recorded does not happen.
    await this.trail.recordRead(principal, LOOKUP_ACTION, personId ?? null);
    if (!personId) throw new NoPersonHasThatNumber();
    return { personId };
  }
}
