import type { KeyObject } from 'node:crypto';
import type { Pool } from '#libs/database';
import { chainLeaf, leafFingerprint, type SealedEvent } from '#libs/event-store';
import { asAuditStore } from '../store/audit-store-for.js';
import type { AuditStore } from '../store/audit-store.js';
import { checkAnchor, type VerifiedAnchor } from './anchor.js';
import { anchorKeyId } from './signing-key.js';

export type AnchoredProblem =
  'sealed event missing' | 'differs from its anchored seal' | 'not in the anchored seal' | 'checkpoint head differs';

/** Where the stored events stop matching what was anchored. A missing event's stream and id are gone with it. */
export interface AnchoredBreak {
  position: bigint;
  streamName: string | null;
  streamRevision: number | null;
  eventId: string | null;
  problem: AnchoredProblem;
}

export interface AnchoredReport {
  /** Valid anchors in the file, used for the check. */
  checkpoints: number;
  /** The last anchored position, and when it was sealed. */
  anchoredThrough: string | null;
  lastSealedAt: string | null;
  /** Stored events found exactly as anchored. */
  eventsAnchored: number;
  /** Stored events after the last anchor (not yet sealed, or sealed and not yet in this file): unprotected. */
  eventsAfterLastAnchor: number;
  /** Stored events before the first anchor of the file (a file that starts at a later checkpoint). */
  eventsBeforeFirstAnchor: number;
  /** What is wrong with the anchors themselves: bad signatures, two different anchors of one checkpoint, holes. */
  problems: string[];
  /** Lines of the file that are not JSON (a line cut short by a crash): no evidence either way. */
  ignoredLines: number[];
  firstBreak?: AnchoredBreak;
}

interface Options {
  /** Only breaks of this stream (and missing events, whose stream cannot be told) are reported. */
  streamName?: string;
}

/** Reads the lines of an anchor file into the anchors that hold under `publicKey`, and what is wrong with the rest. */
export const anchorsOf = (
  lines: readonly { number: number; text: string }[],
  publicKey: KeyObject,
): { anchors: VerifiedAnchor[]; problems: string[]; ignoredLines: number[] } => {
  const keyId = anchorKeyId(publicKey);
  const problems: string[] = [];
  const ignoredLines: number[] = [];
  const bySeq = new Map<number, VerifiedAnchor>();
  for (const line of lines) {
    const checked = checkAnchor(line.text, publicKey, keyId);
    if ('problem' in checked && checked.problem === 'not JSON') {
      ignoredLines.push(line.number);
      continue;
    }
    if ('problem' in checked) {
      problems.push(
        `line ${line.number}${checked.seq === undefined ? '' : ` (checkpoint ${checked.seq})`}: ${checked.problem}`,
      );
      continue;
    }
    const seen = bySeq.get(checked.anchor.seq);
    if (!seen) bySeq.set(checked.anchor.seq, checked.anchor);
    else if (seen.line !== checked.anchor.line) {
      // Both signed: whoever holds the key sealed two different histories. The first one published is kept.
      problems.push(`line ${line.number}: a second, different anchor of checkpoint ${checked.anchor.seq}`);
    }
  }
  const anchors = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const kept: VerifiedAnchor[] = [];
  for (const anchor of anchors) {
    const before = kept.at(-1);
    if (before && anchor.seq === before.seq + 1) {
      if (anchor.after !== before.upto || !anchor.previous.equals(before.head)) {
        problems.push(`checkpoint ${anchor.seq} does not continue checkpoint ${before.seq}`);
        continue;
      }
    } else if (before) {
      problems.push(
        `checkpoints ${before.seq + 1}–${anchor.seq - 1} are missing from the file: positions ${before.upto}–` +
          `${anchor.after} are not covered`,
      );
    }
    kept.push(anchor);
  }
  return { anchors: kept, problems, ignoredLines };
};

/**
 * Compares the stored events with the signed anchors, in position order, and names the first position where they
 * part: an anchored event no longer stored, an event that differs from its seal (content, type, id, metadata,
 * stream, revision, recorded time or position: a changed, backdated or reordered event), one stored where the seal
 * says there was none, or (a second preimage of a fingerprint) a checkpoint whose head no longer comes out.
 */
export const checkAgainstAnchors = async (
  store: AuditStore | Pool,
  lines: readonly { number: number; text: string }[],
  publicKey: KeyObject,
  options: Options = {},
): Promise<AnchoredReport> => {
  const { anchors, problems, ignoredLines } = anchorsOf(lines, publicKey);
  const stream = options.streamName ?? null;
  const source = asAuditStore(store);
  const streamName = stream ?? undefined;
  const first = anchors[0];
  const last = anchors.at(-1);
  const report: AnchoredReport = {
    checkpoints: anchors.length,
    anchoredThrough: last ? String(last.upto) : null,
    lastSealedAt: last?.sealedAt ?? null,
    eventsAnchored: 0,
    eventsAfterLastAnchor: await source.countEvents({ after: last?.upto, streamName }),
    eventsBeforeFirstAnchor: first ? await source.countEvents({ upto: first.after, streamName }) : 0,
    problems,
    ignoredLines,
  };
  if (!first || !last) return report;

  const relevant = (event: SealedEvent | undefined) => stream === null || event?.streamName === stream;
  const stored = source.sealedEvents({ after: first.after, upto: last.upto });
  let current = (await stored.next()).value as SealedEvent | undefined;
  const advance = async () => {
    current = (await stored.next()).value as SealedEvent | undefined;
  };
  const breakAt = (problem: AnchoredProblem, event: SealedEvent | undefined, position: bigint): AnchoredBreak => ({
    position,
    streamName: event?.streamName ?? null,
    streamRevision: event?.streamRevision ?? null,
    eventId: event?.eventId ?? null,
    problem,
  });
  try {
    for (const anchor of anchors) {
      // Events in a hole between anchors are not covered (reported among the problems).
      while (current && current.position <= anchor.after) await advance();
      let head = anchor.previous;
      let parted = false;
      let index = 0;
      for (;;) {
        const event = current && current.position <= anchor.upto ? current : undefined;
        const sealed = anchor.events[index];
        if (!event && !sealed) break;
        let found: AnchoredBreak | undefined;
        if (sealed && (!event || sealed.position < event.position)) {
          found = breakAt('sealed event missing', undefined, sealed.position);
          index++;
        } else if (event && (!sealed || event.position < sealed.position)) {
          if (relevant(event)) found = breakAt('not in the anchored seal', event, event.position);
          parted = true;
          await advance();
        } else if (event && sealed) {
          if (leafFingerprint(event.leaf) !== sealed.fingerprint) {
            if (relevant(event)) found = breakAt('differs from its anchored seal', event, event.position);
            parted = true;
          } else if (relevant(event)) {
            report.eventsAnchored++;
          }
          head = chainLeaf(head, event.leaf);
          index++;
          await advance();
        }
        if (found) {
          report.firstBreak = found;
          return report;
        }
      }
      // Every fingerprint matched: the full-strength head must come out too.
      if (!parted && stream === null && !head.equals(anchor.head)) {
        const at = anchor.events[0]?.position ?? anchor.upto;
        report.firstBreak = breakAt('checkpoint head differs', undefined, at);
        return report;
      }
    }
    return report;
  } finally {
    await stored.return(undefined);
  }
};
