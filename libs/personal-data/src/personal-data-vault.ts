import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from '#libs/database';
import { DomainError } from '#libs/decider';
import { PG_POOL } from '#libs/platform';
import {
  fromBytes,
  fromCompact,
  newDataKey,
  open,
  seal,
  toBytes,
  toCompact,
  UnreadableCiphertext,
} from './sealed-box.js';
import { SubjectKeyCache } from './subject-key-cache.js';

export const PERSONAL_DATA_MASTER_KEY = Symbol('PERSONAL_DATA_MASTER_KEY');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a personal field reads as once its subject is erased. */
export interface Erased {
  readonly erased: true;
}
export const ERASED: Erased = Object.freeze({ erased: true });
export const isErasedValue = (value: string | Erased): value is Erased => typeof value !== 'string';

export interface Erasure {
  erasedAt: Date;
  /** True when an earlier erasure already removed the key: erasing is idempotent. */
  alreadyErased: boolean;
}

export class UnknownDataSubject extends DomainError {
  readonly kind = 'not_found';
  constructor(readonly subjectId: string) {
    // Only a well-formed pseudonym is echoed: a caller may have put anything, even a national id, in its place.
    super(UUID.test(subjectId) ? `No data subject ${subjectId} is known here` : 'A data subject id must be a uuid');
  }
}

export class DataSubjectErased extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly subjectId: string) {
    super(`Data subject ${subjectId} has been erased; no personal data can be recorded for it`);
  }
}

export class ErasureNeedsReason extends DomainError {
  readonly kind = 'invalid';
  constructor() {
    super('An erasure must give its reason');
  }
}

// Additional data binds a wrapped key to its row, and a ciphertext to its subject and field: swapping either fails.
const keyBinding = (tenant: string, subjectId: string) =>
  Buffer.from(JSON.stringify(['subject-key', tenant, subjectId.toLowerCase()]));
const fieldBinding = (tenant: string, subjectId: string, field: string) =>
  Buffer.from(JSON.stringify(['field', tenant, subjectId.toLowerCase(), field]));

/**
 * Crypto-shredding: every data subject (a child, a guardian) has its own AES-256-GCM data key, stored wrapped with
 * the master key. Erasing deletes the wrapped key, so every ciphertext of the subject, in events, Kafka or backups,
 * reads as erased from then on. Rows stay, keyless, as the proof of the erasure.
 */
@Injectable()
export class PersonalDataVault implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new SubjectKeyCache({ capacity: 256, ttlMs: 30_000 });
  private listener?: PoolClient;
  // Bumped by every erasure: a key unwrapped while an erasure ran is used once but never cached.
  private erasures = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PERSONAL_DATA_MASTER_KEY) private readonly masterKey: Buffer,
  ) {}

  /** A new pseudonymous subject id with a fresh data key; events carry this id instead of the person. */
  async createSubject(tenant: string): Promise<string> {
    const subjectId = randomUUID();
    const dataKey = newDataKey();
    const wrapped = toBytes(seal(this.masterKey, dataKey, keyBinding(tenant, subjectId)));
    await this.pool.query('INSERT INTO subject_keys (subject_id, tenant, wrapped_key) VALUES ($1, $2, $3)', [
      subjectId,
      tenant,
      wrapped,
    ]);
    this.cache.set(cacheId(tenant, subjectId), dataKey);
    return subjectId;
  }

  /** `v1.<iv>.<tag>.<ciphertext>` (base64url), readable only for this tenant, subject and field. */
  async encrypt(tenant: string, subjectId: string, field: string, plaintext: string): Promise<string> {
    const sealed = await this.withKey(tenant, subjectId, (key) =>
      toCompact(seal(key, Buffer.from(plaintext, 'utf8'), fieldBinding(tenant, subjectId, field))),
    );
    if (isErasedValue(sealed)) throw new DataSubjectErased(subjectId);
    return sealed;
  }

  /** The plaintext, or `ERASED` once the subject's key is gone; a tampered or swapped ciphertext throws. */
  async decrypt(tenant: string, subjectId: string, field: string, ciphertext: string): Promise<string | Erased> {
    return this.withKey(tenant, subjectId, (key) =>
      open(key, fromCompact(ciphertext), fieldBinding(tenant, subjectId, field)).toString('utf8'),
    );
  }

  /** Deletes the subject's key for good; the row keeps when and why. A second erasure changes nothing. */
  async erase(tenant: string, subjectId: string, reason: string): Promise<Erasure> {
    if (reason.trim() === '') throw new ErasureNeedsReason();
    assertSubjectId(subjectId);
    const { rows } = await this.pool.query<{ erased_at: Date }>(
      `UPDATE subject_keys SET wrapped_key = NULL, erased_at = now(), erasure_reason = $3
        WHERE subject_id = $1 AND tenant = $2 AND erased_at IS NULL
        RETURNING erased_at`,
      [subjectId, tenant, reason],
    );
    this.erasures += 1;
    this.cache.forget(cacheId(tenant, subjectId));
    // Every other process drops its cached copy of the key too (see onModuleInit).
    await this.pool.query('SELECT pg_notify($1, $2)', [ERASURE_CHANNEL, cacheId(tenant, subjectId)]);
    const erased = rows[0];
    if (erased) return { erasedAt: erased.erased_at, alreadyErased: false };
    const earlier = await this.row(tenant, subjectId);
    if (!earlier.erased_at) throw new Error(`Data subject ${subjectId} was neither erased nor erasable`);
    return { erasedAt: earlier.erased_at, alreadyErased: true };
  }

  /** Listens for erasures made by other processes, so no process keeps using a shredded key from its cache. */
  async onModuleInit(): Promise<void> {
    this.listener = await this.pool.connect();
    this.listener.on('notification', ({ payload }) => {
      this.erasures += 1;
      if (payload) this.cache.forget(payload);
    });
    this.listener.on('error', (error) => new Logger('personal-data').warn({ err: error }, 'erasure listener lost'));
    await this.listener.query(`LISTEN ${ERASURE_CHANNEL}`);
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.listener) return;
    await this.listener.query(`UNLISTEN ${ERASURE_CHANNEL}`).catch(() => undefined);
    this.listener.release();
    this.listener = undefined;
  }

  /** Asks the database, not the cache: the answer is the one to show an auditor. */
  async isErased(tenant: string, subjectId: string): Promise<boolean> {
    return (await this.row(tenant, subjectId)).erased_at !== null;
  }

  // The key is used synchronously inside `use`, so a cached key zeroed by a later eviction is never read half-way.
  private async withKey<T>(tenant: string, subjectId: string, use: (key: Buffer) => T): Promise<T | Erased> {
    const id = cacheId(tenant, subjectId);
    const cached = this.cache.get(id);
    if (cached) return use(cached);
    const erasuresBefore = this.erasures;
    const { wrapped_key } = await this.row(tenant, subjectId);
    if (!wrapped_key) return ERASED;
    const key = this.unwrap(tenant, subjectId, wrapped_key);
    if (erasuresBefore === this.erasures) this.cache.set(id, key);
    return use(key);
  }

  private async row(tenant: string, subjectId: string) {
    assertSubjectId(subjectId);
    const { rows } = await this.pool.query<{ wrapped_key: Buffer | null; erased_at: Date | null }>(
      'SELECT wrapped_key, erased_at FROM subject_keys WHERE subject_id = $1 AND tenant = $2',
      [subjectId, tenant],
    );
    const row = rows[0];
    // Another tenant's subject is as unknown as a missing one: its existence is not revealed.
    if (!row) throw new UnknownDataSubject(subjectId);
    return row;
  }

  private unwrap(tenant: string, subjectId: string, wrapped: Buffer): Buffer {
    try {
      return open(this.masterKey, fromBytes(wrapped), keyBinding(tenant, subjectId));
    } catch (error) {
      if (!(error instanceof UnreadableCiphertext)) throw error;
      throw new Error(
        `The key of data subject ${subjectId} does not unwrap: PERSONAL_DATA_MASTER_KEY is not the key it was stored with`,
      );
    }
  }
}

const ERASURE_CHANNEL = 'personal_data_erased';

const cacheId = (tenant: string, subjectId: string) => `${tenant}/${subjectId.toLowerCase()}`;

const assertSubjectId = (subjectId: string): void => {
  if (!UUID.test(subjectId)) throw new UnknownDataSubject(subjectId);
};
