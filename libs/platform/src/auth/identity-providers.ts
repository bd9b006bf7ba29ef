import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/app-config.js';
import { TOKEN_ROLES, type TokenRole } from './principal.js';

/**
 * The municipality's identity providers (IDENTITY_PROVIDERS_FILE, docs/runbook.md "Identity providers"): per trusted
 * issuer, where its keys are, the audience its tokens must name, and the rules that turn its own claims (Entra ID's
 * `groups` and `roles`, ID-porten's `pid` and `acr`, Maskinporten's `scope` and `consumer.ID`) into a tenant and a
 * role, so no provider has to issue the platform's claims. The platform's own issuer (AUTH_ISSUER) is not listed
 * here: its tokens carry `tenant` and `role` themselves.
 */
export interface IdentityProviders {
  issuers: TrustedIssuer[];
}

export interface TrustedIssuer {
  /** Short name, the prefix of every subject it signs in (`entra-id:<oid>`), so two providers' ids never meet. */
  name: string;
  /** The exact `iss` of its tokens. */
  issuer: string;
  /** Its JWKS; without it, `jwks_uri` from `<issuer>/.well-known/openid-configuration` (OIDC discovery). */
  jwksUri?: string;
  /** The `aud` its tokens must name (one of them). */
  audience: string[];
  /** The claim naming the caller (dotted path into nested claims); `sub` by default. Never `pid`: it is personal data. */
  subjectClaim: string;
  /** The tenant of every rule that names none. */
  tenant?: string;
  /** Tried in order; the first whose conditions all hold gives the tenant and role. None: 403. */
  rules: ClaimRule[];
}

export interface ClaimRule {
  when: ClaimCondition[];
  tenant: string;
  role: TokenRole;
}

/** One claim and one test of it. */
export type ClaimCondition =
  /** The claim (an array, or a space-separated string such as `scope`) holds the value. */
  | { claim: string; includes: string }
  /** The claim (a string or number) is one of the values. */
  | { claim: string; oneOf: string[] }
  /** The SHA-256 (hex) of the claim is one of these: a staff list of `pid`s without national ids in the file. */
  | { claim: string; sha256OneOf: string[] };

const TENANT = /^[a-z][a-z0-9-]{1,39}$/;
const NAME = /^[a-z][a-z0-9-]{0,39}$/;
const CLAIM = /^[\w:-]+(\.[\w:-]+)*$/;
const SHA256 = /^[0-9a-f]{64}$/;
const ASSIGNABLE_ROLES: readonly string[] = TOKEN_ROLES;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isHttpUrl = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};
const nonEmptyStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item.length > 0);

/** Checks a parsed file; every problem names where it is (`issuers[1].rules[0].when[0]`) and what is expected. */
export const parseIdentityProviders = (parsed: unknown, fail: (what: string) => never): IdentityProviders => {
  if (!isObject(parsed) || !Array.isArray(parsed.issuers)) return fail('must be a JSON object with an "issuers" list');
  const names = new Set<string>();
  const issuerUrls = new Set<string>();
  const issuers = parsed.issuers.map((entry: unknown, index): TrustedIssuer => {
    const at = `issuers[${index}]`;
    if (!isObject(entry)) return fail(`${at} must be an object`);
    const known = ['name', 'issuer', 'jwksUri', 'audience', 'subjectClaim', 'tenant', 'rules'];
    const unknown = Object.keys(entry).find((key) => !known.includes(key));
    if (unknown) fail(`${at}.${unknown} is not a setting (expected ${known.join(', ')})`);
    const { name, issuer, jwksUri, audience, subjectClaim = 'sub', tenant, rules } = entry;
    if (typeof name !== 'string' || !NAME.test(name)) fail(`${at}.name must be a short lower-case name like entra-id`);
    if (names.has(name as string)) fail(`${at}.name "${String(name)}" is given twice`);
    names.add(name as string);
    if (!isHttpUrl(issuer)) fail(`${at}.issuer must be the http(s) URL its tokens carry as "iss"`);
    if (issuerUrls.has(issuer as string)) fail(`${at}.issuer ${String(issuer)} is given twice`);
    issuerUrls.add(issuer as string);
    if (jwksUri !== undefined && !isHttpUrl(jwksUri)) fail(`${at}.jwksUri must be an http(s) URL of a JWKS`);
    const audiences = typeof audience === 'string' ? [audience] : audience;
    if (!nonEmptyStrings(audiences)) fail(`${at}.audience must be the "aud" its tokens name (a string or a list)`);
    if (typeof subjectClaim !== 'string' || !CLAIM.test(subjectClaim)) fail(`${at}.subjectClaim must be a claim name`);
    if (subjectClaim === 'pid') fail(`${at}.subjectClaim must not be pid: a national id never becomes an actor id`);
    if (tenant !== undefined && (typeof tenant !== 'string' || !TENANT.test(tenant)))
      fail(`${at}.tenant must be a lower-case tenant id such as trondheim`);
    if (!Array.isArray(rules) || rules.length === 0) return fail(`${at}.rules must be a non-empty list`);
    return {
      name: name as string,
      issuer: issuer as string,
      ...(jwksUri === undefined ? {} : { jwksUri: jwksUri as string }),
      audience: audiences as string[],
      subjectClaim: subjectClaim as string,
      ...(tenant === undefined ? {} : { tenant: tenant as string }),
      rules: rules.map((rule, ruleIndex) => parseRule(rule, `${at}.rules[${ruleIndex}]`, tenant as string, fail)),
    };
  });
  return { issuers };
};

const parseRule = (rule: unknown, at: string, issuerTenant: string | undefined, fail: (what: string) => never) => {
  if (!isObject(rule)) return fail(`${at} must be an object`);
  const unknown = Object.keys(rule).find((key) => !['when', 'tenant', 'role'].includes(key));
  if (unknown) fail(`${at}.${unknown} is not a setting (expected when, tenant, role)`);
  const tenant = rule.tenant ?? issuerTenant;
  if (typeof tenant !== 'string' || !TENANT.test(tenant))
    fail(`${at}.tenant must be a lower-case tenant id (or set the issuer's tenant)`);
  if (typeof rule.role !== 'string' || !ASSIGNABLE_ROLES.includes(rule.role))
    fail(`${at}.role must be one of ${TOKEN_ROLES.join(', ')}`);
  const when = isObject(rule.when) ? [rule.when] : rule.when;
  if (!Array.isArray(when) || when.length === 0) fail(`${at}.when must be a condition or a non-empty list of them`);
  return {
    when: (when as unknown[]).map((condition, index) => parseCondition(condition, `${at}.when[${index}]`, fail)),
    tenant: tenant as string,
    role: rule.role as TokenRole,
  };
};

const parseCondition = (condition: unknown, at: string, fail: (what: string) => never): ClaimCondition => {
  if (!isObject(condition)) return fail(`${at} must be an object`);
  const { claim, ...test } = condition;
  if (typeof claim !== 'string' || !CLAIM.test(claim)) fail(`${at}.claim must be a claim name such as groups`);
  const kinds = Object.keys(test);
  if (kinds.length !== 1) return fail(`${at} must have exactly one of includes, oneOf, sha256OneOf`);
  const [kind] = kinds;
  const value = test[kind as string];
  if (kind === 'includes' && typeof value === 'string' && value.length > 0)
    return { claim: claim as string, includes: value };
  if (kind === 'oneOf' && nonEmptyStrings(value)) return { claim: claim as string, oneOf: value };
  if (kind === 'sha256OneOf' && nonEmptyStrings(value) && value.every((digest) => SHA256.test(digest)))
    return { claim: claim as string, sha256OneOf: value };
  return fail(
    `${at}.${kind} must be ${kind === 'includes' ? 'a string' : kind === 'sha256OneOf' ? 'a list of lower-case SHA-256 hex digests' : kind === 'oneOf' ? 'a non-empty list of strings' : 'one of includes, oneOf, sha256OneOf'}`,
  );
};

/** Reads and checks IDENTITY_PROVIDERS_FILE at start: a mistake stops the start with one line saying where. */
export const loadIdentityProviders = async (file: string | undefined): Promise<IdentityProviders> => {
  if (!file) return { issuers: [] };
  const fail = (what: string): never => {
    throw new ConfigError(`Configuration error: IDENTITY_PROVIDERS_FILE ${file}: ${what}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return fail(`must be a readable JSON file (${(error as Error).message})`);
  }
  return parseIdentityProviders(parsed, fail);
};
