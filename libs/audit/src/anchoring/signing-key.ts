import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A missing or unusable anchor key; the message names the setting and never shows the key. */
export class AnchorKeyError extends Error {
  override readonly name = 'AnchorKeyError';
}

export interface AnchorSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** A fingerprint of the public key: which key signed an anchor. */
  keyId: string;
}

/** The first 16 hex digits of SHA-256 over the public key (SPKI, DER). */
export const anchorKeyId = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

const ed25519 = (key: KeyObject, source: string): KeyObject => {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AnchorKeyError(`${source} must be an Ed25519 key (it is ${key.asymmetricKeyType ?? 'not asymmetric'})`);
  }
  return key;
};

export const signingKeyOf = (pem: string, source: string): AnchorSigningKey => {
  let privateKey: KeyObject;
  try {
    // An environment variable may carry the PEM with its line breaks written as \n.
    privateKey = createPrivateKey(pem.includes('\\n') ? pem.replaceAll('\\n', '\n') : pem);
  } catch {
    throw new AnchorKeyError(`${source} must be a PEM private key (PKCS#8, Ed25519)`);
  }
  ed25519(privateKey, source);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: anchorKeyId(publicKey) };
};

export const publicKeyOf = (pem: string, source: string): KeyObject => {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AnchorKeyError(`${source} must be a PEM public key (SPKI, Ed25519)`);
  }
  return ed25519(key, source);
};

export const publicKeyPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();

export const DEV_SIGNING_KEY_FILE = 'audit-anchor-signing-key.pem';
export const DEV_PUBLIC_KEY_FILE = 'audit-anchor-public-key.pem';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
const isTaken = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EEXIST';

/** Where the anchors' keys come from: the settings of AppConfig (docs/audit.md, Integrity). */
export interface AnchorKeySettings {
  /** AUDIT_SIGNING_KEY: the PEM itself (a secret, from the deployment's secret store). */
  signingKey?: string;
  /** AUDIT_SIGNING_KEY_FILE: a file holding the PEM. */
  signingKeyFile?: string;
  /** AUDIT_PUBLIC_KEY_FILE: the public key a verifier trusts, when it is given apart from the signing key. */
  publicKeyFile?: string;
  dataDir: string;
  production: boolean;
}

/**
 * The anchors' signing key: AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE when set. Otherwise, in the embedded
 * development default only, a key generated once into DATA_DIR (beside the database's files, so it proves nothing
 * against whoever can read that folder: development only). Production (NODE_ENV=production) must configure one.
 */
export const loadAnchorSigningKey = async (settings: AnchorKeySettings): Promise<AnchorSigningKey> => {
  if (settings.signingKey) return signingKeyOf(settings.signingKey, 'AUDIT_SIGNING_KEY');
  if (settings.signingKeyFile) {
    let pem: string;
    try {
      pem = await readFile(settings.signingKeyFile, 'utf8');
    } catch (error) {
      throw new AnchorKeyError(`AUDIT_SIGNING_KEY_FILE ${settings.signingKeyFile}: ${(error as Error).message}`);
    }
    return signingKeyOf(pem, `AUDIT_SIGNING_KEY_FILE ${settings.signingKeyFile}`);
  }
  if (settings.production) {
    throw new AnchorKeyError('AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE must be set in production: anchors unsigned');
  }
  const file = path.resolve(settings.dataDir, DEV_SIGNING_KEY_FILE);
  const readKept = async () => signingKeyOf(await readFile(file, 'utf8'), `The development anchor key in ${file}`);
  try {
    return await readKept();
  } catch (error) {
    if (!isMissing(error)) throw error; // never replaced: the anchors signed with it would no longer verify
  }
  await mkdir(path.dirname(file), { recursive: true });
  const pair = generateKeyPairSync('ed25519');
  // Written aside, then linked into place, so two processes starting at once end up with the same key.
  const draft = `${file}.${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(draft, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
      mode: 0o600,
      flag: 'wx',
    });
    await link(draft, file).catch((error: unknown) => {
      if (!isTaken(error)) throw error;
    });
  } finally {
    await rm(draft, { force: true });
  }
  const key = await readKept();
  await writeFile(path.resolve(settings.dataDir, DEV_PUBLIC_KEY_FILE), publicKeyPem(key.publicKey));
  return key;
};

/**
 * The public key a verifier checks the anchors with: the one given (`--public-key`, AUDIT_PUBLIC_KEY_FILE), else the
 * configured signing key's, else the development key's in DATA_DIR; undefined when there is none yet.
 */
export const loadAnchorPublicKey = async (
  settings: AnchorKeySettings,
  given?: string,
): Promise<{ key: KeyObject; source: string } | undefined> => {
  const fromFile = async (file: string, source: string) => {
    try {
      return { key: publicKeyOf(await readFile(file, 'utf8'), `${source} ${file}`), source: file };
    } catch (error) {
      if (error instanceof AnchorKeyError) throw error;
      throw new AnchorKeyError(`${source} ${file}: ${(error as Error).message}`);
    }
  };
  if (given) return fromFile(given, 'the public key');
  if (settings.publicKeyFile) return fromFile(settings.publicKeyFile, 'AUDIT_PUBLIC_KEY_FILE');
  if (settings.signingKey || settings.signingKeyFile) {
    const key = await loadAnchorSigningKey(settings);
    return { key: key.publicKey, source: settings.signingKey ? 'AUDIT_SIGNING_KEY' : String(settings.signingKeyFile) };
  }
  if (settings.production) return undefined;
  const devPublic = path.resolve(settings.dataDir, DEV_PUBLIC_KEY_FILE);
  try {
    return { key: publicKeyOf(await readFile(devPublic, 'utf8'), devPublic), source: devPublic };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
};
