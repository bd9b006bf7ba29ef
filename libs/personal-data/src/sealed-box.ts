import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM with a fresh 96-bit IV per message and a 128-bit tag. */
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const VERSION = 'v1';

/** A ciphertext that is malformed, tampered with, or bound to another subject/field; it says nothing about content. */
export class UnreadableCiphertext extends Error {
  override readonly name = 'UnreadableCiphertext';
}

export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export const newDataKey = (): Buffer => randomBytes(KEY_BYTES);

export const seal = (key: Buffer, plaintext: Buffer, associatedData: Buffer): Sealed => {
  if (key.length !== KEY_BYTES) throw new Error('AES-256-GCM needs a 32-byte key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
};

export const open = (key: Buffer, sealed: Sealed, associatedData: Buffer): Buffer => {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new UnreadableCiphertext('The ciphertext is malformed');
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new UnreadableCiphertext('The ciphertext does not authenticate for this subject and field');
  }
};

/** `v1.<iv>.<tag>.<ciphertext>`, base64url: short enough for event payloads, versioned for a future algorithm. */
export const toCompact = ({ iv, tag, ciphertext }: Sealed): string =>
  [VERSION, ...[iv, tag, ciphertext].map((bytes) => bytes.toString('base64url'))].join('.');

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export const fromCompact = (compact: string): Sealed => {
  const [version, iv = '', tag = '', ciphertext = '', ...rest] = compact.split('.');
  const wellFormed = version === VERSION && rest.length === 0 && [iv, tag, ciphertext].every((p) => BASE64URL.test(p));
  if (!wellFormed) throw new UnreadableCiphertext('The ciphertext is malformed');
  return {
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
};

/** The stored form of a wrapped key: iv ‖ tag ‖ ciphertext. */
export const toBytes = ({ iv, tag, ciphertext }: Sealed): Buffer => Buffer.concat([iv, tag, ciphertext]);
export const fromBytes = (bytes: Buffer): Sealed => ({
  iv: bytes.subarray(0, IV_BYTES),
  tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
  ciphertext: bytes.subarray(IV_BYTES + TAG_BYTES),
});
