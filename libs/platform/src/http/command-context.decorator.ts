import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { newCommandContext, type CommandContext } from '../commands/command-context.js';
import { OCCURRED_AT_HEADER, occurredAtOf } from './occurred-at.js';

export type StampedRequest = AuthenticatedRequest & { receivedAt?: Date };

/** The command context of an HTTP request: principal, Idempotency-Key-derived command id, correlation id, clock time
 * (or the time an imported fact happened). */
export const CommandContextOf = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<StampedRequest>();
  if (!request.principal || !request.receivedAt) throw new Error('CommandContextOf needs an authenticated route');
  const key = request.headers['idempotency-key'];
  const reason = request.headers['x-reason'];
  const { now, imported } = occurredAtOf(request.headers[OCCURRED_AT_HEADER], request.principal, request.receivedAt);
  return newCommandContext(request.principal, {
    idempotencyKey: typeof key === 'string' ? key : undefined,
    correlationId: String(request.id),
    now,
    imported,
    reason: typeof reason === 'string' && reason.length <= 500 ? reason : undefined,
  });
});
