import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  SetMetadata,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../tokens.js';
import { NoRoleMapped } from './claim-mapping.js';
import { isOperator, type Principal, type TokenRole } from './principal.js';
import { TokenVerifier, Unauthenticated } from './token-verifier.js';

const ROLES = 'kulturskole:roles';
const PUBLIC = 'kulturskole:public';
const OPERATORS = 'kulturskole:operators';

/** The roles allowed on a route; a route without it is admin-only, so a forgotten decorator fails closed. */
export const Roles = (...roles: TokenRole[]) => SetMetadata(ROLES, roles);
/** Only the health check is open. */
export const PublicRoute = () => SetMetadata(PUBLIC, true);
/**
 * An operators' view (it spans every tenant, e.g. metrics): besides one of the route's roles, the token must be of
 * the operators' tenant (OPERATOR_TENANT). Any municipality's token gets 403.
 */
export const OperatorsOnly = () => SetMetadata(OPERATORS, true);

export type AuthenticatedRequest = FastifyRequest & {
  principal?: Principal;
  /** Set by the guard: the principal is an operator (see isOperator). */
  operator?: boolean;
};

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new UnauthorizedException('No principal on the request');
  return principal;
});

/** Whether the caller is an operator, who may see what spans every tenant; false for every municipality's role. */
export const CallerIsOperator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): boolean =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().operator === true,
);

/** Hook for the access trail: every refusal is reported (without the token). */
export abstract class AccessRefusalRecorder {
  abstract record(refusal: { status: 401 | 403; reason: string; route: string; principal?: Principal }): Promise<void>;
}

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly operatorTenant: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly refusals: AccessRefusalRecorder,
    @Optional() @Inject(APP_CONFIG) config?: Pick<AppConfig, 'OPERATOR_TENANT'>,
  ) {
    this.operatorTenant = config?.OPERATOR_TENANT ?? 'operations';
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    let principal: Principal;
    try {
      principal = await this.verifier.verify(request.headers.authorization);
    } catch (error) {
      if (error instanceof NoRoleMapped) {
        // Signed by a trusted provider, but none of its rules gives this caller a role (e.g. not in the group).
        await this.refusals.record({ status: 403, reason: error.message, route });
        throw new ForbiddenException(error.message);
      }
      const reason = error instanceof Unauthenticated ? error.message : 'The token could not be verified';
      await this.refusals.record({ status: 401, reason, route });
      throw new UnauthorizedException(reason);
    }
    const allowed = this.reflector.getAllAndOverride<TokenRole[]>(ROLES, targets) ?? ['admin'];
    if (principal.role === 'system' || !allowed.includes(principal.role)) {
      const reason = `Role ${principal.role} may not ${route}; allowed: ${allowed.join(', ')}`;
      await this.refusals.record({ status: 403, reason, route, principal });
      throw new ForbiddenException(reason);
    }
    const operator = isOperator(principal, this.operatorTenant);
    if (this.reflector.getAllAndOverride<boolean>(OPERATORS, targets) && !operator) {
      const reason = `Only the operators may ${route}: it spans every tenant`;
      await this.refusals.record({ status: 403, reason, route, principal });
      throw new ForbiddenException(reason);
    }
    request.principal = principal;
    request.operator = operator;
    return true;
  }
}
