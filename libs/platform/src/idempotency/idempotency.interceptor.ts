import { createHash } from 'node:crypto';
import {
  CallHandler,
  ConflictException,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
  UnprocessableEntityException,
  BadRequestException,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Pool } from '#libs/database';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { PG_POOL } from '../tokens.js';
import { Inject } from '@nestjs/common';

const KEY = /^[\w.:-]{8,128}$/;
// A first request that has run this long without an answer is taken as lost (its process died), not as running.
const ABANDONED_AFTER = '2 minutes';

/**
 * `Idempotency-Key` on commands: the same key and body replay the first answer without a second append; the same key
 * with another body is 422; while the first is still running, 409. Keys are scoped to the caller's tenant.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers['idempotency-key'];
    if (request.method === 'GET' || key === undefined) return next.handle();
    return from(this.handle(context, request, String(key), next));
  }

  private async handle(context: ExecutionContext, request: AuthenticatedRequest, key: string, next: CallHandler) {
    if (!KEY.test(key)) throw new BadRequestException('Idempotency-Key must be 8–128 letters, digits or ._:-');
    const tenant = request.principal?.tenant ?? '-';
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const claimed = await this.pool.query(
      `INSERT INTO idempotency_keys (tenant, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (tenant, key) DO UPDATE SET started_at = now(), request_hash = EXCLUDED.request_hash
         WHERE idempotency_keys.response_status IS NULL
           AND idempotency_keys.started_at < now() - $4::interval
           AND idempotency_keys.request_hash = EXCLUDED.request_hash
       RETURNING key`,
      [tenant, key, hash, ABANDONED_AFTER],
    );
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (claimed.rowCount === 0) return this.replay(tenant, key, hash, reply);

    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const status =
        this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ??
        (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
      await this.pool.query(
        'UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE tenant = $1 AND key = $2',
        [tenant, key, status, JSON.stringify(body ?? null)],
      );
      return body;
    } catch (error) {
      // A refused command wrote nothing: free the key so a corrected request may use it.
      await this.pool.query('DELETE FROM idempotency_keys WHERE tenant = $1 AND key = $2', [tenant, key]);
      throw error;
    }
  }

  private async replay(tenant: string, key: string, hash: string, reply: FastifyReply) {
    const { rows } = await this.pool.query<{
      request_hash: string;
      response_status: number | null;
      response_body: unknown;
    }>('SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE tenant = $1 AND key = $2', [
      tenant,
      key,
    ]);
    const stored = rows[0];
    if (!stored) throw new ConflictException('This Idempotency-Key is being released; retry shortly');
    if (stored.request_hash !== hash) {
      throw new UnprocessableEntityException('This Idempotency-Key was used with another request body');
    }
    if (stored.response_status === null) {
      throw new ConflictException('A request with this Idempotency-Key is still being processed');
    }
    void reply.status(stored.response_status).header('idempotent-replayed', 'true');
    return stored.response_body;
  }
}
