import type { AppUnderTest } from './app-under-test.js';
import { fodselsnummerFor } from './national-ids.js';

export interface PersonToRegister {
  /** The year the child was born (2012 unless given): the number encodes it. */
  birthYear?: number;
  /** A given number (e.g. to register the same child twice); otherwise a fresh one for the birth year. */
  nationalId?: string;
  name?: string;
  gender?: 'female' | 'male' | 'unknown';
}

let issued = 0;

/** A national id no other call of this test process has used, for a child born in `birthYear`. */
export const freshNationalId = (birthYear = 2012): string => {
  const n = issued++;
  const month = String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  // From the 100th valid number of the day on: specs pick their own numbers from the first few.
  return fodselsnummerFor(`${birthYear}-${month}-${day}`, 100 + Math.floor(n / 336));
};

/**
 * Registers a child in the people register (`POST /people`, as a caseworker does before a direct enrolment or a
 * Kulturdag registration) and answers its person id. The app must serve PersonalDataHttpModule.
 */
export const registerPerson = async (
  sut: Pick<AppUnderTest, 'request'>,
  token: string,
  person: PersonToRegister = {},
): Promise<string> => {
  const body = {
    nationalId: person.nationalId ?? freshNationalId(person.birthYear),
    name: person.name ?? 'Test Barn',
    gender: person.gender ?? 'female',
  };
  const response = await sut.request('POST', '/people', { token, body });
  const { personId } = response.body as { personId?: string };
  if (response.status !== 201 || !personId)
    throw new Error(`registering a person answered ${response.status}: ${JSON.stringify(response.body)}`);
  return personId;
};
