import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { ConfigError } from '../config/app-config.js';
import { NoRoleMapped, principalFromClaims } from './claim-mapping.js';
import { loadIdentityProviders, parseIdentityProviders } from './identity-providers.js';

const fail = (what: string): never => {
  throw new ConfigError(what);
};
/** The one issuer of a file. */
const onlyIssuer = (file: unknown) => {
  const [issuer] = parseIdentityProviders(file, fail).issuers;
  if (!issuer) throw new Error('no issuer');
  return issuer;
};
const maskinporten = {
  name: 'maskinporten',
  issuer: 'https://maskinporten.no/',
  audience: 'https://kulturskole.trondheim.kommune.no',
  subjectClaim: 'consumer.ID',
  tenant: 'trondheim',
  rules: [
    {
      when: [
        { claim: 'scope', includes: 'trondheim:kulturskole.integration' },
        { claim: 'consumer.ID', oneOf: ['0192:991825827'] },
      ],
      role: 'integration',
    },
  ],
};

describe('identity providers file: checked at start, each mistake named where it is', () => {
  it.each([
    [{}, /"issuers" list/],
    [{ issuers: [{ ...maskinporten, issuer: 'maskinporten' }] }, /issuers\[0\]\.issuer must be the http\(s\) URL/],
    [{ issuers: [maskinporten, { ...maskinporten }] }, /issuers\[1\]\.name "maskinporten" is given twice/],
    [{ issuers: [{ ...maskinporten, audiences: 'x' }] }, /issuers\[0\]\.audiences is not a setting/],
    [{ issuers: [{ ...maskinporten, subjectClaim: 'pid' }] }, /must not be pid/],
    [{ issuers: [{ ...maskinporten, tenant: undefined }] }, /rules\[0\]\.tenant must be a lower-case tenant id/],
    [
      { issuers: [{ ...maskinporten, rules: [{ when: { claim: 'scope', includes: 'x' }, role: 'system' }] }] },
      /role must be one of admin, caseworker, auditor, integration/,
    ],
    [
      {
        issuers: [
          { ...maskinporten, rules: [{ when: { claim: 'pid', sha256OneOf: ['05838299776'] }, role: 'caseworker' }] },
        ],
      },
      /when\[0\]\.sha256OneOf must be a list of lower-case SHA-256/,
    ],
    [
      {
        issuers: [
          { ...maskinporten, rules: [{ when: { claim: 'groups', includes: 'a', oneOf: ['b'] }, role: 'caseworker' }] },
        ],
      },
      /exactly one of includes, oneOf, sha256OneOf/,
    ],
  ])('refuses %j', (file, message) => {
    assert.throws(() => parseIdentityProviders(file, fail), message);
  });

  it('reads a good file, and stops the start on an unreadable one with the variable named', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'kulturskole-idp-unit-'));
    const good = path.join(folder, 'good.json');
    await writeFile(good, JSON.stringify({ issuers: [maskinporten] }));
    const { issuers } = await loadIdentityProviders(good);
    assert.deepEqual(issuers[0]?.audience, ['https://kulturskole.trondheim.kommune.no']);
    assert.equal(issuers[0]?.rules[0]?.tenant, 'trondheim');
    await writeFile(path.join(folder, 'bad.json'), '{ "issuers": [');
    await assert.rejects(
      loadIdentityProviders(path.join(folder, 'bad.json')),
      /IDENTITY_PROVIDERS_FILE .*bad\.json: must be a readable JSON file/,
    );
    assert.deepEqual(await loadIdentityProviders(undefined), { issuers: [] });
  });
});

describe('claim mapping: the first rule whose conditions all hold gives tenant and role', () => {
  const provider = onlyIssuer({ issuers: [maskinporten] });
  const system = { scope: 'trondheim:kulturskole.integration other:scope', consumer: { ID: '0192:991825827' } };

  it('maps Maskinporten’s scope and consumer organisation to an integration of the tenant', () => {
    assert.deepEqual(principalFromClaims(provider, system), {
      subject: 'maskinporten:0192:991825827',
      tenant: 'trondheim',
      role: 'integration',
    });
  });

  it('refuses a token missing one condition, and never names the claim value', () => {
    assert.throws(() => principalFromClaims(provider, { ...system, scope: 'other:scope' }), NoRoleMapped);
    assert.throws(
      () => principalFromClaims(provider, { ...system, consumer: { ID: '0192:123456785' } }),
      (error: Error) => error instanceof NoRoleMapped && !error.message.includes('123456785'),
    );
  });

  it('matches a pid by its SHA-256, so the staff list holds no national ids', () => {
    const pid = '05838299776';
    const idporten = onlyIssuer({
      issuers: [
        {
          name: 'id-porten',
          issuer: 'https://idporten.no',
          audience: 'kulturskole',
          rules: [
            {
              when: [
                { claim: 'pid', sha256OneOf: [createHash('sha256').update(pid).digest('hex')] },
                { claim: 'acr', oneOf: ['idporten-loa-high'] },
              ],
              tenant: 'malvik',
              role: 'caseworker',
            },
          ],
        },
      ],
    });
    const principal = principalFromClaims(idporten, { sub: 'pairwise-1', pid, acr: 'idporten-loa-high' });
    assert.deepEqual(principal, { subject: 'id-porten:pairwise-1', tenant: 'malvik', role: 'caseworker' });
    assert.throws(() => principalFromClaims(idporten, { sub: 'pairwise-1', pid, acr: 'idporten-loa-substantial' }));
  });
});
