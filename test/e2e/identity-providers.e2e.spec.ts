import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { SignedInController } from '#libs/dashboard-host';
import { PayerLookupModule, payerReferenceMigrations } from '#libs/integration';
import { RegistersHttpModule } from '#libs/platform';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { startLocalOidcProvider, type LocalOidcProvider } from './support/local-oidc-provider.js';

/** The API's audience at the municipality's providers (the resource its tokens are for). */
const API = 'https://kulturskole.trondheim.kommune.no';
const CASEWORKERS_GROUP = '7f1c2a9e-3b41-4d2e-9a55-0c6b1e8d4f21'; // an Entra ID group's object id
const STAFF_PID = '05838299776'; // a synthetic national id (Skatteetaten's test numbers)
const BILLING_ORGNO = '0192:991825827';
const BILLING_SCOPE = 'trondheim:kulturskole.integration';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/*
 * The municipality's own sign-in: staff through its OIDC provider (Entra ID-style `groups`, ID-porten-style `pid` and
 * `acr`), systems through client credentials (Maskinporten-style `scope` and `consumer.ID`). Real oidc-provider
 * servers issue the tokens; IDENTITY_PROVIDERS_FILE maps their claims to tenant and role. A token from an issuer not
 * trusted, for another audience, expired or re-signed is 401; a good token that no rule maps is 403.
 */
describe('identity providers: the municipality’s tokens, mapped by configuration', () => {
  let entra: LocalOidcProvider;
  let idporten: LocalOidcProvider;
  let foreign: LocalOidcProvider;
  let sut: AppUnderTest;

  const get = (url: string, token: string) => sut.request('GET', url, { token });
  const STAFF_ROUTE = '/registers'; // admin, caseworker and auditor read the registers
  const ADMIN_ROUTE = '/registers/districts/byasen'; // only an admin changes them
  const PAYER = '/integration/payers/payer-17';
  const refused = (
    response: { status: number; headers: Headers; body: unknown },
    status: 401 | 403,
    detail: RegExp,
  ) => {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.match(String((response.body as { detail?: unknown }).detail), detail);
  };

  beforeAll(async () => {
    const staffAccounts = {
      kari: { groups: [CASEWORKERS_GROUP, 'a0a0a0a0-0000-4000-8000-000000000001'] },
      ola: { groups: ['a0a0a0a0-0000-4000-8000-000000000001'] },
      // Claims that look like the platform's own: a provider's token never gets its role from them.
      mallory: { tenant: 'trondheim', role: 'admin', groups: [] },
      rektor: { roles: ['Kulturskole.Admin'] },
    };
    const billing = { secret: 'billing-secret', scope: BILLING_SCOPE };
    [entra, idporten, foreign] = await Promise.all([
      startLocalOidcProvider({
        accounts: staffAccounts,
        systems: {
          billing: { ...billing, claims: { consumer: { authority: 'iso6523-actorid-upis', ID: BILLING_ORGNO } } },
          stranger: { ...billing, claims: { consumer: { authority: 'iso6523-actorid-upis', ID: '0192:123456785' } } },
          brief: { ...billing, claims: { consumer: { ID: BILLING_ORGNO } }, accessTokenTtlSeconds: 1 },
        },
      }),
      startLocalOidcProvider({
        accounts: {
          lise: { pid: STAFF_PID, acr: 'idporten-loa-high' },
          lise_substantial: { pid: STAFF_PID, acr: 'idporten-loa-substantial' },
          per: { pid: '10828199939', acr: 'idporten-loa-high' },
        },
      }),
      // Same accounts and clients as the trusted one, but an issuer nobody configured.
      startLocalOidcProvider({ accounts: staffAccounts, systems: { billing: { ...billing, claims: {} } } }),
    ]);
    const folder = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-idp-'));
    const file = path.join(folder, 'identity-providers.json');
    await writeFile(
      file,
      JSON.stringify({
        issuers: [
          {
            name: 'entra-id',
            issuer: entra.issuer, // keys by OIDC discovery
            audience: API,
            tenant: 'trondheim',
            rules: [
              { when: { claim: 'roles', includes: 'Kulturskole.Admin' }, role: 'admin' },
              { when: { claim: 'groups', includes: CASEWORKERS_GROUP }, role: 'caseworker' },
              {
                when: [
                  { claim: 'scope', includes: BILLING_SCOPE },
                  { claim: 'consumer.ID', oneOf: [BILLING_ORGNO] },
                ],
                role: 'integration',
              },
            ],
          },
          {
            name: 'id-porten',
            issuer: idporten.issuer,
            jwksUri: `${idporten.issuer}/jwks`,
            audience: [API, 'another-name-of-the-api'],
            rules: [
              {
                when: [
                  { claim: 'acr', oneOf: ['idporten-loa-high'] },
                  { claim: 'pid', sha256OneOf: [sha256(STAFF_PID)] },
                ],
                tenant: 'trondheim',
                role: 'caseworker',
              },
            ],
          },
        ],
      }),
    );
    // The dashboard's "who am I" (apps/dashboard/src/session.ts reads the mapped principal from it).
    @Module({ controllers: [SignedInController] })
    class DashboardMe {}
    sut = await startAppUnderTest(platformWith(RegistersHttpModule, PayerLookupModule, DashboardMe), {
      migrations: payerReferenceMigrations,
      env: { IDENTITY_PROVIDERS_FILE: file },
    });
    await sut.db.pool.query(
      `INSERT INTO integration_payer_references (tenant, payer_ref, subject_ref, billing_account)
       VALUES ('trondheim', 'payer-17', 'subject-17', 'K-1017')`,
    );
  });

  afterAll(async () => {
    await sut?.close();
    await Promise.all([entra, idporten, foreign].map((provider) => provider?.close()));
  });

  it('lets a caseworker in whose Entra ID group is mapped, with the provider’s own claims only', async () => {
    const token = await entra.staffToken('kari', { resource: API });
    const claims = decodeJwt(token);
    assert.equal(claims.iss, entra.issuer);
    assert.equal(claims.aud, API);
    assert.equal(claims.tenant, undefined, 'the provider issues no platform claims');
    const response = await get(STAFF_ROUTE, token);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal((response.body as { tenant: string }).tenant, 'trondheim');
    // What the dashboard shows screens by: the principal the mapping made, not claims the token does not carry.
    const me = await get('/dashboard/me', token);
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.deepEqual(me.body, { subject: 'entra-id:kari', tenant: 'trondheim', role: 'caseworker' });
    // A caseworker, not more: the system routes stay closed.
    refused(await get(PAYER, token), 403, /Role caseworker may not/);
    const change = { name: 'Byåsen', reason: 'new district' };
    refused(await sut.request('PUT', ADMIN_ROUTE, { token, body: change }), 403, /Role caseworker may not/);
  });

  it('maps an Entra ID app role to admin', async () => {
    const token = await entra.staffToken('rektor', { resource: API });
    assert.equal((await get(STAFF_ROUTE, token)).status, 200);
    const put = await sut.request('PUT', ADMIN_ROUTE, { token, body: { name: 'Byåsen', reason: 'new district' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    // The change is recorded as the provider's person, prefixed by the issuer's name.
    const { rows } = await sut.db.pool.query<{ actor: { id: string; role: string } }>(
      `SELECT metadata->'actor' AS actor FROM es_events WHERE stream_name LIKE 'trondheim%' AND metadata->'actor'->>'id' LIKE 'entra-id:%'`,
    );
    assert.deepEqual(
      rows.map(({ actor }) => [actor.id, actor.role]),
      [['entra-id:rektor', 'admin']],
    );
  });

  it('refuses (403) a signed-in staff member in no mapped group, and platform-looking claims change nothing', async () => {
    refused(await get(STAFF_ROUTE, await entra.staffToken('ola', { resource: API })), 403, /No rule for entra-id/);
    refused(await get(STAFF_ROUTE, await entra.staffToken('mallory', { resource: API })), 403, /No rule for entra-id/);
    const trail = await sut.db.pool.query<{ outcome: string; reason: string }>(
      `SELECT outcome, reason FROM access_trail WHERE reason LIKE 'No rule for entra-id%'`,
    );
    assert.ok(trail.rows.length >= 2, 'each refusal is in the access trail');
  });

  it('lets ID-porten staff in by their pid on the staff list at level high, and no one else', async () => {
    const lise = await idporten.staffToken('lise', { resource: API });
    assert.equal((await get(STAFF_ROUTE, lise)).status, 200);
    refused(await get(STAFF_ROUTE, await idporten.staffToken('lise_substantial', { resource: API })), 403, /id-porten/);
    const per = await get(STAFF_ROUTE, await idporten.staffToken('per', { resource: API }));
    refused(per, 403, /No rule for id-porten/);
    assert.doesNotMatch(JSON.stringify(per.body), /10828199939/, 'a refusal never echoes the national id');
  });

  it('gives a Maskinporten-style system token with the scope and a known organisation the system routes only', async () => {
    const token = await entra.systemToken('billing', { resource: API });
    const claims = decodeJwt(token);
    assert.match(String(claims.scope), new RegExp(BILLING_SCOPE));
    const payer = await get(PAYER, token);
    assert.equal(payer.status, 200, JSON.stringify(payer.body));
    assert.equal((payer.body as { billingAccount: string }).billingAccount, 'K-1017'); // tenant trondheim, mapped
    refused(await get(STAFF_ROUTE, token), 403, /Role integration may not/);
  });

  it('refuses (403) a system token from an organisation no rule names', async () => {
    refused(await get(PAYER, await entra.systemToken('stranger', { resource: API })), 403, /No rule for entra-id/);
  });

  it('refuses (401) a token from another issuer, for another audience, expired, or re-signed', async () => {
    refused(await get(STAFF_ROUTE, await foreign.staffToken('kari', { resource: API })), 401, /refused/);
    refused(await get(PAYER, await foreign.systemToken('billing', { resource: API })), 401, /refused/);
    refused(
      await get(STAFF_ROUTE, await entra.staffToken('kari', { resource: 'https://other.example/api' })),
      401,
      /aud/,
    );
    refused(
      await get(PAYER, await entra.systemToken('billing', { resource: 'https://other.example/api' })),
      401,
      /aud/,
    );
    // A trusted issuer's name on a token the foreign one signed.
    const [header, , signature] = (await foreign.staffToken('kari', { resource: API })).split('.');
    const [, payload] = (await entra.staffToken('kari', { resource: API })).split('.');
    refused(await get(STAFF_ROUTE, `${header}.${payload}.${signature}`), 401, /refused/);
    const brief = await entra.systemToken('brief', { resource: API });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    refused(await get(PAYER, brief), 401, /exp/);
  });

  it('still takes the platform’s own tokens', async () => {
    assert.equal((await get(STAFF_ROUTE, await sut.token('caseworker'))).status, 200);
    refused(await get(STAFF_ROUTE, (await sut.badTokens()).wrongIssuer ?? ''), 401, /refused/);
  });
});
