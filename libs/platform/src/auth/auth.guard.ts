import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Principal, TokenRole } from './principal.js';
import { TokenVerifier, Unauthenticated } from './token-verifier.js';

const ROLES = 'kulturskole:roles';
const PUBLIC = 'kulturskole:public';

/** The roles allowed on a route; a route without it is admin-only, so a forgotten decorator fails closed. */
export const Roles = (...roles: TokenRole[]) => SetMetadata(ROLES, roles);
/** Only the health check is open. */
export const PublicRoute = () => SetMetadata(PUBLIC, true);

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new UnauthorizedException('No principal on the request');
  return principal;
});

/** Hook for the access trail: every refusal is reported (without the token). */
export abstract class AccessRefusalRecorder {
  abstract record(refusal: { status: 401 | 403; reason: string; route: string; principal?: Principal }): Promise<void>;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly refusals: AccessRefusalRecorder,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    let principal: Principal;
    try {
      principal = await this.verifier.verify(request.headers.authorization);
    } catch (error) {
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
    request.principal = principal;
    return true;
  }
}
