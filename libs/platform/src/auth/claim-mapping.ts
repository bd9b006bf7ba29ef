import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { ClaimCondition, TrustedIssuer } from './identity-providers.js';
import type { Principal } from './principal.js';

/** A verified token that no rule of its issuer maps to a tenant and role: the caller is known, not allowed (403). */
export class NoRoleMapped extends Error {
  override readonly name = 'NoRoleMapped';
}

/** A claim by dotted path (`consumer.ID` in Maskinporten's `{ "consumer": { "ID": "0192:…" } }`). */
export const claimAt = (payload: JWTPayload, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((value, key) => (typeof value === 'object' && value ? (value as never)[key] : undefined), payload);

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** An array claim, or a space-separated one (OAuth's `scope`). */
const members = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : typeof value === 'string'
      ? value.split(' ').filter(Boolean)
      : [];

const holds = (payload: JWTPayload, condition: ClaimCondition): boolean => {
  const value = claimAt(payload, condition.claim);
  if ('includes' in condition) return members(value).includes(condition.includes);
  const text = asString(value);
  if (text === undefined) return false;
  if ('oneOf' in condition) return condition.oneOf.includes(text);
  return condition.sha256OneOf.includes(createHash('sha256').update(text).digest('hex'));
};

/** The caller's id in the issuer's own terms, undefined when the token has none (the verifier refuses it: 401). */
export const subjectOf = (issuer: TrustedIssuer, payload: JWTPayload): string | undefined =>
  asString(claimAt(payload, issuer.subjectClaim)) || undefined;

/**
 * The principal of a verified token from a trusted issuer: the first rule whose conditions all hold gives tenant and
 * role; the subject is the issuer's name and its subject claim. No rule: NoRoleMapped, which names no claim value
 * (the refusal goes to the access trail, and a claim may be a national id).
 */
export const principalFromClaims = (issuer: TrustedIssuer, payload: JWTPayload): Principal => {
  const subject = subjectOf(issuer, payload);
  if (!subject)
    throw new NoRoleMapped(`The token from ${issuer.name} has no "${issuer.subjectClaim}" to name the caller`);
  const rule = issuer.rules.find(({ when }) => when.every((condition) => holds(payload, condition)));
  if (!rule)
    throw new NoRoleMapped(`No rule for ${issuer.name} gives this token a role (docs/runbook.md, Identity providers)`);
  return { subject: `${issuer.name}:${subject}`, tenant: rule.tenant, role: rule.role };
};
