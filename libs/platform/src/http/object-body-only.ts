import {
  BadRequestException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';

/**
 * A command's body is a JSON object, or absent. The global validation pipe turns `null` into `{}` before a request
 * class sees it, so a `null` body would pass as "no options given"; this refuses it, and arrays and bare values, before
 * any pipe runs. Global (PlatformModule), ahead of the idempotency claim, so a refused body claims no key.
 */
@Injectable()
export class ObjectBodyOnly implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const { body } = context.switchToHttp().getRequest<{ body?: unknown }>();
    if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
      const given = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
      throw new BadRequestException({
        detail: 'The request body must be a JSON object',
        errors: [{ field: 'body', message: `body must be a JSON object, not ${given}` }],
      });
    }
    return next.handle();
  }
}
