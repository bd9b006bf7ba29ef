import type { webcrypto } from 'node:crypto';

export type CryptoKey = webcrypto.CryptoKey;
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { Principal } from './principal.js';

const ALG = 'ES256';

export interface LocalSigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * The embedded default's key pair, kept in the data folder so every local process (and `start:<app>`) trusts the same
 * tokens. Production verifies against the municipality's JWKS instead and never holds a private key.
 */
export const loadOrCreateLocalKey = async (dataDir: string): Promise<LocalSigningKey> => {
  const file = path.resolve(dataDir, 'local-jwt-key.json');
  try {
    const jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    const { d: _private, ...publicJwk } = jwk;
    return {
      privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
      publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
    };
  } catch {
    const pair = await generateKeyPair(ALG, { extractable: true });
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(await exportJWK(pair.privateKey)), { mode: 0o600 });
    await chmod(file, 0o600);
    return pair;
  }
};

export const issueToken = async (
  key: LocalSigningKey,
  principal: Principal,
  options: { issuer: string; audience: string; expiresIn?: string },
): Promise<string> =>
  new SignJWT({ tenant: principal.tenant, role: principal.role })
    .setProtectedHeader({ alg: ALG })
    .setSubject(principal.subject)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(key.privateKey);

export type VerificationKey = CryptoKey | JWTVerifyGetKey;

export const remoteKeys = (jwksUrl: string): VerificationKey => createRemoteJWKSet(new URL(jwksUrl));
