import { decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { ConfigError } from '../config/app-config.js';
import { principalFromClaims, subjectOf } from './claim-mapping.js';
import type { IdentityProviders, TrustedIssuer } from './identity-providers.js';
import { IssuerKeys } from './issuer-keys.js';
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
  /** The municipality's issuers whose claims are mapped to tenant and role (IDENTITY_PROVIDERS_FILE). */
  identityProviders?: IdentityProviders;
  /** Where their keys come from; one per process, so each key set is fetched once and cached. */
  issuerKeys?: IssuerKeys;
  /**
   * How long a verified token is believed without checking its signature again (never past its expiry or its maximum
   * age): a key withdrawn from the issuer's key set stops being honoured within this time.
   */
  reverifyAfterMs?: number;
}

/** A token already verified: who it names, and until when that holds without a second look. */
interface Believed {
  principal: Principal;
  untilMs: number;
}

/** At most this many verified tokens are kept; the oldest go first. */
const BELIEVED_TOKENS = 10_000;

/**
 * Verifies signature, issuer, audience and expiry; only asymmetric algorithms, so `alg: none` never passes. A token
 * must expire (`exp`), within the configured longest lifetime: a well-signed token valid for a century is refused.
 * The platform's own issuer signs `tenant` and `role`; a trusted identity provider's token is checked against that
 * provider's keys and audience, and its claims are mapped (claim-mapping.ts): no rule for it is a NoRoleMapped (403).
 */
export class TokenVerifier {
  private readonly maxLifetimeSeconds: number;
  private readonly now: () => Date;
  private readonly trusted: ReadonlyMap<string, TrustedIssuer>;
  private readonly issuerKeys: IssuerKeys;
  private readonly reverifyAfterMs: number;
  /**
   * Verified tokens by their exact text (signature included). An ES256 signature costs about 180 µs of CPU, the
   * biggest single cost of a read the query API answers from memory; a client sends the same token with every request.
   */
  private readonly believed = new Map<string, Believed>();

  constructor(
    private readonly key: VerificationKey,
    private readonly issuer: string,
    private readonly audience: string,
    options: TokenVerifierOptions = {},
  ) {
    this.maxLifetimeSeconds = options.maxLifetimeSeconds ?? DEFAULT_TOKEN_MAX_LIFETIME_SECONDS;
    this.now = options.now ?? (() => new Date());
    const issuers = options.identityProviders?.issuers ?? [];
    if (issuers.some((trusted) => trusted.issuer === issuer)) {
      throw new ConfigError(
        `Configuration error: IDENTITY_PROVIDERS_FILE lists ${issuer}, the platform's own AUTH_ISSUER`,
      );
    }
    this.trusted = new Map(issuers.map((trusted) => [trusted.issuer, trusted]));
    this.issuerKeys = options.issuerKeys ?? new IssuerKeys();
    this.reverifyAfterMs = options.reverifyAfterMs ?? 60_000;
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new Unauthenticated('A bearer token is required');
    const nowMs = this.now().getTime();
    const believed = this.believed.get(token);
    if (believed && nowMs < believed.untilMs) return { ...believed.principal };
    this.believed.delete(token);
    const provider = this.trustedIssuerOf(token);
    const { principal, payload } = provider
      ? await this.verifyFromProvider(token, provider)
      : await this.verifyOwn(token);
    this.believe(token, principal, payload, nowMs);
    return principal;
  }

  /** Keeps a verified token until the first of: its expiry, its maximum age, and the re-verification interval. */
  private believe(token: string, principal: Principal, payload: JWTPayload, nowMs: number): void {
    const ends = [nowMs + this.reverifyAfterMs];
    if (typeof payload.exp === 'number') ends.push(payload.exp * 1000);
    if (typeof payload.iat === 'number') ends.push((payload.iat + this.maxLifetimeSeconds) * 1000);
    if (this.believed.size >= BELIEVED_TOKENS) {
      const oldest = this.believed.keys().next();
      if (!oldest.done) this.believed.delete(oldest.value);
    }
    this.believed.set(token, { principal: { ...principal }, untilMs: Math.min(...ends) });
  }

  private async verifyOwn(token: string): Promise<{ principal: Principal; payload: JWTPayload }> {
    const payload = await this.verified(token, this.key, this.issuer, this.audience, ['exp', 'sub']);
    const { sub, tenant, role } = payload;
    if (typeof tenant !== 'string' || !TENANT.test(tenant)) throw new Unauthenticated('The token carries no tenant');
    if (typeof role !== 'string' || !TOKEN_ROLES.includes(role as TokenRole)) {
      throw new Unauthenticated('The token carries no known role');
    }
    return { principal: { subject: sub ?? '', tenant, role: role as TokenRole }, payload };
  }

  /** A token of the municipality's provider: its keys and audience, then its claims through the rules. */
  private async verifyFromProvider(
    token: string,
    provider: TrustedIssuer,
  ): Promise<{ principal: Principal; payload: JWTPayload }> {
    let keys: VerificationKey;
    try {
      keys = await this.issuerKeys.keysOf(provider);
    } catch (error) {
      throw new Unauthenticated(`The keys of ${provider.name} could not be fetched: ${(error as Error).message}`);
    }
    const payload = await this.verified(token, keys, provider.issuer, provider.audience, ['exp']);
    if (!subjectOf(provider, payload)) {
      throw new Unauthenticated(`The token was refused: it has no "${provider.subjectClaim}" to name the caller`);
    }
    return { principal: principalFromClaims(provider, payload), payload };
  }

  /** Which trusted provider the token says it is from; only a hint until its signature is checked against that one. */
  private trustedIssuerOf(token: string): TrustedIssuer | undefined {
    if (this.trusted.size === 0) return undefined;
    try {
      const { iss } = decodeJwt(token);
      return typeof iss === 'string' ? this.trusted.get(iss) : undefined;
    } catch {
      return undefined; // jwtVerify says what is wrong with it
    }
  }

  private async verified(
    token: string,
    key: VerificationKey,
    issuer: string,
    audience: string | string[],
    requiredClaims: string[],
  ): Promise<JWTPayload> {
    const currentDate = this.now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
        issuer,
        audience,
        algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
        requiredClaims,
        currentDate,
        ...this.ageLimit(token),
      }));
    } catch (error) {
      throw new Unauthenticated(`The token was refused: ${(error as Error).message}`);
    }
    this.assertLifetime(payload, currentDate);
    return payload;
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
