import { decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { TOKEN_ROLES, type Principal, type TokenRole } from './principal.js';
import type { VerificationKey } from './token-keys.js';

export class Unauthenticated extends Error {
  override readonly name = 'Unauthenticated';
}

const TENANT = /^[a-z][a-z0-9-]{1,39}$/;

/** The local issuer's lifetime (`npm start` prints a 12 h token): the default longest lifetime a token may have. */
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 12 * 3600;

export interface TokenVerifierOptions {
  /** The longest a token may be valid, from `iat` (or from now, when it has none) to `exp`. */
  maxLifetimeSeconds?: number;
  /** For tests: the verifier's clock. */
  now?: () => Date;
}

/**
 * Verifies signature, issuer, audience and expiry; only asymmetric algorithms, so `alg: none` never passes. A token
 * must expire (`exp`), within the configured longest lifetime: a well-signed token valid for a century is refused.
 */
export class TokenVerifier {
  private readonly maxLifetimeSeconds: number;
  private readonly now: () => Date;

  constructor(
    private readonly key: VerificationKey,
    private readonly issuer: string,
    private readonly audience: string,
    options: TokenVerifierOptions = {},
  ) {
    this.maxLifetimeSeconds = options.maxLifetimeSeconds ?? DEFAULT_TOKEN_MAX_LIFETIME_SECONDS;
    this.now = options.now ?? (() => new Date());
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new Unauthenticated('A bearer token is required');
    const currentDate = this.now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Parameters<typeof jwtVerify>[1], {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
        requiredClaims: ['exp', 'sub'],
        currentDate,
        ...this.ageLimit(token),
      }));
    } catch (error) {
      throw new Unauthenticated(`The token was refused: ${(error as Error).message}`);
    }
    this.assertLifetime(payload, currentDate);
    const { sub, tenant, role } = payload;
    if (typeof tenant !== 'string' || !TENANT.test(tenant)) throw new Unauthenticated('The token carries no tenant');
    if (typeof role !== 'string' || !TOKEN_ROLES.includes(role as TokenRole)) {
      throw new Unauthenticated('The token carries no known role');
    }
    return { subject: sub ?? '', tenant, role: role as TokenRole };
  }

  /**
   * jose's `maxTokenAge` where the token has an `iat` (it requires one): jose then also refuses an `iat` in the
   * future, which would otherwise stretch a short `exp - iat` far ahead. The payload is only peeked at here to choose
   * the options; the signature is checked by jwtVerify before any of it is believed.
   */
  private ageLimit(token: string): Pick<JWTVerifyOptions, 'maxTokenAge'> {
    let iat: unknown;
    try {
      iat = decodeJwt(token).iat;
    } catch {
      return {}; // jwtVerify says what is wrong with it
    }
    return iat === undefined ? {} : { maxTokenAge: this.maxLifetimeSeconds };
  }

  /** The whole lifetime, not only the age: `exp - iat`, or `exp` - now for a token without `iat`. */
  private assertLifetime(payload: JWTPayload, now: Date): void {
    const { exp, iat } = payload;
    if (typeof exp !== 'number') throw new Unauthenticated('The token was refused: it has no "exp" (expiry) claim');
    const from = typeof iat === 'number' ? iat : Math.floor(now.getTime() / 1000);
    const lifetime = exp - from;
    if (lifetime > this.maxLifetimeSeconds) {
      throw new Unauthenticated(
        `The token was refused: it is valid for ${lifetime} s ${typeof iat === 'number' ? 'from its "iat"' : 'from now'}, ` +
          `longer than the ${this.maxLifetimeSeconds} s a token may live`,
      );
    }
  }
}
