import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import type { CheckpointDraft } from '#libs/event-store';
import type { AnchorSigningKey } from './signing-key.js';

/**
 * A signed checkpoint as published (one JSON line in the auditor's file, one message on the Kafka topic). It names
 * every event it seals by position and a 64-bit fingerprint of its leaf, so a verifier can name the first event that
 * differs; the 256-bit chained head carries the full strength of the seal.
 */
export interface Anchor {
  type: typeof ANCHOR_TYPE;
  v: 1;
  seq: number;
  /** Positions after this one … */
  after: string;
  /** … up to and including this one: every event stored in that range, and only those, are listed. */
  upto: string;
  count: number;
  /** The head of the checkpoint before (hex; 64 zeros before the first). */
  previous: string;
  head: string;
  /** `position:fingerprint`, in position order. */
  events: string[];
  sealedAt: string;
  /** Which key signed (anchorKeyId). */
  key: string;
  alg: 'Ed25519';
  /** Ed25519 over signingInput(anchor), base64url. */
  sig: string;
}

export const ANCHOR_TYPE = 'kulturskole.audit.anchor';

/** What the signature covers: every field but the signature, in a fixed order. */
export const signingInput = (anchor: Omit<Anchor, 'sig'>): Buffer =>
  Buffer.from(
    [
      'kulturskole-anchor-v1',
      anchor.seq,
      anchor.after,
      anchor.upto,
      anchor.count,
      anchor.previous,
      anchor.head,
      anchor.sealedAt,
      anchor.key,
      createHash('sha256').update(anchor.events.join(',')).digest('hex'),
    ].join('\n'),
    'utf8',
  );

/** The published line of a sealed checkpoint. */
export const signAnchor = (draft: CheckpointDraft, key: AnchorSigningKey, sealedAt: Date): string => {
  const unsigned: Omit<Anchor, 'sig'> = {
    type: ANCHOR_TYPE,
    v: 1,
    seq: draft.seq,
    after: String(draft.after),
    upto: String(draft.upto),
    count: draft.events.length,
    previous: draft.previousHead.toString('hex'),
    head: draft.head.toString('hex'),
    events: draft.events.map((e) => `${e.position}:${e.fingerprint}`),
    sealedAt: sealedAt.toISOString(),
    key: key.keyId,
    alg: 'Ed25519',
  };
  const sig = sign(null, signingInput(unsigned), key.privateKey).toString('base64url');
  return JSON.stringify({ ...unsigned, sig });
};

export interface AnchorEvent {
  position: bigint;
  fingerprint: string;
}

/** An anchor whose signature holds under the verifier's public key, with its fields parsed. */
export interface VerifiedAnchor {
  seq: number;
  after: bigint;
  upto: bigint;
  previous: Buffer;
  head: Buffer;
  events: AnchorEvent[];
  sealedAt: string;
  /** The line as published, to tell a repeated line from a different one with the same seq. */
  line: string;
}

const HEX32 = /^[0-9a-f]{64}$/;
const POSITION = /^-?\d{1,20}$/;

/** Why a line of an anchor file is not evidence; undefined when it is a well-formed anchor signed by `publicKey`. */
export const checkAnchor = (
  line: string,
  publicKey: KeyObject,
  keyId: string,
): { anchor: VerifiedAnchor } | { problem: string; seq?: number } => {
  let parsed: Anchor;
  try {
    parsed = JSON.parse(line) as Anchor;
  } catch {
    return { problem: 'not JSON' };
  }
  const seq = typeof parsed?.seq === 'number' ? parsed.seq : undefined;
  if (
    parsed?.type !== ANCHOR_TYPE ||
    parsed.v !== 1 ||
    !Number.isSafeInteger(parsed.seq) ||
    parsed.seq < 1 ||
    typeof parsed.after !== 'string' ||
    !POSITION.test(parsed.after) ||
    typeof parsed.upto !== 'string' ||
    !POSITION.test(parsed.upto) ||
    !HEX32.test(String(parsed.previous)) ||
    !HEX32.test(String(parsed.head)) ||
    !Array.isArray(parsed.events) ||
    parsed.count !== parsed.events.length ||
    typeof parsed.sealedAt !== 'string' ||
    typeof parsed.sig !== 'string'
  ) {
    return { problem: 'not a well-formed anchor', seq };
  }
  if (parsed.key !== keyId) return { problem: `signed by key ${String(parsed.key)}, not by ${keyId}`, seq };
  const { sig, ...unsigned } = parsed;
  if (!verify(null, signingInput(unsigned), publicKey, Buffer.from(sig, 'base64url'))) {
    return { problem: 'signature does not verify', seq };
  }
  const after = BigInt(parsed.after);
  const upto = BigInt(parsed.upto);
  const events: AnchorEvent[] = [];
  let last = after;
  for (const entry of parsed.events) {
    const [, digits, fingerprint] = /^(\d{1,20}):([0-9a-f]{16})$/.exec(String(entry)) ?? [];
    const position = digits === undefined ? undefined : BigInt(digits);
    if (position === undefined || fingerprint === undefined || position <= last || position > upto) {
      return {
        problem: `lists ${String(entry).slice(0, 40)} out of order or outside its range ${after}–${upto}`,
        seq,
      };
    }
    events.push({ position, fingerprint });
    last = position;
  }
  return {
    anchor: {
      seq: parsed.seq,
      after,
      upto,
      previous: Buffer.from(parsed.previous, 'hex'),
      head: Buffer.from(parsed.head, 'hex'),
      events,
      sealedAt: parsed.sealedAt,
      line,
    },
  };
};
