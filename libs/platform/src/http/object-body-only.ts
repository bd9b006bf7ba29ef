import {
  BadRequestException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';

const refused = (detail: string, message: string) =>
  new BadRequestException({ detail, errors: [{ field: 'body', message }] });

/** Whether the route reads its body (`@Body()`); a route that does not has nothing to do with one. */
const takesBody = (context: ExecutionContext): boolean => {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ??
    {}) as object;
  const bodies = [String(RouteParamtypes.BODY), String(RouteParamtypes.RAW_BODY)];
  return Object.keys(args).some((key) => bodies.includes(key.split(':')[0] ?? ''));
};

/**
 * A command's body is a JSON object, or absent. The global validation pipe turns `null` into `{}` before a request
 * class sees it, so a `null` body would pass as "no options given"; this refuses it, and arrays and bare values, before
 * any pipe runs. A route that takes no body (close, accept, a rotation) refuses a non-empty one instead of ignoring
 * it, so `{status, tenant, revision}` sent there is a 400, not a silent success. Global (PlatformModule), ahead of the
 * idempotency claim, so a refused body claims no key.
 */
@Injectable()
export class ObjectBodyOnly implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const { body } = context.switchToHttp().getRequest<{ body?: unknown }>();
    if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
      const given = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
      throw refused('The request body must be a JSON object', `body must be a JSON object, not ${given}`);
    }
    if (body !== undefined && Object.keys(body).length > 0 && !takesBody(context)) {
      throw refused('This operation takes no request body', 'body must be empty: this operation takes none');
    }
    return next.handle();
  }
}
