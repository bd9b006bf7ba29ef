import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '#libs/decider';
import {
  IdempotencyMismatchError,
  InvalidEventError,
  StoreNotSettledError,
  WrongExpectedRevisionError,
} from '#libs/event-store';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};
const DOMAIN_STATUS = { invalid: 400, not_found: 404, conflict: 409 } as const;

/** Turns every error into problem+json; 5xx details stay in the log, never in the response. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = this.toProblem(error);
    problem.instance = request.url.split('?')[0];
    if (problem.status >= 500) this.logger.error({ err: error, url: problem.instance }, 'request failed');
    if (problem.status === 503) void reply.header('retry-after', '5');
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof DomainError) {
      const status = DOMAIN_STATUS[error.kind];
      const field = (error as { field?: unknown }).field;
      const base = problem(status, error.message, error.name);
      return typeof field === 'string' ? { ...base, errors: [{ field, message: error.message }] } : base;
    }
    if (error instanceof InvalidEventError) {
      return {
        ...problem(400, error.message, 'invalid-event'),
        errors: [{ field: error.field, message: error.detail }],
      };
    }
    if (error instanceof WrongExpectedRevisionError) {
      return problem(409, 'Someone else changed this at the same time; reload and try again.', 'concurrent-change');
    }
    if (error instanceof IdempotencyMismatchError) return problem(409, error.message, 'idempotency-mismatch');
    if (error instanceof StoreNotSettledError) {
      return problem(503, 'Recent changes are still being written; try again in a few seconds.', 'store-busy');
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      if (typeof body === 'object' && body !== null && 'errors' in body) {
        const { errors, detail } = body as { errors: Problem['errors']; detail?: string };
        return { ...problem(status, detail ?? 'The request is not valid', 'validation'), errors };
      }
      // Terminus's readiness answer: name the checks that failed (never their error text), so a 503 says why.
      const failed = failedChecks(body);
      if (status === 503 && failed) return problem(503, `Not ready: ${failed} did not answer`, 'not-ready');
      // The body parser's refusals (malformed or empty JSON, too large, wrong media type) are about the body.
      const cause = (error.cause ?? {}) as { code?: unknown };
      if (typeof cause.code === 'string' && cause.code.startsWith('FST_ERR_CTP_'))
        return { ...problem(status, error.message), errors: [{ field: 'body', message: error.message }] };
      return problem(status, error.message);
    }
    const fastify = error as { statusCode?: number; code?: string; message?: string };
    if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      return problem(fastify.statusCode, fastify.message ?? 'Bad request', fastify.code?.toLowerCase());
    }
    if (isDatabaseUnavailable(error)) {
      return problem(
        503,
        'The database cannot be reached just now; send the same request again shortly.',
        'database-unavailable',
      );
    }
    return problem(500, 'Something went wrong on our side; it has been logged.');
  }
}

/** The names of the failed indicators of a @nestjs/terminus result (`{ status: 'error', error: { kafka: … } }`). */
const failedChecks = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null) return undefined;
  const { status, error } = body as { status?: unknown; error?: unknown };
  if (status !== 'error' || typeof error !== 'object' || error === null) return undefined;
  const names = Object.keys(error);
  return names.length > 0 ? names.join(', ') : undefined;
};

const problem = (status: number, detail: string, type?: string): Problem => ({
  type: type ? `https://kulturskole.example/problems/${kebab(type)}` : 'about:blank',
  title: TITLES[status] ?? 'Error',
  status,
  detail,
});

const kebab = (value: string) =>
  value
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
