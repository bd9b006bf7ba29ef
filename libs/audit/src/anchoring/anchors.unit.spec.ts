import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { chainLeaf, GENESIS_HEAD, type CheckpointDraft } from '#libs/event-store';
import { checkAnchor, signAnchor, type Anchor } from './anchor.js';
import { AnchorFile } from './anchor-file.js';
import { anchorsOf } from './anchored-check.js';
import {
  AnchorKeyError,
  DEV_PUBLIC_KEY_FILE,
  loadAnchorPublicKey,
  loadAnchorSigningKey,
  signingKeyOf,
  type AnchorSigningKey,
} from './signing-key.js';

const pem = (type: 'ed25519' | 'ec') =>
  (type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')).privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();

const leaf = (n: number) => createHash('sha256').update(String(n)).digest();

/** Checkpoints over positions 1…n in pages of `per`, chained as the sealer chains them. */
const drafts = (n: number, per: number): CheckpointDraft[] => {
  const out: CheckpointDraft[] = [];
  let head: Buffer = GENESIS_HEAD;
  for (let start = 1; start <= n; start += per) {
    const previousHead = head;
    const events = [];
    for (let p = start; p < start + per && p <= n; p++) {
      head = chainLeaf(head, leaf(p));
      events.push({ position: BigInt(p), fingerprint: leaf(p).subarray(0, 8).toString('hex') });
    }
    out.push({
      seq: out.length + 1,
      after: BigInt(start - 1),
      upto: BigInt(Math.min(start + per - 1, n)),
      previousHead,
      head,
      events,
    });
  }
  return out;
};

const lines = (texts: string[]) => texts.map((text, index) => ({ number: index + 1, text }));

describe('anchors', () => {
  let key: AnchorSigningKey;
  let signed: string[];
  beforeAll(() => {
    key = signingKeyOf(pem('ed25519'), 'test');
    signed = drafts(7, 3).map((d) => signAnchor(d, key, new Date('2026-01-01T00:00:00Z')));
  });

  it('verifies under its key, and under no other', () => {
    const checked = checkAnchor(signed[0] ?? '', key.publicKey, key.keyId);
    assert.ok('anchor' in checked);
    assert.deepEqual(
      checked.anchor.events.map((e) => e.position),
      [1n, 2n, 3n],
    );
    const other = signingKeyOf(pem('ed25519'), 'other');
    const refused = checkAnchor(signed[0] ?? '', other.publicKey, other.keyId);
    assert.ok('problem' in refused && /^signed by key \w+, not by \w+$/.test(refused.problem));
  });

  for (const [what, change] of [
    ['its head', (a: Anchor) => ({ ...a, head: 'f'.repeat(64) })],
    [
      'an event fingerprint',
      (a: Anchor) => ({
        ...a,
        events: [
          a.events[0]?.replace(/:(.)/, (_m, c: string) => (c === '0' ? ':1' : ':0')) ?? '',
          ...a.events.slice(1),
        ],
      }),
    ],
    ['its range', (a: Anchor) => ({ ...a, upto: String(BigInt(a.upto) + 1n) })],
    ['when it was sealed', (a: Anchor) => ({ ...a, sealedAt: '2020-01-01T00:00:00.000Z' })],
  ] as const) {
    it(`does not verify once ${what} is changed`, () => {
      const changed = JSON.stringify(change(JSON.parse(signed[0] ?? '') as Anchor));
      const checked = checkAnchor(changed, key.publicKey, key.keyId);
      assert.ok('problem' in checked && checked.problem === 'signature does not verify', JSON.stringify(checked));
    });
  }

  it('reads a file of anchors: repeated lines are one, holes and forks are problems', () => {
    const [one = '', two = '', three = ''] = signed;
    assert.deepEqual(anchorsOf(lines([one, two, two, three]), key.publicKey).problems, []);
    assert.equal(anchorsOf(lines([one, two, two, three]), key.publicKey).anchors.length, 3);

    const hole = anchorsOf(lines([one, three]), key.publicKey);
    assert.deepEqual(hole.problems, ['checkpoints 2–2 are missing from the file: positions 3–6 are not covered']);

    const [, second, third] = drafts(7, 3);
    assert.ok(second && third);
    const otherHistory = signAnchor({ ...second, head: Buffer.alloc(32, 1) }, key, new Date('2026-01-01T00:00:00Z'));
    const fork = anchorsOf(lines([one, two, otherHistory, three]), key.publicKey);
    assert.deepEqual(fork.problems, ['line 3: a second, different anchor of checkpoint 2']);

    const stray = signAnchor({ ...third, previousHead: Buffer.alloc(32, 2) }, key, new Date());
    assert.deepEqual(anchorsOf(lines([one, two, stray]), key.publicKey).problems, [
      'checkpoint 3 does not continue checkpoint 2',
    ]);

    // A file that starts later (the auditor rotated it) is fine: it is checked from its first anchor on.
    assert.deepEqual(anchorsOf(lines([two, three]), key.publicKey).problems, []);
    assert.deepEqual(anchorsOf(lines(['{"not":"an anchor"}']), key.publicKey).problems, [
      'line 1: not a well-formed anchor',
    ]);
    // A line cut short by a crash (the sealer publishes it again whole) is no evidence either way.
    const cut = anchorsOf(lines([one, two.slice(0, 50), two, three]), key.publicKey);
    assert.deepEqual([cut.problems, cut.ignoredLines, cut.anchors.length], [[], [2], 3]);
  });
});

describe('anchor keys and the anchor file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'anchor-keys-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('generates the development key into DATA_DIR once, with its public key beside it', async () => {
    const settings = { dataDir: dir, production: false };
    const first = await loadAnchorSigningKey(settings);
    const again = await loadAnchorSigningKey(settings);
    assert.equal(first.keyId, again.keyId);
    assert.match(await readFile(path.join(dir, DEV_PUBLIC_KEY_FILE), 'utf8'), /BEGIN PUBLIC KEY/);
    const verifying = await loadAnchorPublicKey(settings);
    assert.ok(verifying);
  });

  it('takes the configured key, refuses a key that is not Ed25519, and requires one in production', async () => {
    const given = pem('ed25519');
    const fromEnv = await loadAnchorSigningKey({
      signingKey: given.replaceAll('\n', '\\n'),
      dataDir: dir,
      production: true,
    });
    assert.equal(fromEnv.keyId, signingKeyOf(given, 'x').keyId);
    await writeFile(path.join(dir, 'ec.pem'), pem('ec'));
    await assert.rejects(
      loadAnchorSigningKey({ signingKeyFile: path.join(dir, 'ec.pem'), dataDir: dir, production: true }),
      (error: unknown) => error instanceof AnchorKeyError && /must be an Ed25519 key/.test(error.message),
    );
    await assert.rejects(loadAnchorSigningKey({ dataDir: dir, production: true }), AnchorKeyError);
    assert.equal(await loadAnchorPublicKey({ dataDir: path.join(dir, 'none'), production: true }), undefined);
  });

  it('appends lines and reads the last whole one back, ignoring a line cut short by a crash', async () => {
    const file = new AnchorFile(path.join(dir, 'anchors.jsonl'));
    assert.equal(await file.lastLine(), undefined);
    await file.append(['{"seq":1}', '{"seq":2}']);
    assert.equal(await file.lastLine(), '{"seq":2}');
    await writeFile(file.file, '{"seq":3', { flag: 'a' });
    assert.equal(await file.lastLine(), '{"seq":2}');
    await file.append(['{"seq":3}']);
    assert.deepEqual(
      (await file.lines())?.map((line) => line.text),
      ['{"seq":1}', '{"seq":2}', '{"seq":3', '{"seq":3}'],
    );
    assert.equal(await file.lastLine(), '{"seq":3}');
  });
});
