import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { validationPipe } from './http/validation.pipe.js';
import { correlationIdOf } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { registerRateLimit } from './rate-limit/rate-limit.js';
import type { Runtime } from './runtime.js';

/** A Fastify-based Nest app with the platform's edge rules: body limit, JSON only, validated DTOs. */
export const createHttpApp = async (rootModule: unknown, runtime: Runtime): Promise<NestFastifyApplication> => {
  const adapter = new FastifyAdapter({
    bodyLimit: runtime.config.BODY_LIMIT_BYTES,
    trustProxy: false,
    // The request id is the correlation id (given or new), written back so the logger's id is the same one.
    genReqId: (request: IncomingMessage) => {
      const id = correlationIdOf(request);
      request.headers['x-correlation-id'] = id;
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as never, adapter, {
    bufferLogs: true,
    // A provider that fails (a missing key) rejects here, for the caller to report, instead of Nest exiting the process.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // The correlation id goes back on every answer, errors and 429s included, so a caller can quote it.
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
  });
  const metrics = metricsOf(app);
  if (metrics) {
    // Per route template (Fastify's routeOptions.url), never the raw URL; unmatched requests count as `unmatched`.
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.recordHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
  }
  await registerRateLimit(fastify as never, runtime.config);
  app.useGlobalPipes(validationPipe());
  // Commands are JSON; anything else is refused with 415 before it reaches a handler.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  return app;
};

const metricsOf = (app: NestFastifyApplication): Metrics | undefined => {
  try {
    return app.get(Metrics, { strict: false });
  } catch {
    return undefined;
  }
};
