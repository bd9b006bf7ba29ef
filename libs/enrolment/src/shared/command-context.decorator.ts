import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { newCommandContext, type AuthenticatedRequest, type CommandContext } from '#libs/platform';

/** The command context of an HTTP request: principal, Idempotency-Key-derived command id, correlation id, time. */
export const CommandContextOf = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new Error('CommandContextOf needs an authenticated route');
  const key = request.headers['idempotency-key'];
  return newCommandContext(request.principal, {
    idempotencyKey: typeof key === 'string' ? key : undefined,
    correlationId: String(request.id),
    now: new Date(),
  });
});
