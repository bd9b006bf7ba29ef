import {
  applyDecorators,
  ConflictException,
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { from, lastValueFrom, map, of, switchMap, type Observable } from 'rxjs';
import type { Pool } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import { AsOfBuildConflict, AsOfBuildFailed, buildAsOf, type Projection } from '#libs/projections';
import { osloDate } from '#libs/calendar';
import {
  ApiProblems,
  Clock,
  EVENT_STORE,
  listOf,
  PG_POOL,
  shape,
  type AuthenticatedRequest,
  type Principal,
} from '#libs/platform';
import { columnsOf, toCsv } from './csv.js';
import { AnswerCache } from './answer-cache.js';
import { canonicalQuery, ifNoneMatchHits, weakEtag } from './etag.js';
import type { Freshness, ReadSource } from './freshness.js';
import { LiveCheckpoints } from './live-checkpoints.js';
import type { PageInfo } from './list-query.js';
import { InvalidQuery } from './query-errors.js';

const READ_MODEL = 'kulturskole:read-model';
const AS_OF_NAME = /^[a-z][a-z0-9_]{0,39}$/;

export interface ReadModelOptions {
  projection: Projection;
  /** File name of a CSV export (without `.csv`). */
  csvName: string;
  /**
   * An as-of build this route always reads (built on demand), e.g. the GSI count on 1 October. Otherwise the route
   * reads the live model, or the finished as-of build named in `?asOf=`.
   */
  asOfBuild?: (request: AuthenticatedRequest) => { name: string; until: Date };
  /**
   * Aggregates only (no personal data, nothing recorded in the access trail): keep JSON answers in memory by their
   * ETag, so a dashboard asking again at the same read-model position gets the answer without running its SQL.
   */
  cacheAnswers?: boolean;
}

/** What a read-model handler returns: a table (for CSV) and whatever else belongs to the answer. */
export interface ReadModelBody {
  items: readonly object[];
  /** CSV column order; the row keys otherwise. */
  columns?: readonly string[];
  page?: PageInfo;
  [extra: string]: unknown;
}

/** What the interceptor resolved before the handler ran. */
export interface ReadContext {
  source: ReadSource;
  tenant: string;
  principal: Principal;
  csv: boolean;
}

type ReadRequest = AuthenticatedRequest & { readContext?: ReadContext };

/** The handler's view of the request: where to read, for which tenant, in which format. */
export const ReadFrom = createParamDecorator((_data: unknown, context: ExecutionContext): ReadContext => {
  const read = context.switchToHttp().getRequest<ReadRequest>().readContext;
  if (!read) throw new Error('@ReadFrom() needs @ReadModel() on the route');
  return read;
});

/** CSV when `?format=csv`, or when the client asks for text/csv and not for JSON first. */
export const wantsCsv = (request: Pick<AuthenticatedRequest, 'headers' | 'query'>): boolean => {
  const format = (request.query as Record<string, unknown> | undefined)?.format;
  if (format === 'csv') return true;
  if (format === 'json') return false;
  const accept = String(request.headers.accept ?? '');
  const csvAt = accept.indexOf('text/csv');
  const jsonAt = accept.indexOf('application/json');
  return csvAt >= 0 && (jsonAt < 0 || csvAt < jsonAt);
};

/**
 * Every read-model route: freshness from the projection checkpoint (body and headers), a weak ETag from that position
 * and the question (304 on If-None-Match, before any query runs), and CSV export of the answer's `items`. The live
 * checkpoint is kept in memory until a notice says it moved (LiveCheckpoints), so a 304 or a kept answer reads nothing.
 */
@Injectable()
export class ReadModelInterceptor implements NestInterceptor, OnModuleDestroy {
  private readonly building = new Map<string, Promise<unknown>>();
  private readonly answers = new AnswerCache();
  private readonly checkpoints: LiveCheckpoints;

  constructor(
    private readonly reflector: Reflector,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {
    this.checkpoints = LiveCheckpoints.of(pool);
  }

  async onModuleDestroy(): Promise<void> {
    await this.checkpoints.release();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<ReadModelOptions | undefined>(READ_MODEL, context.getHandler());
    if (!options) return next.handle();
    const request = context.switchToHttp().getRequest<ReadRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.prepare(options, request)).pipe(
      switchMap((read) => {
        const etag = weakEtag([
          read.source.freshness.tableSet,
          read.source.freshness.position,
          read.tenant,
          read.principal.role,
          request.routeOptions.url ?? '',
          request.url.split('?')[0] ?? '',
          canonicalQuery(request.url),
          read.csv ? 'csv' : 'json',
          // A question without a date means today: the answer changes at midnight even when the model does not.
          osloDate(this.clock.now().toISOString()),
        ]);
        setFreshnessHeaders(reply, read.source.freshness, etag);
        if (ifNoneMatchHits(request.headers['if-none-match'], etag)) {
          void reply.status(304);
          return of(undefined);
        }
        request.readContext = read;
        const answer = next.handle().pipe(map((body: ReadModelBody) => render(reply, body, read, options)));
        if (options.cacheAnswers !== true || read.csv) return answer;
        return from(this.answers.getOrCompute(etag, () => lastValueFrom(answer)));
      }),
    );
  }

  private async prepare(options: ReadModelOptions, request: ReadRequest): Promise<ReadContext> {
    const principal = request.principal;
    if (!principal) throw new Error('A read-model route needs an authenticated principal');
    const { name: projection } = options.projection;
    const named = (request.query as Record<string, unknown> | undefined)?.asOf;
    let source: ReadSource;
    if (options.asOfBuild) {
      const build = options.asOfBuild(request);
      if (build.until.getTime() > Date.now()) {
        throw new InvalidQuery(`${build.until.toISOString()} has not happened yet; there is nothing to count`);
      }
      if (!this.checkpoints.holdsAsOf(principal.tenant, build.name)) {
        await this.ensureBuilt(options.projection, principal.tenant, build);
      }
      source = await this.checkpoints.asOf(projection, principal.tenant, build.name);
    } else if (named !== undefined) {
      if (typeof named !== 'string' || !AS_OF_NAME.test(named))
        throw new InvalidQuery('asOf must name an as-of build (a-z, 0-9, _)', 'asOf');
      source = await this.checkpoints.asOf(projection, principal.tenant, named);
    } else source = await this.checkpoints.get(projection);
    return { source, tenant: principal.tenant, principal, csv: wantsCsv(request) };
  }

  /**
   * The tenant's own build of that name (each tenant counts its own events, and no tenant's build stands in another's
   * way). One build per tenant and name in this process at a time; a second request waits for the first instead of
   * racing it, and across processes the build's lock makes it wait.
   */
  private async ensureBuilt(projection: Projection, tenant: string, build: { name: string; until: Date }) {
    const key = `${tenant}:${build.name}`;
    let running = this.building.get(key);
    if (!running) {
      running = buildAsOf(this.pool, this.store, projection, { tenant, name: build.name, until: build.until }).finally(
        () => this.building.delete(key),
      );
      this.building.set(key, running);
    }
    try {
      await running;
    } catch (error) {
      if (error instanceof AsOfBuildConflict || error instanceof AsOfBuildFailed) {
        throw new ConflictException(error.message);
      }
      throw error;
    }
  }
}

const setFreshnessHeaders = (reply: FastifyReply, freshness: Freshness, etag: string): void => {
  void reply.header('etag', etag);
  // Always revalidate: the answer changes whenever the projection moves.
  void reply.header('cache-control', 'private, no-cache');
  void reply.header('vary', 'accept, authorization');
  void reply.header('x-read-model', freshness.tableSet);
  void reply.header('x-read-model-position', freshness.position);
  if (freshness.lastEventAt) void reply.header('x-read-model-last-event-at', freshness.lastEventAt);
};

const render = (reply: FastifyReply, body: ReadModelBody, read: ReadContext, options: ReadModelOptions): unknown => {
  const { columns, ...rest } = body;
  if (!read.csv) return { ...rest, freshness: read.source.freshness };
  const page = body.page;
  if (page?.kind === 'keyset' && page.nextCursor) void reply.header('x-next-cursor', page.nextCursor);
  if (page?.kind === 'offset') void reply.header('x-total-count', String(page.total));
  void reply.header('content-type', 'text/csv; charset=utf-8');
  void reply.header('content-disposition', `attachment; filename="${options.csvName}.csv"`);
  return toCsv(columns ?? columnsOf(body.items), body.items);
};

/** How fresh an answer is: the projection's checkpoint it was read at. */
export const FRESHNESS_SCHEMA = shape({
  projection: 'string',
  version: 'integer',
  tableSet: 'string',
  status: 'string',
  position: 'string',
  lastEventAt: { type: 'string', nullable: true },
  asOf: { type: 'object', nullable: true, additionalProperties: true },
});
/** What every read-model route answers in JSON: its rows, the page when paged, and its freshness. */
const READ_MODEL_BODY = shape({
  items: listOf({ type: 'object', additionalProperties: true }),
  page: 'object?',
  freshness: FRESHNESS_SCHEMA,
});

/** Marks a route as a read-model query (see ReadModelInterceptor) and documents what it produces. */
export const ReadModel = (options: ReadModelOptions) =>
  applyDecorators(
    SetMetadata(READ_MODEL, options),
    UseInterceptors(ReadModelInterceptor),
    ApiProduces('application/json', 'text/csv'),
    ApiBearerAuth(),
    ApiResponse({
      status: 200,
      description: 'The answer and the freshness of the read model it came from; `?format=csv` for its items as CSV',
      content: {
        'application/json': { schema: READ_MODEL_BODY },
        'text/csv': { schema: { type: 'string' } },
      },
    }),
    // 404: `asOf` names no finished as-of build; 409: the as-of build of that name is running or failed.
    ApiProblems([400, 401, 403, 404, 409, 429, 503]),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag from an earlier answer: 304 if unchanged',
    }),
    ApiResponse({ status: 304, description: 'Not modified since the ETag given in If-None-Match' }),
  );
