import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { inTransaction, SameTurnBatch, type Pool } from '#libs/database';
import { PG_POOL } from '#libs/platform';
import { NationalIdBelongsToAnotherPerson } from './domain/index.js';
import type { MasterKeyRing } from './master-key.js';
import {
  ERASED,
  PERSONAL_DATA_MASTER_KEY,
  PersonalDataVault,
  type Erased,
  type Erasure,
  type NewSubject,
} from './personal-data-vault.js';

/** The personal fields the platform keeps about a child or a guardian, always encrypted under the subject's key. */
export type PersonalField =
  | 'name'
  | 'nationalId'
  /** The numbers a person held before (a D-number replaced, a merged registration's), as a JSON array. */
  | 'formerNationalIds'
  | 'address'
  | 'guardianName'
  | 'guardianEmail'
  | 'guardianPhone'
  | 'householdIncome';

/** A pseudonymous id as the register answers for it: the surviving person (after a merge) and whether erased. */
export interface ResolvedPerson {
  personId: string;
  erased: boolean;
}

interface LinkLookup {
  tenant: string;
  /** The number's hash under the current master key, then under each retired one. */
  hashes: Buffer[];
}

interface NewPerson {
  tenant: string;
  hash: Buffer;
  subject: NewSubject;
  /** Field name and ciphertext under the subject's new key. */
  sealed: [string, string][];
}

interface LinkRow {
  subject_id: string;
  identity_hash: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type PersonalRecord = Partial<Record<PersonalField, string | Erased>>;

/** A national id's link to its subject as the register found it: under the current master key's hash or a retired one's. */
export interface KnownSubject {
  subjectId: string;
  identityHash: Buffer;
}

/**
 * Who is who, without plaintext: finds the pseudonymous subject of a national id through a keyed hash, and keeps
 * the subject's personal fields as ciphertext. Erasing removes the key, the identity link and the ciphertexts.
 */
@Injectable()
export class PeopleRegister {
  /** The current master key's identity key first, then the retired ones' (during a rotation). */
  private readonly identityKeys: Buffer[];
  private readonly links = new SameTurnBatch<LinkLookup, LinkRow[]>((lookups) => this.findLinks(lookups));
  private readonly creations = new SameTurnBatch<NewPerson, boolean>((people) => this.createAll(people));

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PERSONAL_DATA_MASTER_KEY) keys: MasterKeyRing,
    private readonly vault: PersonalDataVault,
  ) {
    this.identityKeys = [keys.current, ...keys.previous].map(({ key }) =>
      Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'kulturskole identity index', 32)),
    );
  }

  /** The same national id always gives the same subject (in one tenant), so a child's applications meet. */
  async subjectFor(tenant: string, nationalId: string): Promise<{ subjectId: string; isNew: boolean }> {
    return this.receive(tenant, nationalId, {});
  }

  /**
   * subjectFor, with the person's fields sealed and recorded under their key. A new person is one statement: key,
   * identity link and fields are stored together or not at all. `known` is what findLink answered for the same
   * number moments before, which spares reading the link again.
   */
  async receive(
    tenant: string,
    nationalId: string,
    fields: Partial<Record<PersonalField, string>>,
    known?: KnownSubject | null,
  ): Promise<{ subjectId: string; isNew: boolean }> {
    const [hash] = this.hashes(tenant, nationalId);
    if (!hash) throw new Error('no identity key');
    const link = known === undefined ? await this.findLink(tenant, nationalId) : known;
    if (!link) {
      const created = await this.create(tenant, hash, fields);
      if (created) return { subjectId: created, isNew: true };
    }
    // Another request registered the same person first: theirs is the subject.
    const found = link ?? (await this.findLink(tenant, nationalId));
    if (!found) throw new Error('identity link vanished while registering');
    await this.underCurrentKey(tenant, found, hash);
    await this.record(tenant, found.subjectId, fields);
    return { subjectId: found.subjectId, isNew: false };
  }

  /** The subject of a national id already registered in the tenant, if any; reads only, creates nothing. */
  async knownSubject(tenant: string, nationalId: string): Promise<string | undefined> {
    return (await this.findLink(tenant, nationalId))?.subjectId;
  }

  /** knownSubject with the hash it is linked under (null if none); reads only. */
  async findLink(tenant: string, nationalId: string): Promise<KnownSubject | null> {
    const [hash, ...retired] = this.hashes(tenant, nationalId);
    if (!hash) throw new Error('no identity key');
    const rows = await this.links.ask({ tenant, hashes: [hash, ...retired] });
    const found = rows.find((row) => row.identity_hash.equals(hash)) ?? rows[0];
    return found ? { subjectId: found.subject_id, identityHash: found.identity_hash } : null;
  }

  /** The links of the numbers looked up in one turn (every application and registration asks), in one statement. */
  private async findLinks(lookups: LinkLookup[]): Promise<LinkRow[][]> {
    const [only] = lookups;
    // Named (prepared once per connection).
    if (lookups.length === 1 && only) {
      const { rows } = await this.pool.query<LinkRow>({
        name: 'people_find_link',
        text: 'SELECT subject_id, identity_hash FROM subject_identities WHERE tenant = $1 AND identity_hash = ANY ($2::bytea[])',
        values: [only.tenant, only.hashes],
      });
      return [rows];
    }
    const asked = lookups.flatMap(({ tenant, hashes }, n) => hashes.map((hash) => ({ n, tenant, hash })));
    const { rows } = await this.pool.query<LinkRow & { n: number }>({
      name: 'people_find_links',
      text: `SELECT r.n, s.subject_id, s.identity_hash
               FROM unnest($1::int[], $2::text[], $3::bytea[]) AS r(n, tenant, hash)
               JOIN subject_identities s ON s.tenant = r.tenant AND s.identity_hash = r.hash`,
      values: [asked.map((a) => a.n), asked.map((a) => a.tenant), asked.map((a) => a.hash)],
    });
    const answers = lookups.map((): LinkRow[] => []);
    for (const { n, ...row } of rows) answers[n]?.push(row);
    return answers;
  }

  /**
   * Key, identity link and sealed fields of a person not registered yet, in one statement; undefined (and nothing
   * stored) when the link is already taken by someone registering the same number at the same time.
   */
  private async create(
    tenant: string,
    hash: Buffer,
    fields: Partial<Record<PersonalField, string>>,
  ): Promise<string | undefined> {
    const subject = this.vault.newSubject(tenant);
    const named = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const sealed = named.map(([field, value]): [string, string] => [field, subject.seal(field, value)]);
    const created = await this.creations.ask({ tenant, hash, subject, sealed });
    if (!created) return undefined;
    subject.stored();
    return subject.subjectId;
  }

  /**
   * The people registered in one turn, in one statement: whether each one's link was free (ON CONFLICT leaves a taken
   * one, and with it that person's key and fields, unwritten). A batch that fails is tried one by one, so one person's
   * failure stays that request's own.
   */
  private async createAll(people: NewPerson[]): Promise<boolean[]> {
    try {
      const fields = people.flatMap(({ subject, sealed }) =>
        sealed.map(([field, text]) => [subject.subjectId, field, text]),
      );
      const { rows } = await this.pool.query<{ subject_id: string }>({
        name: 'people_create',
        text: `WITH person AS (
           SELECT * FROM unnest($1::text[], $2::bytea[], $3::uuid[], $4::bytea[], $5::text[])
             AS p(tenant, identity_hash, subject_id, wrapped_key, master_key_id)
         ), link AS (
           INSERT INTO subject_identities (tenant, identity_hash, subject_id)
           SELECT tenant, identity_hash, subject_id FROM person
           ON CONFLICT DO NOTHING RETURNING subject_id
         ), key AS (
           INSERT INTO subject_keys (subject_id, tenant, wrapped_key, master_key_id)
           SELECT p.subject_id, p.tenant, p.wrapped_key, p.master_key_id FROM person p JOIN link USING (subject_id)
           RETURNING subject_id, tenant
         ), sealed AS (
           INSERT INTO personal_fields (tenant, subject_id, field, ciphertext)
           SELECT key.tenant, key.subject_id, f.field, f.ciphertext
             FROM key JOIN unnest($6::uuid[], $7::text[], $8::text[]) AS f(subject_id, field, ciphertext) USING (subject_id)
         )
         SELECT subject_id::text FROM link`,
        values: [
          people.map((p) => p.tenant),
          people.map((p) => p.hash),
          people.map((p) => p.subject.subjectId),
          people.map((p) => p.subject.wrappedKey),
          people.map((p) => p.subject.masterKeyId),
          ...[0, 1, 2].map((column) => fields.map((row) => row[column])),
        ],
      });
      const linked = new Set(rows.map((row) => row.subject_id));
      return people.map((p) => linked.has(p.subject.subjectId));
    } catch (error) {
      if (people.length === 1) throw error;
      return Promise.all(people.map(async (person) => (await this.createAll([person]))[0] ?? false));
    }
  }

  /**
   * The person each id names in the tenant, following merges to the survivor; an id the tenant never registered (or
   * not a uuid) is missing from the answer. A child the waitlist took in is a registered person too.
   */
  async resolve(tenant: string, ids: readonly string[]): Promise<Map<string, ResolvedPerson>> {
    const wellFormed = [...new Set(ids)].filter((id) => UUID.test(id)).map((id) => id.toLowerCase());
    const { rows } = await this.pool.query<{ id: string; person_id: string; erased: boolean }>(
      `SELECT k.subject_id::text AS id, s.subject_id::text AS person_id, s.erased_at IS NOT NULL AS erased
         FROM subject_keys k
         LEFT JOIN person_merges m ON m.tenant = k.tenant AND m.retired_id = k.subject_id
         JOIN subject_keys s ON s.subject_id = coalesce(m.person_id, k.subject_id)
        WHERE k.tenant = $1 AND k.subject_id = ANY ($2::uuid[])`,
      [tenant, wellFormed],
    );
    const found = new Map(rows.map((row) => [row.id, { personId: row.person_id, erased: row.erased }]));
    return new Map(
      ids.flatMap((id) => {
        const person = found.get(id.toLowerCase());
        return person ? [[id, person] as const] : [];
      }),
    );
  }

  /** The ids merged into a person (none for most people). */
  async retiredInto(tenant: string, personId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ retired_id: string }>(
      'SELECT retired_id::text FROM person_merges WHERE tenant = $1 AND person_id = $2 ORDER BY retired_id',
      [tenant, personId],
    );
    return rows.map((row) => row.retired_id);
  }

  /**
   * The person a national id is linked to now, refusing a number of another person; `linked` tells whether it is
   * this person's already (a replacement sent twice).
   */
  async checkNumberFor(tenant: string, personId: string, nationalId: string): Promise<{ linked: boolean }> {
    const holder = await this.knownSubject(tenant, nationalId);
    if (holder !== undefined && holder !== personId) throw new NationalIdBelongsToAnotherPerson(personId);
    return { linked: holder === personId };
  }

  /**
   * Links a new number to the person (a fødselsnummer replacing a D-number): the new one becomes its national id, the
   * old one is kept among its former numbers and still finds the person.
   */
  async replaceNationalId(tenant: string, personId: string, nationalId: string): Promise<void> {
    const [hash] = this.hashes(tenant, nationalId);
    if (!hash) throw new Error('no identity key');
    await this.pool.query(
      `INSERT INTO subject_identities (tenant, identity_hash, subject_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [tenant, hash, personId],
    );
    await this.checkNumberFor(tenant, personId, nationalId);
    const numbers = await this.numbersOf(tenant, personId);
    if (numbers[0] === nationalId) return;
    await this.record(tenant, personId, {
      nationalId,
      formerNationalIds: JSON.stringify(numbers.filter((n) => n !== nationalId)),
    });
  }

  /**
   * `from` becomes `into`: its numbers find `into` (kept among `into`'s former numbers), and every id merged into
   * `from` before now names `into`, so no chain is left to follow. `from`'s own fields stay, under its own key.
   */
  async merge(tenant: string, from: string, into: string): Promise<void> {
    const retiring = await this.numbersOf(tenant, from);
    await inTransaction(this.pool, async (client) => {
      await client.query('UPDATE subject_identities SET subject_id = $3 WHERE tenant = $1 AND subject_id = $2', [
        tenant,
        from,
        into,
      ]);
      await client.query('UPDATE person_merges SET person_id = $3 WHERE tenant = $1 AND person_id = $2', [
        tenant,
        from,
        into,
      ]);
      await client.query(
        `INSERT INTO person_merges (tenant, retired_id, person_id) VALUES ($1, $2, $3)
         ON CONFLICT (retired_id) DO UPDATE SET person_id = EXCLUDED.person_id`,
        [tenant, from, into],
      );
    });
    const [current, ...former] = await this.numbersOf(tenant, into);
    const all = [...new Set([...former, ...retiring])].filter((n) => n !== current);
    if (all.length > former.length) await this.record(tenant, into, { formerNationalIds: JSON.stringify(all) });
  }

  /** The person's national id first, then its former numbers; none once erased or never recorded. */
  private async numbersOf(tenant: string, personId: string): Promise<string[]> {
    const record = await this.read(tenant, personId, ['nationalId', 'formerNationalIds']);
    const { nationalId, formerNationalIds } = record;
    const former = typeof formerNationalIds === 'string' ? (JSON.parse(formerNationalIds) as string[]) : [];
    return [...(typeof nationalId === 'string' ? [nationalId] : []), ...former];
  }

  /** Encrypts each field under the subject's key and stores them all in one statement (all or none). */
  async record(tenant: string, subjectId: string, fields: Partial<Record<PersonalField, string>>): Promise<void> {
    const names: string[] = [];
    const ciphertexts: string[] = [];
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      names.push(field);
      ciphertexts.push(await this.vault.encrypt(tenant, subjectId, field, value));
    }
    if (names.length === 0) return;
    await this.pool.query(
      `INSERT INTO personal_fields (tenant, subject_id, field, ciphertext)
       SELECT $1::text, $2::uuid, f.field, f.ciphertext FROM unnest($3::text[], $4::text[]) AS f(field, ciphertext)
       ON CONFLICT (tenant, subject_id, field) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, updated_at = now()`,
      [tenant, subjectId, names, ciphertexts],
    );
  }

  /** Decrypted fields, or ERASED for each once the subject is erased. */
  async read(tenant: string, subjectId: string, fields: readonly PersonalField[]): Promise<PersonalRecord> {
    if (await this.vault.isErased(tenant, subjectId)) return Object.fromEntries(fields.map((f) => [f, ERASED]));
    const { rows } = await this.pool.query<{ field: PersonalField; ciphertext: string }>(
      'SELECT field, ciphertext FROM personal_fields WHERE tenant = $1 AND subject_id = $2 AND field = ANY ($3)',
      [tenant, subjectId, fields],
    );
    const record: PersonalRecord = {};
    for (const row of rows) record[row.field] = await this.vault.decrypt(tenant, subjectId, row.field, row.ciphertext);
    return record;
  }

  /** Erases the subject; its old bytes are purged from disk at once, or by `purgeErased` after a batch. */
  async erase(
    tenant: string,
    subjectId: string,
    reason: string,
    options: { deferPurge?: boolean } = {},
  ): Promise<Erasure> {
    const erasure = await this.vault.erase(tenant, subjectId, reason);
    await this.pool.query('DELETE FROM personal_fields WHERE tenant = $1 AND subject_id = $2', [tenant, subjectId]);
    await this.pool.query('DELETE FROM subject_identities WHERE tenant = $1 AND subject_id = $2', [tenant, subjectId]);
    if (!options.deferPurge) await this.purgeErased();
    return erasure;
  }

  /** See PersonalDataVault.purgeErased. */
  purgeErased() {
    return this.vault.purgeErased();
  }

  /**
   * After a master key rotation: every identity link hashed under a retired key is hashed again under the current
   * one, from the subject's encrypted national id. Links without one (a registration cut short) are counted.
   */
  async rehashIdentities(tenant: string): Promise<{ rehashed: number; withoutNationalId: number }> {
    const { rows } = await this.pool.query<{ identity_hash: Buffer; subject_id: string }>(
      'SELECT identity_hash, subject_id::text FROM subject_identities WHERE tenant = $1',
      [tenant],
    );
    let rehashed = 0;
    let withoutNationalId = 0;
    // A person may hold several links (a replaced D-number, a merged registration): each is its own number's.
    const numbers = new Map<string, string[]>();
    for (const row of rows) {
      if (!numbers.has(row.subject_id)) numbers.set(row.subject_id, await this.numbersOf(tenant, row.subject_id));
      const [current] =
        (numbers.get(row.subject_id) ?? [])
          .map((nationalId) => this.hashes(tenant, nationalId))
          .find((hashes) => hashes.some((hash) => hash.equals(row.identity_hash))) ?? [];
      if (!current) {
        withoutNationalId += 1;
        continue;
      }
      if (current.equals(row.identity_hash)) continue;
      await this.pool.query(
        'UPDATE subject_identities SET identity_hash = $3 WHERE tenant = $1 AND identity_hash = $2',
        [tenant, row.identity_hash, current],
      );
      rehashed += 1;
    }
    return { rehashed, withoutNationalId };
  }

  private hashes(tenant: string, nationalId: string): Buffer[] {
    return this.identityKeys.map((key) => createHmac('sha256', key).update(`${tenant}:${nationalId}`).digest());
  }

  // A link found under a retired key is moved to the current one on the way.
  private async underCurrentKey(tenant: string, link: KnownSubject, hash: Buffer): Promise<void> {
    if (link.identityHash.equals(hash)) return;
    await this.pool.query('UPDATE subject_identities SET identity_hash = $3 WHERE tenant = $1 AND identity_hash = $2', [
      tenant,
      link.identityHash,
      hash,
    ]);
  }
}
