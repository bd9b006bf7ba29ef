import type { AccessTrail, Principal } from '#libs/platform';
import {
  isErasedValue,
  UnknownDataSubject,
  type PeopleRegister,
  type PersonalDataVault,
  type PersonalField,
} from '#libs/personal-data';
import type { History } from './event-history.js';

const PERSONAL_FIELDS: readonly PersonalField[] = [
  'name',
  'nationalId',
  'address',
  'guardianName',
  'guardianEmail',
  'guardianPhone',
  'householdIncome',
];
// Fields of event data that hold pseudonymous data-subject ids (children, pupils, payers).
const SUBJECT_FIELDS = ['childId', 'studentId', 'subjectId', 'payerId', 'householdId'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ERASED_TEXT = '[erased]';
export const HISTORY_READ_ACTION = 'audit: personal data in a history';

export interface PersonInHistory {
  subjectId: string;
  erased: boolean;
  /** Decrypted fields; every field reads `[erased]` once the subject is erased. */
  fields: Partial<Record<PersonalField, string>>;
}

/**
 * The people a history is about, decrypted for an auditor who asked for it: the traced subject and the subjects the
 * events name directly (and the paying household). Each decrypted read goes to the access trail; an erased subject
 * has nothing to decrypt, so nothing is read.
 */
export class HistoryPeople {
  constructor(
    private readonly people: PeopleRegister,
    private readonly vault: PersonalDataVault,
    private readonly trail: AccessTrail,
  ) {}

  async of(principal: Principal, history: History): Promise<PersonInHistory[]> {
    const candidates = new Set<string>([history.id]);
    for (const entry of history.entries) {
      if (entry.via !== null) continue;
      const data = entry.data as Record<string, unknown>;
      for (const field of SUBJECT_FIELDS) if (typeof data[field] === 'string') candidates.add(data[field]);
    }
    for (const link of history.linked)
      if (link.field === 'payerId' || link.field === 'householdId') candidates.add(link.id);

    const found: PersonInHistory[] = [];
    for (const subjectId of candidates) {
      if (!UUID.test(subjectId)) continue;
      const person = await this.read(principal, subjectId);
      if (person) found.push(person);
    }
    return found;
  }

  private async read(principal: Principal, subjectId: string): Promise<PersonInHistory | undefined> {
    const tenant = principal.tenant;
    let erased: boolean;
    try {
      erased = await this.vault.isErased(tenant, subjectId);
    } catch (error) {
      if (error instanceof UnknownDataSubject) return undefined; // an id without personal data (e.g. a place)
      throw error;
    }
    // Recorded before the read: a read that cannot be recorded does not happen.
    if (!erased) await this.trail.recordRead(principal, HISTORY_READ_ACTION, subjectId);
    const record = await this.people.read(tenant, subjectId, PERSONAL_FIELDS);
    const fields: PersonInHistory['fields'] = {};
    for (const [field, value] of Object.entries(record) as [PersonalField, (typeof record)[PersonalField]][]) {
      if (value !== undefined) fields[field] = isErasedValue(value) ? ERASED_TEXT : value;
    }
    return { subjectId, erased, fields };
  }
}
