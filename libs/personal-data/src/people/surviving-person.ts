import { PersonIsErased, PersonNotRegistered, PersonWasMerged } from '../domain/index.js';
import type { PeopleRegister } from '../people-register.js';

/** The person an id names, refused (naming `field`) unless it is registered, not erased and not merged away. */
export const survivingPerson = async (
  people: PeopleRegister,
  tenant: string,
  personId: string,
  field: string,
): Promise<void> => {
  const person = (await people.resolve(tenant, [personId])).get(personId);
  if (!person) throw new PersonNotRegistered(field, personId);
  if (person.personId !== personId.toLowerCase()) throw new PersonWasMerged(personId, person.personId);
  if (person.erased) throw new PersonIsErased(personId);
};

/**
 * The person each id names now (a retired registration's id names its survivor), refused (naming `fieldOf(id)`)
 * when an id is not a registered person of the tenant or the person is erased: nothing takes a made-up id.
 */
export const registeredPeople = async (
  people: PeopleRegister,
  tenant: string,
  ids: readonly string[],
  fieldOf: (id: string, index: number) => string,
): Promise<string[]> => {
  const found = await people.resolve(tenant, ids);
  return ids.map((id, index) => {
    const person = found.get(id);
    if (!person) throw new PersonNotRegistered(fieldOf(id, index), id);
    if (person.erased) throw new PersonIsErased(person.personId);
    return person.personId;
  });
};
