import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { inTransaction, type Pool, type PoolClient } from '#libs/database';
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
import type { MasterKeyRing } from './master-key.js';

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

/** See PersonalDataVault.newSubject. */
export interface NewSubject {
  subjectId: string;
  wrappedKey: Buffer;
  masterKeyId: string;
  /** The field sealed under the new subject's key, as `encrypt` would. */
  seal(field: string, plaintext: string): string;
  stored(): void;
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
  // From shutdown on, the listener's connection closing is expected, not news.
  private stopping = false;
  // Bumped by every erasure: a key unwrapped while an erasure ran is used once but never cached.
  private erasures = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PERSONAL_DATA_MASTER_KEY) private readonly keys: MasterKeyRing,
  ) {}

  /** A new pseudonymous subject id with a fresh data key; events carry this id instead of the person. */
  async createSubject(tenant: string): Promise<string> {
    const subject = this.newSubject(tenant);
    await this.pool.query(
      'INSERT INTO subject_keys (subject_id, tenant, wrapped_key, master_key_id) VALUES ($1, $2, $3, $4)',
      [subject.subjectId, tenant, subject.wrappedKey, subject.masterKeyId],
    );
    subject.stored();
    return subject.subjectId;
  }

  /**
   * A subject not stored yet, for whoever stores its key row in the same statement as what links to it (the people
   * register: identity link and fields at once). `stored()` keeps the key in the cache once the row is there.
   */
  newSubject(tenant: string): NewSubject {
    const subjectId = randomUUID();
    const dataKey = newDataKey();
    return {
      subjectId,
      wrappedKey: this.wrap(tenant, subjectId, dataKey),
      masterKeyId: this.keys.current.id,
      seal: (field, plaintext) =>
        toCompact(seal(dataKey, Buffer.from(plaintext, 'utf8'), fieldBinding(tenant, subjectId, field))),
      stored: () => this.cache.set(cacheId(tenant, subjectId), dataKey),
    };
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

  /**
   * Erasure on disk (docs/runbook.md, Personal data): PostgreSQL keeps an updated or deleted row's old bytes in the
   * table file until the space is reused, and in the WAL until its segment is removed. So after erasures the tables
   * that held key material are rewritten (VACUUM FULL writes new files and drops the old ones), and a checkpoint after
   * a WAL switch lets the server remove the segments that still hold the old rows (the embedded server runs with
   * `wal_recycle=off`, so they are deleted, not renamed for reuse). Backups keep copies until their own retention ends.
   * The rewrite needs the tables' owner; the checkpoint needs superuser or `pg_checkpoint` and `pg_switch_wal`: where
   * those are not granted the report says so and the operator runs the steps (runbook).
   */
  async purgeErased(): Promise<PurgeOutcome> {
    const outcome = await this.rewriteAndCheckpoint();
    // The erasures stand either way (their keys are shredded); only the disk's old copies wait for the next purge.
    if (!outcome.tablesRewritten)
      new Logger('personal-data').warn({ problem: outcome.problem }, 'erasure: old rows may be kept');
    return outcome;
  }

  private async rewriteAndCheckpoint(): Promise<PurgeOutcome> {
    const client = await this.pool.connect();
    let settled: boolean;
    try {
      // VACUUM FULL copies a deleted row into the new files while any snapshot in this database could still see it
      // (a transaction begun before the erasure, an autovacuum's analyse). So it waits, a few seconds at most, until
      // every other snapshot here is younger than this purge.
      settled = await snapshotsYoungerThanNow(client, PURGE_PATIENCE_MS);
      // Waits at most a few seconds for readers of these small tables; a later purge catches up otherwise.
      await client.query("SET lock_timeout = '5s'");
      await client.query('VACUUM FULL subject_keys, personal_fields, subject_identities');
    } catch (error) {
      return { tablesRewritten: false, walRemoved: false, problem: (error as Error).message };
    } finally {
      await client.query('RESET lock_timeout').catch(() => undefined);
      client.release();
    }
    const kept = settled
      ? {}
      : { problem: 'a transaction older than the erasure was still open, so its rows may be kept: purge again' };
    try {
      await this.pool.query('CHECKPOINT');
      await this.pool.query('SELECT pg_switch_wal()');
      await this.pool.query('CHECKPOINT');
      return { tablesRewritten: settled, walRemoved: true, ...kept };
    } catch (error) {
      new Logger('personal-data').warn({ err: error }, 'erasure: WAL not purged (run the runbook steps)');
      return { tablesRewritten: settled, walRemoved: false, problem: (error as Error).message };
    }
  }

  /** Listens for erasures made by other processes, so no process keeps using a shredded key from its cache. */
  async onModuleInit(): Promise<void> {
    this.listener = await this.pool.connect();
    this.listener.on('notification', ({ payload }) => {
      this.erasures += 1;
      if (payload) this.cache.forget(payload);
    });
    this.listener.on('error', (error) => {
      if (!this.stopping) new Logger('personal-data').warn({ err: error }, 'erasure listener lost');
    });
    await this.listener.query(`LISTEN ${ERASURE_CHANNEL}`);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
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
    const { wrapped_key, master_key_id } = await this.row(tenant, subjectId);
    if (!wrapped_key) return ERASED;
    const key = this.unwrap(tenant, subjectId, wrapped_key, master_key_id);
    if (erasuresBefore === this.erasures) this.cache.set(id, key);
    return use(key);
  }

  private async row(tenant: string, subjectId: string) {
    assertSubjectId(subjectId);
    const { rows } = await this.pool.query<{
      wrapped_key: Buffer | null;
      master_key_id: string | null;
      erased_at: Date | null;
    }>('SELECT wrapped_key, master_key_id, erased_at FROM subject_keys WHERE subject_id = $1 AND tenant = $2', [
      subjectId,
      tenant,
    ]);
    const row = rows[0];
    // Another tenant's subject is as unknown as a missing one: its existence is not revealed.
    if (!row) throw new UnknownDataSubject(subjectId);
    return row;
  }

  /**
   * Re-wraps the tenant's subject keys that another master key wrapped with the current one, in batches; the data
   * keys, and so every ciphertext, stay as they are. Keys no configured master key opens are left and reported.
   */
  async rewrapSubjectKeys(tenant: string, batchSize = 500): Promise<{ rewrapped: number; unreadable: string[] }> {
    const unreadable: string[] = [];
    let rewrapped = 0;
    for (;;) {
      const done = await inTransaction(this.pool, async (client) => {
        // Locked rows are another rotation's or an erasure's; the next round takes them.
        const { rows } = await client.query<{ subject_id: string; wrapped_key: Buffer; master_key_id: string | null }>(
          `SELECT subject_id::text, wrapped_key, master_key_id FROM subject_keys
            WHERE tenant = $1 AND wrapped_key IS NOT NULL AND master_key_id IS DISTINCT FROM $2
              AND NOT (subject_id = ANY ($3::uuid[]))
            ORDER BY subject_id LIMIT $4 FOR UPDATE SKIP LOCKED`,
          [tenant, this.keys.current.id, unreadable, batchSize],
        );
        for (const row of rows) {
          let dataKey: Buffer;
          try {
            dataKey = this.unwrap(tenant, row.subject_id, row.wrapped_key, row.master_key_id);
          } catch {
            unreadable.push(row.subject_id);
            continue;
          }
          await client.query('UPDATE subject_keys SET wrapped_key = $2, master_key_id = $3 WHERE subject_id = $1', [
            row.subject_id,
            this.wrap(tenant, row.subject_id, dataKey),
            this.keys.current.id,
          ]);
          dataKey.fill(0);
          rewrapped += 1;
        }
        return rows.length === 0;
      });
      if (done) return { rewrapped, unreadable };
    }
  }

  /** Subject keys of the tenant still wrapped by a master key other than the current one. */
  async keysOnOtherMasterKeys(tenant: string): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM subject_keys
        WHERE tenant = $1 AND wrapped_key IS NOT NULL AND master_key_id IS DISTINCT FROM $2`,
      [tenant, this.keys.current.id],
    );
    return Number(rows[0]?.count ?? 0);
  }

  get currentMasterKeyId(): string {
    return this.keys.current.id;
  }

  private wrap(tenant: string, subjectId: string, dataKey: Buffer): Buffer {
    return toBytes(seal(this.keys.current.key, dataKey, keyBinding(tenant, subjectId)));
  }

  // By the row's key id; a key wrapped before ids existed (NULL) is tried with every configured key.
  private unwrap(tenant: string, subjectId: string, wrapped: Buffer, keyId: string | null): Buffer {
    const configured = [this.keys.current, ...this.keys.previous];
    const candidates = keyId === null ? configured : configured.filter((k) => k.id === keyId);
    for (const candidate of candidates) {
      try {
        return open(candidate.key, fromBytes(wrapped), keyBinding(tenant, subjectId));
      } catch (error) {
        if (!(error instanceof UnreadableCiphertext)) throw error;
      }
    }
    throw new Error(
      `The key of data subject ${subjectId} does not unwrap: it was stored with master key ${keyId ?? '(unknown)'}, ` +
        'which is neither PERSONAL_DATA_MASTER_KEY nor in PERSONAL_DATA_PREVIOUS_MASTER_KEYS',
    );
  }
}

const ERASURE_CHANNEL = 'personal_data_erased';

const cacheId = (tenant: string, subjectId: string) => `${tenant}/${subjectId.toLowerCase()}`;

/** What a purge of erased rows managed (PersonalDataVault.purgeErased); `problem` says why when something was not. */
export interface PurgeOutcome {
  tablesRewritten: boolean;
  walRemoved: boolean;
  problem?: string;
}

const assertSubjectId = (subjectId: string): void => {
  if (!UUID.test(subjectId)) throw new UnknownDataSubject(subjectId);
};

/** How long a purge waits for older snapshots to end before it rewrites the tables anyway. */
const PURGE_PATIENCE_MS = 10_000;

/**
 * Waits until no other session in this database holds a snapshot, or a transaction, older than now (a transaction
 * id taken here), or `patienceMs` has passed: PostgreSQL keeps a deleted row for both. True when none is left. Sessions of other roles may hide their snapshot from a role
 * without `pg_read_all_stats`; those are not waited for.
 */
const snapshotsYoungerThanNow = async (client: PoolClient, patienceMs: number): Promise<boolean> => {
  const { rows } = await client.query<{ now: string }>('SELECT xid(pg_current_xact_id())::text AS now');
  const now = rows[0]?.now ?? '0';
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const { rows: older } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND (age(backend_xmin) > age($1::xid) OR age(backend_xid) > age($1::xid))`,
      [now],
    );
    if ((older[0]?.n ?? 0) === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
};
