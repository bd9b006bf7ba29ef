import type { Pool } from '#libs/database';
import {
  lastStoredCheckpoint,
  markPublished,
  publishedThrough,
  storedCheckpoints,
  type StoredCheckpoint,
} from '#libs/event-store';
import type { Anchor } from './anchor.js';
import { signAnchor } from './anchor.js';
import { AnchorFile } from './anchor-file.js';
import type { AnchorSigningKey } from './signing-key.js';
import { PostgresAuditStore } from '../store/postgres-audit-store.js';
import type { AuditStore } from '../store/audit-store.js';

/** Somewhere the signed anchors are published: the auditor's file, a Kafka topic. */
export interface AnchorTarget {
  /** Names the target in es_checkpoint_publications. */
  readonly name: string;
  publish(lines: readonly string[]): Promise<void>;
}

export const fileTarget = (file: AnchorFile): AnchorTarget & { file: AnchorFile } => ({
  name: 'file',
  file,
  publish: (lines) => file.append(lines),
});

export interface SealReport {
  /** The checkpoints sealed by this run. */
  sealed: { seq: number; after: string; upto: string; events: number }[];
  /** Per target: how far it has the checkpoints, or why publishing failed (it is retried on the next run). */
  published: Record<string, { throughSeq: number } | { error: string }>;
}

/** The anchor file and the database disagree: sealing on would fork the chain of anchors. */
export class AnchorsDisagreeError extends Error {
  override readonly name = 'AnchorsDisagreeError';
}

/**
 * Seals what is below the safe horizon (EventStoreDB: what `$all` holds) into signed checkpoints and publishes them.
 * A run first checks that the anchor file's last checkpoint is the database's own (a database whose checkpoints were
 * removed or replaced, or one restored from an older backup, would otherwise seal a second, different checkpoint under
 * the same number); then seals until nothing is left; then gives every target the checkpoints it does not have yet.
 */
export class Sealer {
  constructor(
    private readonly pool: Pool,
    private readonly key: AnchorSigningKey,
    private readonly targets: readonly AnchorTarget[],
    private readonly options: {
      maxEventsPerCheckpoint?: number;
      now?: () => Date;
      maxCheckpointsPerRun?: number;
      /** Where the events are read from; the PostgreSQL store of `pool` when left out (EventStoreDB: the port). */
      source?: AuditStore;
    } = {},
  ) {}

  async run(): Promise<SealReport> {
    await this.checkAgainstFile();
    const sealed: SealReport['sealed'] = [];
    const now = this.options.now ?? (() => new Date());
    for (let round = 0; round < (this.options.maxCheckpointsPerRun ?? 200); round++) {
      const source = this.options.source ?? new PostgresAuditStore(this.pool);
      const checkpoint = await source.sealNext((draft) => signAnchor(draft, this.key, now()), {
        maxEvents: this.options.maxEventsPerCheckpoint,
      });
      if (!checkpoint) break;
      sealed.push({
        seq: checkpoint.seq,
        after: String(checkpoint.after),
        upto: String(checkpoint.upto),
        events: checkpoint.eventCount,
      });
    }
    const published: SealReport['published'] = {};
    for (const target of this.targets) {
      try {
        published[target.name] = { throughSeq: await this.publish(target) };
      } catch (error) {
        published[target.name] = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    return { sealed, published };
  }

  private async publish(target: AnchorTarget): Promise<number> {
    let through = await publishedThrough(this.pool, target.name);
    for (;;) {
      const pending: StoredCheckpoint[] = await storedCheckpoints(this.pool, through, 100);
      const last = pending.at(-1);
      if (!last) return through;
      await target.publish(pending.map((c) => c.anchor));
      through = last.seq;
      await markPublished(this.pool, target.name, through);
    }
  }

  private async checkAgainstFile(): Promise<void> {
    const file = this.targets.find((t): t is ReturnType<typeof fileTarget> => 'file' in t)?.file;
    const line = file ? await file.lastLine() : undefined;
    if (!file || line === undefined) return;
    let inFile: Pick<Anchor, 'seq' | 'head'>;
    try {
      inFile = JSON.parse(line) as Anchor;
    } catch {
      throw new AnchorsDisagreeError(`the last line of ${file.file} is not an anchor`);
    }
    const last = await lastStoredCheckpoint(this.pool);
    if (!last || last.seq < inFile.seq) {
      throw new AnchorsDisagreeError(
        `${file.file} holds checkpoint ${inFile.seq}, the database ${last ? `only up to ${last.seq}` : 'none'}: ` +
          'its checkpoints were removed, or it was restored from an older backup (docs/audit.md, Integrity)',
      );
    }
    const [same] = await storedCheckpoints(this.pool, inFile.seq - 1, 1);
    if (same?.head.toString('hex') !== inFile.head) {
      throw new AnchorsDisagreeError(
        `checkpoint ${inFile.seq} in the database is not the one in ${file.file}: sealing would fork the anchors`,
      );
    }
  }
}
