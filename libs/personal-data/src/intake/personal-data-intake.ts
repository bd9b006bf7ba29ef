import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/platform';
import { assertValidFodselsnummer, type FodselsnummerRules, type ParsedFodselsnummer } from '../fodselsnummer.js';
import { PeopleRegister, type PersonalField } from '../people-register.js';

/** A person as a command brings them in: a national id and the personal fields to keep about them. */
export interface PersonArriving {
  nationalId: string;
  /** The request field the number came in, named in a 400 (the number itself never is). */
  field: string;
  /** Sealed under the subject's key with the national id, which is always kept (a key rotation rehashes from it). */
  fields?: Partial<Record<Exclude<PersonalField, 'nationalId'>, string>>;
  /**
   * Runs after the number is checked and before anything is stored, so a command the domain refuses (no waitlist,
   * an application already decided, the same child applying twice…) leaves no subject key and no personal data
   * behind, and changes none already kept. `subjectId` is the person's when already registered.
   */
  beforeStoring?: (id: ParsedFodselsnummer & { subjectId?: string }) => Promise<unknown>;
}

export interface PersonReceived extends ParsedFodselsnummer {
  /** The pseudonymous id events carry instead of the person. */
  subjectId: string;
  isNew: boolean;
}

/**
 * The one way personal data comes in: check the national id, find or create the person's subject (and key), seal
 * the fields under that key. Whether synthetic test numbers count as valid is the validated configuration's call.
 */
@Injectable()
export class PersonalDataIntake {
  private readonly rules: FodselsnummerRules;

  constructor(
    private readonly people: PeopleRegister,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.rules = { acceptSynthetic: config.ACCEPT_SYNTHETIC_NATIONAL_IDS };
  }

  async receive(tenant: string, person: PersonArriving): Promise<PersonReceived> {
    const id = assertValidFodselsnummer(person.nationalId, person.field, this.rules);
    const known = person.beforeStoring ? await this.people.findLink(tenant, person.nationalId) : undefined;
    if (person.beforeStoring) await person.beforeStoring({ ...id, subjectId: known?.subjectId });
    const { subjectId, isNew } = await this.people.receive(
      tenant,
      person.nationalId,
      { ...person.fields, nationalId: person.nationalId },
      known,
    );
    return { ...id, subjectId, isNew };
  }
}
