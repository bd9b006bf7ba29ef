import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { TrustedIssuer } from './identity-providers.js';

/**
 * Each trusted issuer's signing keys, fetched when its first token arrives (a provider that is down does not stop the
 * start) and kept by jose's remote key set: cached, refetched when a token names an unknown `kid` (key rotation), at
 * most every 30 s. Without `jwksUri` the key set's address comes from OIDC discovery, whose `issuer` must be the one
 * configured (OpenID Connect Discovery 1.0, section 4.3).
 */
export class IssuerKeys {
  private readonly keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  constructor(private readonly fetchJson: (url: string) => Promise<unknown> = getJson) {}

  keysOf(issuer: TrustedIssuer): Promise<JWTVerifyGetKey> {
    let keys = this.keySets.get(issuer.issuer);
    if (!keys) {
      keys = this.discover(issuer).then((jwksUri) => createRemoteJWKSet(new URL(jwksUri)));
      // A failed discovery is tried again with the next token, not remembered.
      keys.catch(() => this.keySets.delete(issuer.issuer));
      this.keySets.set(issuer.issuer, keys);
    }
    return keys;
  }

  private async discover(issuer: TrustedIssuer): Promise<string> {
    if (issuer.jwksUri) return issuer.jwksUri;
    const url = `${issuer.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const document = (await this.fetchJson(url)) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== issuer.issuer) {
      throw new Error(`${url} names the issuer ${String(document.issuer)}, not ${issuer.issuer}`);
    }
    if (typeof document.jwks_uri !== 'string') throw new Error(`${url} names no jwks_uri`);
    return document.jwks_uri;
  }
}

const getJson = async (url: string): Promise<unknown> => {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
};
