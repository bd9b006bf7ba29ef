import assert from 'node:assert/strict';
import { beforeAll, describe, it } from '@jest/globals';
import { generateKeyPair, SignJWT } from 'jose';
import { loadConfig } from '../config/app-config.js';
import { issueToken, type LocalSigningKey } from './token-keys.js';
import { TokenVerifier, Unauthenticated } from './token-verifier.js';

const ISSUER = 'kulturskole-local';
const AUDIENCE = 'kulturskole';
const HOUR = 3600;
const NOW = new Date('2026-01-15T10:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

describe('token lifetime: exp required, and no longer than the configured maximum', () => {
  let key: LocalSigningKey;
  let verifier: TokenVerifier;

  /** A token signed with the trusted key: iat and exp as given (undefined leaves the claim out). */
  const signed = (claims: { iat?: number; exp?: number }) => {
    let jwt = new SignJWT({ tenant: 'trondheim', role: 'admin' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('admin-1')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE);
    if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
    if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
    return jwt.sign(key.privateKey);
  };
  const verify = async (token: string, with_: TokenVerifier = verifier) => with_.verify(`Bearer ${token}`);
  const refused = async (token: string, reason: RegExp, with_: TokenVerifier = verifier) =>
    assert.rejects(
      verify(token, with_),
      (error: unknown) => error instanceof Unauthenticated && reason.test(error.message),
    );

  beforeAll(async () => {
    key = await generateKeyPair('ES256');
    verifier = new TokenVerifier(key.publicKey, ISSUER, AUDIENCE, { maxLifetimeSeconds: 12 * HOUR, now: () => NOW });
  });

  it('defaults to 12 hours, the lifetime of the token `npm start` prints', () => {
    assert.equal(loadConfig({}).TOKEN_MAX_LIFETIME_SECONDS, 12 * HOUR);
    assert.equal(loadConfig({ TOKEN_MAX_LIFETIME_SECONDS: '600' }).TOKEN_MAX_LIFETIME_SECONDS, 600);
    assert.throws(() => loadConfig({ TOKEN_MAX_LIFETIME_SECONDS: 'forever' }), /TOKEN_MAX_LIFETIME_SECONDS must be/);
    assert.throws(() => loadConfig({ TOKEN_MAX_LIFETIME_SECONDS: String(100 * 365 * 24 * HOUR) }), /60–604800/);
  });

  it('accepts the tokens the local issuer, the tests and the seed make (12 h, 5 min, 2 h)', async () => {
    const real = new TokenVerifier(key.publicKey, ISSUER, AUDIENCE, { maxLifetimeSeconds: 12 * HOUR });
    for (const expiresIn of ['12h', '5m', '2h', undefined]) {
      const token = await issueToken(
        key,
        { subject: 'x', tenant: 'trondheim', role: 'admin' },
        { issuer: ISSUER, audience: AUDIENCE, expiresIn },
      );
      assert.equal((await verify(token, real)).tenant, 'trondheim', String(expiresIn));
    }
  });

  it('accepts exactly the maximum from iat, and a token without iat that ends within it from now', async () => {
    await verify(await signed({ iat: nowSeconds - HOUR, exp: nowSeconds - HOUR + 12 * HOUR }));
    await verify(await signed({ exp: nowSeconds + 12 * HOUR }));
    await verify(await signed({ exp: nowSeconds + 60 }));
  });

  it('refuses a well-signed token valid for 100 years', async () => {
    await refused(
      await signed({ iat: nowSeconds, exp: nowSeconds + 100 * 365 * 24 * HOUR }),
      /longer than the 43200 s/,
    );
  });

  it('refuses exp - iat above the maximum, even by one second', async () => {
    await refused(
      await signed({ iat: nowSeconds, exp: nowSeconds + 12 * HOUR + 1 }),
      /valid for 43201 s from its "iat"/,
    );
  });

  it('refuses a token without iat that ends beyond the maximum from now', async () => {
    await refused(await signed({ exp: nowSeconds + 13 * HOUR }), /from now, longer than/);
  });

  it('refuses a token without exp', async () => {
    await refused(await signed({ iat: nowSeconds }), /"exp" claim/);
    await refused(await signed({}), /"exp" claim/);
  });

  it('refuses an iat in the future, which would otherwise stretch a short exp - iat far ahead', async () => {
    const later = nowSeconds + 50 * 365 * 24 * HOUR;
    await refused(await signed({ iat: later, exp: later + HOUR }), /iat/);
  });

  it('refuses a token issued longer ago than the maximum (jose maxTokenAge), and an expired one', async () => {
    await refused(await signed({ iat: nowSeconds - 13 * HOUR, exp: nowSeconds - 13 * HOUR + 12 * HOUR }), /exp|age/);
    await refused(
      await signed({ iat: nowSeconds - 2 * HOUR, exp: nowSeconds - HOUR }),
      /"exp" claim timestamp check failed/,
    );
  });

  it('follows the configured maximum', async () => {
    const strict = new TokenVerifier(key.publicKey, ISSUER, AUDIENCE, { maxLifetimeSeconds: 600, now: () => NOW });
    await verify(await signed({ iat: nowSeconds, exp: nowSeconds + 600 }), strict);
    await refused(await signed({ iat: nowSeconds, exp: nowSeconds + HOUR }), /longer than the 600 s/, strict);
  });

  describe('a verified token is believed without a second signature check, within its bounds', () => {
    /** A verifier whose clock the test moves. */
    const clocked = (options: { reverifyAfterMs?: number; key?: LocalSigningKey } = {}) => {
      const clock = { now: NOW };
      const verifierWith = new TokenVerifier((options.key ?? key).publicKey, ISSUER, AUDIENCE, {
        maxLifetimeSeconds: 12 * HOUR,
        now: () => clock.now,
        ...(options.reverifyAfterMs === undefined ? {} : { reverifyAfterMs: options.reverifyAfterMs }),
      });
      return { clock, verifierWith };
    };

    it('refuses it from the second of its expiry, believed or not', async () => {
      const { clock, verifierWith } = clocked({ reverifyAfterMs: 10 * HOUR * 1000 });
      const token = await signed({ iat: nowSeconds, exp: nowSeconds + 120 });
      assert.equal((await verify(token, verifierWith)).tenant, 'trondheim');
      clock.now = new Date((nowSeconds + 119) * 1000);
      assert.equal((await verify(token, verifierWith)).tenant, 'trondheim');
      clock.now = new Date((nowSeconds + 120) * 1000);
      await refused(token, /"exp" claim timestamp check failed/, verifierWith);
    });

    it('checks the signature again after the interval: a key no longer trusted stops the token', async () => {
      // The same token text, checked by a verifier that has stopped trusting its key: believed only until re-checked.
      const withdrawn = await generateKeyPair('ES256');
      const token = await signed({ iat: nowSeconds, exp: nowSeconds + HOUR });
      const { clock, verifierWith } = clocked({ reverifyAfterMs: 60_000 });
      assert.equal((await verify(token, verifierWith)).tenant, 'trondheim');
      (verifierWith as unknown as { key: unknown }).key = withdrawn.publicKey;
      clock.now = new Date(NOW.getTime() + 59_000);
      assert.equal((await verify(token, verifierWith)).tenant, 'trondheim', 'believed within the interval');
      clock.now = new Date(NOW.getTime() + 60_000);
      await refused(token, /signature verification failed/, verifierWith);
    });

    it('believes no refusal: a token refused once is checked, and refused, every time', async () => {
      const { verifierWith } = clocked();
      const forged = `${(await signed({ iat: nowSeconds, exp: nowSeconds + HOUR })).slice(0, -4)}AAAA`;
      await refused(forged, /signature/, verifierWith);
      await refused(forged, /signature/, verifierWith);
    });

    it('hands each request its own copy of the principal', async () => {
      const { verifierWith } = clocked();
      const token = await signed({ iat: nowSeconds, exp: nowSeconds + HOUR });
      const first = await verify(token, verifierWith);
      (first as { tenant: string }).tenant = 'changed';
      assert.equal((await verify(token, verifierWith)).tenant, 'trondheim');
    });
  });
});
