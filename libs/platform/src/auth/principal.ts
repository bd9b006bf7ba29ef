import type { Role } from '#libs/event-store';

export const TOKEN_ROLES = ['admin', 'caseworker', 'auditor', 'integration'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number] & Role;

/** Who is calling, taken from a verified token: every command and query is scoped to its tenant. */
export interface Principal {
  subject: string;
  tenant: string;
  /** A token's role, or `system` for a process manager acting on its own. */
  role: TokenRole | 'system';
}

/**
 * Whether the principal belongs to the operators (the configured OPERATOR_TENANT), who may see what spans every
 * tenant: metrics, refused calls that carried no valid token. A municipality's admin is never an operator.
 */
export const isOperator = (principal: Pick<Principal, 'tenant' | 'role'>, operatorTenant: string): boolean =>
  principal.tenant === operatorTenant && principal.role !== 'system';
