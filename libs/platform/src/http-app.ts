import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { validationPipe } from './http/validation.pipe.js';
import { correlationIdOf } from './observability/logger.js';
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
  app.useGlobalPipes(validationPipe());
  // Commands are JSON; anything else is refused with 415 before it reaches a handler.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  return app;
};
