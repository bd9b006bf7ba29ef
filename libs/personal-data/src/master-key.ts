import { createHmac, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const MASTER_KEY_VARIABLE = 'PERSONAL_DATA_MASTER_KEY';
export const PREVIOUS_MASTER_KEYS_VARIABLE = 'PERSONAL_DATA_PREVIOUS_MASTER_KEYS';
const MASTER_KEY_FILE = 'personal-data-master-key';

/** A bad or missing master key stops the start; the message names the variable and never shows the key. */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

const decode = (base64: string, source: string): Buffer => {
  const key = Buffer.from(base64.trim(), 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64.trim()) || key.length !== 32) {
    throw new MasterKeyError(`${source} must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  }
  return key;
};

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
const isTaken = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EEXIST';

/**
 * The key that wraps every subject's data key: `PERSONAL_DATA_MASTER_KEY` when set; otherwise, in the embedded
 * default, one generated once and kept in the data folder (like the local JWT key). Production (NODE_ENV=production)
 * must set the variable: a key generated in a throw-away container would shred everyone's data on the next start.
 */
export const loadOrCreateMasterKey = async (options: { env: NodeJS.ProcessEnv; dataDir: string }): Promise<Buffer> => {
  const given = options.env[MASTER_KEY_VARIABLE];
  if (given) return decode(given, MASTER_KEY_VARIABLE);
  if (options.env.NODE_ENV === 'production') {
    throw new MasterKeyError(`${MASTER_KEY_VARIABLE} must be set in production (32 bytes in base64)`);
  }
  const file = path.resolve(options.dataDir, MASTER_KEY_FILE);
  const readKept = async () => decode(await readFile(file, 'utf8'), `The master key in ${file}`);
  try {
    return await readKept();
  } catch (error) {
    if (!isMissing(error)) throw error; // a damaged file is never replaced: that would lose every subject's data
  }
  await mkdir(path.dirname(file), { recursive: true });
  // Written aside, then linked into place: link fails if the file exists, so when two processes start at once the
  // first one's key wins whole and the other reads it.
  const draft = `${file}.${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(draft, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    await link(draft, file).catch((error: unknown) => {
      if (!isTaken(error)) throw error;
    });
  } finally {
    await rm(draft, { force: true });
  }
  return readKept();
};

/** A master key and its id: a fingerprint that names the key in the database and in logs without revealing it. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The key new subject keys are wrapped with, and the retired ones still able to unwrap until a rotation ends. */
export interface MasterKeyRing {
  readonly current: MasterKey;
  readonly previous: readonly MasterKey[];
}

export const masterKeyId = (key: Buffer): string =>
  createHmac('sha256', key).update('kulturskole master key id').digest('hex').slice(0, 16);

export const masterKeyRing = (current: Buffer, previous: readonly Buffer[] = []): MasterKeyRing => {
  const ring = {
    current: { id: masterKeyId(current), key: current },
    previous: previous.map((key) => ({ id: masterKeyId(key), key })),
  };
  const ids = [ring.current.id, ...ring.previous.map((k) => k.id)];
  if (new Set(ids).size !== ids.length) {
    throw new MasterKeyError(`${PREVIOUS_MASTER_KEYS_VARIABLE} must not repeat a key, nor hold the current one`);
  }
  return ring;
};

/**
 * The current key (see loadOrCreateMasterKey) and, during a rotation, the retired keys from
 * `PERSONAL_DATA_PREVIOUS_MASTER_KEYS` (comma-separated, base64): docs/runbook.md, Personal data.
 */
export const loadMasterKeyRing = async (options: {
  env: NodeJS.ProcessEnv;
  dataDir: string;
}): Promise<MasterKeyRing> => {
  const previous = (options.env[PREVIOUS_MASTER_KEYS_VARIABLE] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part, index) => decode(part, `${PREVIOUS_MASTER_KEYS_VARIABLE} (key ${index + 1})`));
  return masterKeyRing(await loadOrCreateMasterKey(options), previous);
};
