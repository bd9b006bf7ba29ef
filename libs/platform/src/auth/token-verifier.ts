import { jwtVerify } from 'jose';
import { TOKEN_ROLES, type Principal, type TokenRole } from './principal.js';
import type { VerificationKey } from './token-keys.js';

export class Unauthenticated extends Error {
  override readonly name = 'Unauthenticated';
}

const TENANT = /^[a-z][a-z0-9-]{1,39}$/;

/** Verifies signature, issuer, audience and expiry; only asymmetric algorithms, so `alg: none` never passes. */
export class TokenVerifier {
  constructor(
    private readonly key: VerificationKey,
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  async verify(authorization: string | undefined): Promise<Principal> {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new Unauthenticated('A bearer token is required');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Parameters<typeof jwtVerify>[1], {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new Unauthenticated(`The token was refused: ${(error as Error).message}`);
    }
    const { sub, tenant, role } = payload;
    if (typeof tenant !== 'string' || !TENANT.test(tenant)) throw new Unauthenticated('The token carries no tenant');
    if (typeof role !== 'string' || !TOKEN_ROLES.includes(role as TokenRole)) {
      throw new Unauthenticated('The token carries no known role');
    }
    return { subject: sub ?? '', tenant, role: role as TokenRole };
  }
}
